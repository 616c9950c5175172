/**
 * The dead-man under load: key release -> Stop at the machine while 100 sensors are polled every
 * 0.5 s and the camera's live video plays, beside the same presses on the idle rover in the same
 * run. Every card is on screen (a viewport as tall as the page), so every one of them polls.
 */
import type { Browser, Page } from '@playwright/test';
import { BENCH_MACHINE_ID } from '../machines.ts';
import { installProbe } from '../probe.ts';
import type { SimStall } from '../stack.ts';
import { CallCollector, resourceOf } from '../sim-client.ts';
import { summarize, type Summary } from '../stats.ts';
import { ensureArmed, inputEvents, inputTimes, stopDelays } from './command.ts';

const BASE_STOP = '/viam.component.base.v1.BaseService/Stop';
const SENSORS = 100;
/** What a held W sends to the base (a drive command), as the page hands it to the data channel. */
const MOTION = new Set(['SetPower', 'SetVelocity']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DeadmanResult {
  readonly stop: Summary & { readonly missed: number };
  /** Presses the console did not drive on (nothing sent while held): their releases are left out. */
  readonly refused: number;
  /** How long each driven release waited for the page's main thread before its handler ran. */
  readonly inputWait: Summary;
  /**
   * Of the same releases: key release -> the Stop handed to the data channel (the page's part, its
   * wait for the main thread included), and
   * the slowest release split into that part and the rest (the link, SCTP and the machine).
   */
  readonly pageStop: Summary;
  readonly slowest: { readonly total: number; readonly page: number };
  /** GetReadings per sensor per second over the presses (the load actually applied). */
  readonly sensorHz: number;
  /** Live frames the camera showed per second over the presses. */
  readonly videoFps: number;
  /** The page's longest task over the presses, and its longest during the slowest release (ms). */
  readonly pageLongest: number;
  readonly slowestLongTask: number;
  /** The simulated machine's event-loop stalls over the presses (when the sim reports them). */
  readonly sim?: SimStalls;
  /** The same of a process beside it that does nothing (the host's stalls, not any work's). */
  readonly bystander?: SimStalls;
}

export interface SimStalls {
  /** Stalls over 50 ms, and the longest. */
  readonly over50: number;
  readonly longestMs: number;
  /** CPU time the sim had during its stalls over 50 ms, as a share of their length. */
  readonly cpuShare: number;
  /** Releases whose Stop took over 50 ms, and of those, the ones the sim was stalled for half of. */
  readonly slowReleases: number;
  readonly slowReleasesStalled: number;
  /** How long the sim was stalled between the slowest release and its Stop's arrival. */
  readonly slowestStalledMs: number;
}

/** How much of [from, to] the stalls cover (they do not overlap each other). */
export function stalledWithin(stalls: readonly SimStall[], from: number, to: number): number {
  return stalls.reduce((sum, s) => sum + Math.max(0, Math.min(to, s.at + s.ms) - Math.max(from, s.at)), 0);
}

export function simStalls(
  stalls: readonly SimStall[],
  releases: readonly { readonly at: number; readonly delay: number }[],
): SimStalls {
  const long = stalls.filter((s) => s.ms > 50);
  const wall = long.reduce((sum, s) => sum + s.ms, 0);
  const slow = releases.filter((r) => Number.isFinite(r.delay) && r.delay > 50);
  const slowest = releases.reduce<(typeof releases)[number] | undefined>(
    (worst, r) => (Number.isFinite(r.delay) && r.delay > (worst?.delay ?? -1) ? r : worst),
    undefined,
  );
  return {
    over50: long.length,
    longestMs: Math.max(0, ...stalls.map((s) => s.ms)),
    cpuShare: wall === 0 ? 0 : long.reduce((sum, s) => sum + s.cpuMs, 0) / wall,
    slowReleases: slow.length,
    slowReleasesStalled: slow.filter((r) => stalledWithin(stalls, r.at, r.at + r.delay) >= r.delay / 2)
      .length,
    slowestStalledMs: slowest ? stalledWithin(stalls, slowest.at, slowest.at + slowest.delay) : 0,
  };
}

/**
 * `presses` holds of W (each long enough for its SetPower to reach the machine), each let go:
 * release -> Stop at the machine. `loaded` presets the 100 sensors' refresh to 0.5 s.
 */
export async function releaseUnderLoad(
  browser: Browser,
  url: string,
  options: {
    presses: number;
    loaded: boolean;
    /** The simulated machine's event-loop stalls over a stretch of time (epoch ms). */
    stalls?: (from: number, to: number) => SimStall[];
    /** The same of an idle process beside it. */
    bystander?: (from: number, to: number) => SimStall[];
  },
): Promise<DeadmanResult> {
  const width = 1920;
  const context = await browser.newContext({ viewport: { width, height: options.loaded ? 16_000 : 2400 } });
  try {
    await installProbe(context, [
      { name: 'cardsLoaded', selector: 'resource-card[data-loaded]', count: true },
    ]);
    if (options.loaded) {
      await context.addInitScript(
        ({ machineId, count }) => {
          for (let i = 0; i < count; i++) {
            const key = `mc.card.v1.${machineId}.rdk:component:sensor/env-${String(i).padStart(3, '0')}.refresh`;
            localStorage.setItem(key, JSON.stringify('500'));
          }
        },
        { machineId: BENCH_MACHINE_ID, count: SENSORS },
      );
    }
    const page = await context.newPage();
    await page.goto(url);
    const base = page.locator('resource-card[data-card="base"]');
    await base.locator('[data-action="arm"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-camera-mode="live"]').first().waitFor({ timeout: 30_000 });
    // Every card loaded and polling, the page at its full height, then measure.
    await sleep(3000);
    if (options.loaded) {
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width, height: Math.min(16_000, height + 200) });
      await sleep(1500);
    }
    await ensureArmed(base);
    const frames0 = await presentedFrames(page);
    const collector = new CallCollector();
    await page.evaluate(() => {
      if (window.__bench) window.__bench.recordSends = true;
    });
    const start = await page.evaluate(() => window.__bench?.now() ?? Date.now());
    const startPerf = await page.evaluate(() => performance.now());
    collector.start(start - 1);
    for (let i = 0; i < options.presses; i++) {
      await ensureArmed(base);
      await page.keyboard.down('w');
      await sleep(150);
      await page.keyboard.up('w');
      await sleep(150 + (i % 7) * 5); // not in step with the polls or the video
    }
    await sleep(500);
    const end = await page.evaluate(() => window.__bench?.now() ?? Date.now());
    const frames1 = await presentedFrames(page);
    const calls = await collector.stop();
    const sends = (await page.evaluate(() => window.__bench?.sends ?? [])).filter((x) => x.at >= start);
    // Only the releases of presses that drove: a press the console refused (the connection was
    // between a missed check and the next, a session starting) moved nothing, so its release has
    // nothing to stop and sends no Stop by design; counting the next press's Stop as its own would
    // make a refusal look like a slow stop. Those are counted apart.
    const downs = await inputTimes(page, 'keydown', 'w', start);
    const upEvents = await inputEvents(page, 'keyup', 'w', start);
    const allUps = upEvents.map((u) => u.at);
    const drove = allUps.map((up) => {
      const down = downs.filter((d) => d <= up).at(-1) ?? up;
      return sends.some((x) => MOTION.has(x.method) && x.at >= down - 1 && x.at <= up + 1);
    });
    // Each release from the moment the key went up (its event's time), not from when the page got to
    // it: a long task on the page holds the release's handler, and so its Stop, that long.
    const driven = upEvents.filter((_, i) => drove[i]);
    const ups = driven.map((u) => u.at - u.waitedMs);
    const inputWait = summarize(driven.map((u) => u.waitedMs));
    const delays = stopDelays(
      ups,
      calls.filter((c) => resourceOf(c) === 'base'),
      BASE_STOP,
    );
    const stopSends = sends.filter((x) => x.method === 'Stop').map((x) => x.at);
    // The first Stop the page sent after each release (within the same 2 s as the machine's).
    const pageDelays = ups.map((t) => {
      const hit = stopSends.find((s) => s >= t - 1 && s < t + 2000);
      return hit === undefined ? Number.POSITIVE_INFINITY : hit - t;
    });
    const releases = ups.map((at, i) => ({ at, delay: delays[i] ?? Number.NaN }));
    // Long tasks on the releases' clock (the probe keeps them in performance.now()).
    const tasks = await page.evaluate((from) => {
      const bench = window.__bench;
      if (!bench) return [];
      const origin = bench.now() - performance.now();
      return bench.longTasks
        .filter((t) => t.start >= from)
        .map((t) => ({ at: origin + t.start, ms: t.duration }));
    }, startPerf);
    const slowestAt = delays.reduce(
      (worst, d, i) => (Number.isFinite(d) && d > (delays[worst] ?? -1) ? i : worst),
      0,
    );
    const seconds = (end - start) / 1000;
    const slowest = releases[slowestAt];
    const slowestLongTask = slowest
      ? Math.max(
          0,
          ...tasks
            .filter((t) => t.at < slowest.at + slowest.delay && t.at + t.ms > slowest.at)
            .map((t) => t.ms),
        )
      : 0;
    const readings = calls.filter((c) => c.method.endsWith('/GetReadings'));
    const sensors = new Set(readings.map(resourceOf)).size;
    return {
      stop: { ...summarize(delays), missed: delays.filter((d) => !Number.isFinite(d)).length },
      refused: allUps.length - ups.length,
      inputWait,
      pageStop: summarize(pageDelays),
      slowest: { total: delays[slowestAt] ?? Number.NaN, page: pageDelays[slowestAt] ?? Number.NaN },
      pageLongest: Math.max(0, ...tasks.map((t) => t.ms)),
      slowestLongTask,
      sensorHz: sensors === 0 ? 0 : readings.length / sensors / seconds,
      videoFps: (frames1 - frames0) / seconds,
      ...(options.stalls ? { sim: simStalls(options.stalls(start, end), releases) } : {}),
      ...(options.bystander ? { bystander: simStalls(options.bystander(start, end), releases) } : {}),
    };
  } finally {
    await context.close();
  }
}

/** Frames the page's first <video> has presented so far (however deep in shadow roots). */
function presentedFrames(page: Page): Promise<number> {
  return page.evaluate(() => {
    // A walk with a stack, no named inner function (the bundler would wrap it for the page).
    const roots: (Document | ShadowRoot)[] = [document];
    for (let root = roots.pop(); root; root = roots.pop()) {
      for (const el of root.querySelectorAll('*')) {
        if (el instanceof HTMLVideoElement) return el.getVideoPlaybackQuality().totalVideoFrames;
        if (el.shadowRoot) roots.push(el.shadowRoot);
      }
    }
    return 0;
  });
}
