/**
 * The simulated cloud with the real SDK in Chromium: two machines of the fleet dialled over WebRTC
 * with a user's access token (as the fleet app does), each peer serving its own machine only; a
 * user outside a machine's scope and an offline machine fail the dial as on Viam.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  DEFAULT_USER_TOKEN,
  FLEET_MACHINES,
  FLEET_USERS,
  startCloud,
  type RunningCloud,
} from '../../sim/cloud/index.ts';
import { openHarness } from '../../sim/harness/browser.ts';
import { startPageServer, type PageServer } from '../../sim/harness/page-server.ts';

const OFFLINE_DELAY_MS = 400;
const { rover, armCell, sensorPod, forklift } = FLEET_MACHINES;

let cloud: RunningCloud;
let pages: PageServer;

test.beforeAll(async () => {
  [cloud, pages] = await Promise.all([
    startCloud({ port: 0, offlineDelayMs: OFFLINE_DELAY_MS }),
    startPageServer(),
  ]);
});

test.afterAll(async () => {
  await Promise.all([cloud.close(), pages.close()]);
});

test.afterEach(async ({ page }) => {
  await page
    .evaluate(async () => {
      const all = (window as unknown as { clients?: Record<string, { disconnect(): Promise<void> }> })
        .clients;
      for (const c of Object.values(all ?? {})) await c.disconnect();
    })
    .catch(() => undefined);
});

interface DialOutcome {
  ok: boolean;
  ms: number;
  error: string;
  causes: string[];
}

/** createRobotClient with an access token, kept as window.clients[host] on success. */
function dial(page: Page, host: string, token: string): Promise<DialOutcome> {
  return page.evaluate(
    async ({ host, url, token }) => {
      const w = window as unknown as { clients?: Record<string, unknown> };
      const t0 = performance.now();
      try {
        const client = await window.viam.createRobotClient({
          host,
          signalingAddress: url,
          credentials: { type: 'access-token', payload: token },
          noReconnect: true,
          dialTimeout: 8000,
        });
        (w.clients ??= {})[host] = client;
        return { ok: true, ms: performance.now() - t0, error: '', causes: [] };
      } catch (err) {
        const cause = (err as { cause?: unknown }).cause;
        return {
          ok: false,
          ms: performance.now() - t0,
          error: String(err),
          causes: Array.isArray(cause) ? cause.map(String) : [String(cause)],
        };
      }
    },
    { host, url: cloud.url, token },
  );
}

function resourcesOf(page: Page, host: string): Promise<string[]> {
  return page.evaluate(async (h) => {
    const clients = (
      window as unknown as { clients: Record<string, { resourceNames(): Promise<{ name: string }[]> }> }
    ).clients;
    const client = clients[h];
    if (!client) throw new Error(`no client for ${h}`);
    return (await client.resourceNames()).map((r) => r.name).sort();
  }, host);
}

test('two fleet machines dialled over WebRTC with an access token, each serving its own handlers', async ({
  page,
}) => {
  await openHarness(page, pages.url);
  const [a, b] = [
    await dial(page, rover.hostname, DEFAULT_USER_TOKEN),
    await dial(page, armCell.hostname, DEFAULT_USER_TOKEN),
  ];
  expect(a.ok, a.error).toBe(true);
  expect(b.ok, b.error).toBe(true);
  expect(cloud.livePeers(rover.machineId)).toBe(1);
  expect(cloud.livePeers(armCell.machineId)).toBe(1);

  const roverResources = await resourcesOf(page, rover.hostname);
  const armResources = await resourcesOf(page, armCell.hostname);
  expect(roverResources).toContain('left-motor');
  expect(roverResources).not.toContain('conveyor');
  expect(armResources).toContain('conveyor');
  expect(armResources).not.toContain('left-motor');

  // Each machine's call log saw its own calls over its own data channel.
  const armCalls = (await (await fetch(`${cloud.url}/__sim/machines/${armCell.machineId}/calls`)).json()) as {
    calls: { method: string; transport: string }[];
  };
  const rn = armCalls.calls.filter((c) => c.method.endsWith('/ResourceNames'));
  expect(rn.length).toBeGreaterThan(0);
  expect(rn.every((c) => c.transport === 'webrtc')).toBe(true);

  // A third machine in the other organization, same token, same page.
  const c = await dial(page, sensorPod.hostname, DEFAULT_USER_TOKEN);
  expect(c.ok, c.error).toBe(true);
  expect(await resourcesOf(page, sensorPod.hostname)).toContain('soil');
});

