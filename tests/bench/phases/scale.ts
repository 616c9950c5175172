/**
 * Scale: a machine of 300 resources (time to render the status list and the cards, against the floor
 * on the same machine), and 100 sensors polled at 0.5 s for a while (most requests in flight for one
 * resource, requests while the tab is hidden, main-thread busy share).
 */
import type { Browser } from '@playwright/test';
import { BENCH_MACHINE_ID } from '../machines.ts';
import { installProbe, type Watch } from '../probe.ts';
import { CallCollector, arrival, resourceOf, shortMethod } from '../sim-client.ts';
import { maxConcurrency, summarize, type Summary } from '../stats.ts';
import { LOAD_WATCHES, loadOnce } from './load.ts';
import { openFloorPeer } from './peer.ts';
import { profileFor, traceBreakdown, type ProfileEntry } from './profile.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs in the page before its scripts (self-contained): from the first frame on, every animation
 * frame looks at the card frames on screen and stamps `window.__screenData` (performance.now()) the
 * first time every one of them shows its data: its card is made and, if it polls, says more than
 * "No data yet" / "Loading…" (or shows its failure). Works the same on a console that makes every
 * card at once and one that makes them as they come near, so the two compare.
 */
function watchScreenData(): void {
  const w = window as { __screenData?: number };
  const started = performance.now();
  const showing = (frame: Element): boolean => {
    const root = frame.shadowRoot;
    if (!root) return false;
    if (root.querySelector('.body [role="alert"]')) return true;
    const body = root.querySelector('.body > :not(.loading)');
    if (!body) return false;
    const status = body.shadowRoot?.querySelector('.poll-status');
    if (!status) return body.shadowRoot !== null;
    const text = status.textContent;
    return !text.includes('No data yet') && !text.includes('Loading…');
  };
  const look = (): void => {
    if (performance.now() - started > 120_000) return;
    const dashboard = document
      .querySelector('machine-console')
      ?.shadowRoot?.querySelector('machine-dashboard')?.shadowRoot;
    const frames = [...(dashboard?.querySelectorAll('resource-card') ?? [])].filter((f) => {
      const r = f.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
    });
    if (frames.length > 0 && frames.every(showing)) {
      w.__screenData = performance.now();
      return;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

const SCALE_WATCHES: readonly Watch[] = [
  ...LOAD_WATCHES.app,
  { name: 'statusList', selector: 'li[data-status-resource]', count: true },
  { name: 'cardFrames', selector: 'resource-card', count: true },
  { name: 'cardsLoaded', selector: 'resource-card[data-loaded]', count: true },
];

export interface RenderResult {
  readonly resources: number;
  readonly statusItems: number;
  readonly connected: Summary;
  readonly firstStatus: Summary;
  /** Navigation -> every card frame on screen showing its data. */
  readonly screenData: Summary;
  readonly statusList: Summary;
  readonly cardFrames: Summary;
  readonly cardsLoaded: Summary;
  /** Longest main-thread task during the load (ms). */
  readonly longestTask: Summary;
  /** Sum of long tasks until every card was loaded (ms). */
  readonly longTaskTotal: Summary;
  readonly floorConnected: Summary;
  readonly floorData: Summary;
}

export async function scaleRender(
  browser: Browser,
  urls: { app: string; floor: string },
  loads: number,
): Promise<RenderResult> {
  const app: Awaited<ReturnType<typeof loadOnce>>[] = [];
  const floor: Awaited<ReturnType<typeof loadOnce>>[] = [];
  for (let i = 0; i < loads; i++) {
    app.push(
      await loadOnce(browser, urls.app, SCALE_WATCHES, {
        until: 'screen',
        timeoutMs: 60_000,
        init: watchScreenData,
      }),
    );
    floor.push(await loadOnce(browser, urls.floor, LOAD_WATCHES.floor));
  }
  const at = (s: (typeof app)[number], name: string) =>
    s.marks[name]?.frame ?? s.marks[name]?.dom ?? Number.NaN;
  return {
    resources: app[0]?.marks['cardFrames']?.n ?? 0,
    statusItems: app[0]?.marks['statusList']?.n ?? 0,
    connected: summarize(app.map((s) => s.connected)),
    firstStatus: summarize(app.map((s) => s.data)),
    screenData: summarize(app.map((s) => s.screenData ?? Number.NaN)),
    statusList: summarize(app.map((s) => at(s, 'statusList'))),
    cardFrames: summarize(app.map((s) => at(s, 'cardFrames'))),
    cardsLoaded: summarize(app.map((s) => at(s, 'cardsLoaded'))),
    longestTask: summarize(app.map((s) => Math.max(0, ...s.longTasks.map((t) => t.duration)))),
    longTaskTotal: summarize(
      app.map((s) =>
        s.longTasks
          .filter((t) => t.start < (s.screenData ?? Infinity))
          .reduce((sum, t) => sum + t.duration, 0),
      ),
    ),
    floorConnected: summarize(floor.map((s) => s.connected)),
    floorData: summarize(floor.map((s) => s.data)),
  };
}

export interface PollResult {
  readonly sensors: number;
  /** Sensors that were polled at all in the window. */
  readonly polledSensors: number;
  readonly windowS: number;
  /** GetReadings per polled sensor per second. */
  readonly rateHz: number;
  readonly readingsLatency: Summary;
  /** Most requests in flight at once for one resource (must be 1). */
  readonly maxInFlightPerResource: number;
  readonly hiddenS: number;
  /** Requests that reached the machine while the tab was hidden, by method. */
  readonly hiddenCalls: Readonly<Record<string, number>>;
  /** ...of which polls (everything but the session heartbeat, which is the safety net). */
  readonly hiddenPolls: number;
  /**
   * Requests the page put on the data channel while hidden, by method (the page's own record, so a
   * request sent just before hiding but queued at a busy machine does not count).
   */
  readonly hiddenSends: Readonly<Record<string, number>>;
  readonly hiddenSentPolls: number;
  /** Main-thread busy share, CDP TaskDuration delta / wall time. */
  readonly busyShare: number;
  /** Same, from long tasks (>= 50 ms) only. */
  readonly longTaskShare: number;
  /** Longest task in the window (ms; 0 when none reached 50 ms, the long-task threshold). */
  readonly longestTask: number;
  /** The floor page's busy share over the same window (connected to the same machine, idle). */
  readonly floorBusyShare: number;
  readonly viewport: { width: number; height: number };
  /** Cards wholly inside that viewport when the window started. */
  readonly onScreen: number;
  /** Where the main thread's time went, over a few seconds after the window (self time). */
  readonly profile: readonly ProfileEntry[];
  /** The same by trace event (script, style, layout, paint…), as a share of wall time. */
  readonly trace: readonly ProfileEntry[];
}

export async function sensorPolling(
  browser: Browser,
  urls: { app: string; floor: string },
  options: { sensors: number; windowMs: number; hiddenMs: number },
): Promise<PollResult> {
  // A viewport as tall as the page, so every card is on screen (cards poll only on screen): start at
  // Chromium's largest, let every card get its data (and its full height), then fit the page.
  const width = 1920;
  const context = await browser.newContext({ viewport: { width, height: 16_000 } });
  try {
    await installProbe(context, [
      { name: 'cardsLoaded', selector: 'resource-card[data-loaded]', count: true },
    ]);
    // Preset every sensor card's refresh to 0.5 s (src/lib/card-prefs.ts's key and format).
    await context.addInitScript(
      ({ machineId, count }) => {
        for (let i = 0; i < count; i++) {
          const key = `mc.card.v1.${machineId}.rdk:component:sensor/env-${String(i).padStart(3, '0')}.refresh`;
          localStorage.setItem(key, JSON.stringify('500'));
        }
      },
      { machineId: BENCH_MACHINE_ID, count: options.sensors },
    );
    const page = await context.newPage();
    await page.goto(urls.app);
    await page.waitForFunction((n) => (window.__bench?.marks['cardsLoaded']?.n ?? 0) >= n, options.sensors, {
      timeout: 60_000,
      polling: 250,
    });
    await sleep(3000);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const viewport = { width, height: Math.min(16_000, height + 200) };
    await page.setViewportSize(viewport);
    await sleep(1500);
    const onScreen = await page.evaluate(() => {
      const h = window.innerHeight;
      const cards = document
        .querySelector('machine-console')
        ?.shadowRoot?.querySelector('machine-dashboard')
        ?.shadowRoot?.querySelectorAll('resource-card');
      return [...(cards ?? [])].filter((c) => c.getBoundingClientRect().bottom <= h).length;
    });

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskDuration = async (): Promise<number> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    };
    await page.evaluate(() => {
      if (window.__bench) window.__bench.recordSends = true;
    });
    const peer = await openFloorPeer(browser, urls.floor);
    const collector = new CallCollector();
    const start = await page.evaluate(() => window.__bench?.now() ?? Date.now());
    const startPerf = await page.evaluate(() => performance.now());
    const busy0 = await taskDuration();
    const peer0 = await peer.taskDuration();
    const peerStart = performance.now();
    collector.start(start);
    await sleep(options.windowMs);
    const busy1 = await taskDuration();
    const peer1 = await peer.taskDuration();
    const floorBusyShare = ((peer1 - peer0) * 1000) / (performance.now() - peerStart);
    await peer.close();
    const end = await page.evaluate(() => window.__bench?.now() ?? Date.now());
    const endPerf = await page.evaluate(() => performance.now());
    const longTasks = await page.evaluate(() => window.__bench?.longTasks ?? []);
    const profile = await profileFor(cdp, 5000);
    const trace = await traceBreakdown(browser, page, 3000);

    // Hide the tab: nothing may be polled until it shows again.
    const hiddenAt = await page.evaluate(() => {
      const at = window.__bench?.now() ?? Date.now();
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
      return at;
    });
    await sleep(options.hiddenMs);
    const shownAt = await page.evaluate(() => {
      const at = window.__bench?.now() ?? Date.now();
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
      return at;
    });
    await sleep(500);
    const calls = await collector.stop();
    const sends = await page.evaluate(() => window.__bench?.sends ?? []);
    const sentHidden = sends.filter((x) => x.at > hiddenAt && x.at < shownAt);
    const hiddenSends: Record<string, number> = {};
    for (const x of sentHidden) hiddenSends[x.method] = (hiddenSends[x.method] ?? 0) + 1;

    const inWindow = calls.filter((c) => arrival(c) >= start && arrival(c) <= end);
    const readings = inWindow.filter((c) => c.method.endsWith('/GetReadings'));
    const polled = new Set(readings.map(resourceOf));
    const intervals = calls.flatMap((c) => {
      const key = resourceOf(c);
      return key === undefined ? [] : [{ key, start: arrival(c), end: c.t }];
    });
    // A request already on its way when the tab hid may still land within a few ms.
    const hidden = calls.filter((c) => arrival(c) > hiddenAt + 20 && arrival(c) < shownAt);
    const hiddenCalls: Record<string, number> = {};
    for (const c of hidden) hiddenCalls[shortMethod(c)] = (hiddenCalls[shortMethod(c)] ?? 0) + 1;
    const wallMs = endPerf - startPerf;
    return {
      sensors: options.sensors,
      polledSensors: polled.size,
      windowS: (end - start) / 1000,
      rateHz: readings.length / Math.max(1, polled.size) / ((end - start) / 1000),
      readingsLatency: summarize(readings.map((c) => c.durationMs)),
      maxInFlightPerResource: Math.max(0, ...maxConcurrency(intervals).values()),
      hiddenS: (shownAt - hiddenAt) / 1000,
      hiddenCalls,
      hiddenPolls: hidden.filter((c) => !c.method.endsWith('/SendSessionHeartbeat')).length,
      hiddenSends,
      hiddenSentPolls: sentHidden.filter((x) => x.method !== 'SendSessionHeartbeat').length,
      busyShare: ((busy1 - busy0) * 1000) / wallMs,
      longTaskShare:
        longTasks
          .filter((t) => t.start >= startPerf && t.start <= endPerf)
          .reduce((sum, t) => sum + t.duration, 0) / wallMs,
      longestTask: Math.max(
        0,
        ...longTasks.filter((t) => t.start >= startPerf && t.start <= endPerf).map((t) => t.duration),
      ),
      floorBusyShare,
      viewport,
      onScreen,
      profile,
      trace,
    };
  } finally {
    await context.close();
  }
}
