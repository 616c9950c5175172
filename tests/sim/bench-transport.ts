/**
 * Transport benchmark (not a test): dial time over WebRTC and direct gRPC-web, first
 * call after connecting, unary round trip (GetOperations) medians over 100 calls, and
 * peer count after 100 WebRTC connect/disconnect cycles.
 *   npx tsx tests/sim/bench-transport.ts [--cycles 100] [--stand-in]
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, dialArgs, dialWebRTC, openHarness } from './harness/browser.ts';
import { startPageServer } from './harness/page-server.ts';
import { startTestSim } from './harness/test-sim.ts';

const args = process.argv.slice(2);
const cycles = Number(args[args.indexOf('--cycles') + 1] ?? '') || 100;
if (args.includes('--stand-in')) process.env['SIM_STAND_IN'] = '1';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

const sim = await startTestSim();
const pages = await startPageServer();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  await openHarness(page, pages.url);

  const webrtcDial: number[] = [];
  const webrtcFirst: number[] = [];
  for (let i = 0; i < 10; i++) {
    const { dialMs } = await dialWebRTC(page, dialArgs(sim));
    webrtcDial.push(dialMs);
    webrtcFirst.push(
      await page.evaluate(async () => {
        const t0 = performance.now();
        await window.client?.getOperations();
        const ms = performance.now() - t0;
        await window.client?.disconnect();
        return ms;
      }),
    );
  }

  await dialWebRTC(page, dialArgs(sim));
  const webrtcRtt = await page.evaluate(async () => {
    const out: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      await window.client?.getOperations();
      out.push(performance.now() - t0);
    }
    await window.client?.disconnect();
    return out;
  });

  const direct = await page.evaluate(async ({ url, id, key }) => {
    const dial: number[] = [];
    const rtt: number[] = [];
    for (let i = 0; i < 10; i++) {
      const client = new window.viam.RobotClient();
      const t0 = performance.now();
      await client.dial({
        host: url,
        credentials: { type: 'api-key', authEntity: id, payload: key },
        noReconnect: true,
      });
      dial.push(performance.now() - t0);
      if (i === 9) {
        for (let j = 0; j < 100; j++) {
          const t1 = performance.now();
          await client.getOperations();
          rtt.push(performance.now() - t1);
        }
      }
      await client.disconnect();
    }
    return { dial, rtt };
  }, dialArgs(sim));

  const cycleStart = performance.now();
  for (let i = 0; i < cycles; i++) {
    await dialWebRTC(page, dialArgs(sim));
    await page.evaluate(async () => {
      await window.client?.getOperations();
      await window.client?.disconnect();
    });
  }
  const cycleMs = performance.now() - cycleStart;
  const deadline = Date.now() + 10_000;
  while (sim.livePeers() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

  console.log(`machine: ${sim.hostname}`);
  console.log(`WebRTC dial (createRobotClient)   median ${fmt(median(webrtcDial))}  (10 dials)`);
  console.log(
    `WebRTC first call after connect   median ${fmt(median(webrtcFirst))}  max ${fmt(Math.max(...webrtcFirst))}`,
  );
  console.log(`WebRTC unary GetOperations        median ${fmt(median(webrtcRtt))}  (100 calls)`);
  console.log(`direct dial (RobotClient().dial)  median ${fmt(median(direct.dial))}  (10 dials)`);
  console.log(`direct unary GetOperations        median ${fmt(median(direct.rtt))}  (100 calls)`);
  console.log(
    `${cycles} WebRTC connect/call/disconnect cycles: ${fmt(cycleMs)}; live peers after: ${sim.livePeers()}`,
  );
} finally {
  await browser.close();
  await pages.close();
  await sim.close();
}