test('a user outside the machine scope gets PermissionDenied at once', async ({ page }) => {
  await openHarness(page, pages.url);
  const denied = await dial(page, armCell.hostname, FLEET_USERS.warehouse.token);
  expect(denied.ok).toBe(false);
  expect(denied.causes[0]?.toLowerCase()).toContain('permission');
  expect(denied.ms).toBeLessThan(3000);
  expect(cloud.livePeers(armCell.machineId)).toBe(0);
  // The same user reaches the machine in their location.
  const allowed = await dial(page, rover.hostname, FLEET_USERS.warehouse.token);
  expect(allowed.ok, allowed.error).toBe(true);
});

test('an offline machine fails the dial with "host appears to be offline" after the delay', async ({
  page,
}) => {
  await openHarness(page, pages.url);
  const off = await dial(page, forklift.hostname, DEFAULT_USER_TOKEN);
  expect(off.ok).toBe(false);
  expect(off.causes.join(' ')).toContain('host appears to be offline');
  expect(off.ms).toBeGreaterThanOrEqual(OFFLINE_DELAY_MS - 50);
  // And an expired token is Unauthenticated before anything else.
  const expired = await dial(page, rover.hostname, FLEET_USERS.expired.token);
  expect(expired.ok).toBe(false);
  expect(expired.causes[0]?.toLowerCase()).toMatch(/unauthenticated|expired/u);
});

test('logs in Chromium: a page of history with hostile lines, and a tail that ends with its page', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openHarness(page, pages.url);
  const part = cloud.machines.find((m) => m.machineId === armCell.machineId)?.partId ?? '';
  await fetch(`${cloud.url}/__sim/machines/${armCell.machineId}/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 12, hostile: true }),
  });
  const history = await page.evaluate(
    async ({ url, token, part }) => {
      const viam = await window.viam.createViamClient({
        serviceHost: url,
        credentials: { type: 'access-token', payload: token },
      });
      const { logs } = await viam.appClient.getRobotPartLogs(part);
      const w = window as unknown as { tailed: string[] };
      w.tailed = [];
      const queue = { push: (e: { message: string }) => w.tailed.push(e.message) };
      void viam.appClient.tailRobotPartLogs(part, queue as never, undefined, false).catch(() => undefined);
      return logs.slice(0, 12).map((l) => ({ message: l.message, time: l.time?.toDate().getTime() ?? null }));
    },
    { url: cloud.url, token: DEFAULT_USER_TOKEN, part },
  );
  expect(history.some((l) => l.message.includes('invalid utf-8: \ufffd'))).toBe(true);
  expect(history.some((l) => l.time !== null && Number.isNaN(l.time))).toBe(true);
  expect(history.some((l) => l.message.length === 100 * 1024)).toBe(true);

  const open = async (): Promise<number> =>
    (
      (await (await fetch(`${cloud.url}/__sim/machines/${armCell.machineId}/logs/streams`)).json()) as {
        open: number;
      }
    ).open;
  await expect.poll(open, { timeout: 5000 }).toBe(1);
  await fetch(`${cloud.url}/__sim/machines/${armCell.machineId}/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 3, level: 'warn', message: 'from the browser test' }),
  });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { tailed: string[] }).tailed), { timeout: 5000 })
    .toEqual(['from the browser test #1', 'from the browser test #2', 'from the browser test #3']);
  // The SDK cannot cancel the stream; a page that goes away ends it.
  await context.close();
  await expect.poll(open, { timeout: 10_000 }).toBe(0);
});
