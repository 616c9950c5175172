/**
 * Soak: the rover driven at 10 Hz (W held, briefly released every few seconds, keys rotating) with
 * every card polling (sensors at 0.5 s) and the camera card on live video, for minutes. JS heap after
 * a forced GC at start and end, sampled along the way; DOM counters; what the machine received.
 */
import type { Browser } from '@playwright/test';
import { BENCH_MACHINE_ID } from '../machines.ts';
import { installProbe } from '../probe.ts';
import { CallCollector, arrival, resourceOf } from '../sim-client.ts';
import { slope } from '../stats.ts';
import { ensureArmed, openArmedBase } from './command.ts';
import { openFloorPeer } from './peer.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HeapSample {
  /** s since the soak started */
  readonly t: number;
  readonly usedMB: number;
  readonly nodes: number;
  readonly listeners: number;
}

export interface SoakResult {
  readonly durationS: number;
  readonly heapStartMB: number;
  readonly heapEndMB: number;
  readonly growthMB: number;
  readonly growthPct: number;
  /** Least-squares trend over the samples after warm-up. */
  readonly slopeMBPerMin: number;
  readonly samples: readonly HeapSample[];
  /** The floor page, open beside it for the same time (connected, idle). */
  readonly floorStartMB: number;
  readonly floorEndMB: number;
  /** SetPower + SetVelocity the machine received per second while driving. */
  readonly driveRateHz: number;
  /** Base IsMoving calls per second while driving (the held motion's checks, plus the card's poll). */
  readonly baseChecksHz: number;
  /** Polls (GetReadings, GetPosition…: every named read) per second. */
  readonly readsPerS: number;
  /** Live video frames decoded in the camera card over the soak. */
  readonly videoFrames: number;
  readonly cameraMode: string;
}

export async function soak(
  browser: Browser,
  urls: { app: string; floor: string },
  durationMs: number,
): Promise<SoakResult> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 3000 } });
  try {
    await installProbe(context);
    await context.addInitScript((machineId) => {
      for (const name of ['rdk:component:sensor/env-sensor', 'rdk:component:power_sensor/battery']) {
        localStorage.setItem(`mc.card.v1.${machineId}.${name}.refresh`, JSON.stringify('500'));
      }
      localStorage.setItem(`mc.card.v1.${machineId}.rdk:component:movement_sensor/gps-imu.refresh`, '"500"');
    }, BENCH_MACHINE_ID);
    const page = await context.newPage();
    const base = await openArmedBase(page, urls.app);
    const camera = page.locator('resource-card[data-card="cam"] [data-camera-mode]');
    await camera.waitFor({ timeout: 20_000 });
    await page
      .locator('resource-card[data-card="cam"] [data-camera-mode="live"]')
      .waitFor({ timeout: 15_000 })
      .catch(() => undefined);
    const video = page.locator('resource-card[data-card="cam"] video');
    const videoFrames = () =>
      video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames).catch(() => 0);

    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const sample = async (t: number): Promise<HeapSample> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const dom = await cdp.send('Memory.getDOMCounters');
      return { t, usedMB: heap.usedSize / 2 ** 20, nodes: dom.nodes, listeners: dom.jsEventListeners };
    };

    const peer = await openFloorPeer(browser, urls.floor);
    let floorStartMB = Number.NaN;
    const collector = new CallCollector();
    const started = Date.now();
    collector.start(started);
    const frames0 = await videoFrames();
    const samples: HeapSample[] = [];
    // Warm up (first polls, plots filling their windows), then the first sample.
    const keys = ['w', 'a', 'w', 'd'];
    let k = 0;
    const sampleEvery = Math.max(10_000, durationMs / 10);
    let nextSample = started + Math.min(15_000, durationMs / 5);
    let driveMs = 0;
    while (Date.now() - started < durationMs) {
      const key = keys[k++ % keys.length] ?? 'w';
      await ensureArmed(base);
      const down = Date.now();
      await page.keyboard.down(key);
      await sleep(4000);
      await page.keyboard.up(key);
      driveMs += Date.now() - down;
      await sleep(200);
      if (Date.now() >= nextSample) {
        if (samples.length === 0) floorStartMB = await peer.heapMB();
        samples.push(await sample((Date.now() - started) / 1000));
        nextSample += sampleEvery;
      }
    }
    samples.push(await sample((Date.now() - started) / 1000));
    const floorEndMB = await peer.heapMB();
    await peer.close();
    const ended = Date.now();
    const frames1 = await videoFrames();
    const cameraMode = (await camera.getAttribute('data-camera-mode')) ?? '';
    const calls = (await collector.stop()).filter((c) => arrival(c) >= started && arrival(c) <= ended);
    const drives = calls.filter((c) => /\/Set(Power|Velocity)$/.test(c.method)).length;
    const checks = calls.filter((c) => c.method.endsWith('BaseService/IsMoving')).length;
    const reads = calls.filter((c) => resourceOf(c) !== undefined && /\/(Get|Is)/.test(c.method)).length;
    const first = samples[0];
    const last = samples.at(-1);
    const startMB = first?.usedMB ?? Number.NaN;
    const endMB = last?.usedMB ?? Number.NaN;
    return {
      durationS: (ended - started) / 1000,
      heapStartMB: startMB,
      heapEndMB: endMB,
      growthMB: endMB - startMB,
      growthPct: ((endMB - startMB) / startMB) * 100,
      slopeMBPerMin: slope(samples.map((s) => [s.t / 60, s.usedMB] as const)),
      samples,
      floorStartMB,
      floorEndMB,
      driveRateHz: drives / (driveMs / 1000),
      baseChecksHz: checks / ((ended - started) / 1000),
      readsPerS: reads / ((ended - started) / 1000),
      videoFrames: frames1 - frames0,
      cameraMode,
    };
  } finally {
    await context.close();
  }
}
