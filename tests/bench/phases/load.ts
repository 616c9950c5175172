/**
 * Time to useful: navigation -> connected and navigation -> first data rendered, over fresh page
 * loads (a new browser context each: cold cache, new connection), the console and the floor
 * interleaved so drift hits both alike. Each load's machine-side timeline is kept for diagnosis.
 */
import type { Browser } from '@playwright/test';
import { installProbe, type Mark, type Watch } from '../probe.ts';
import { arrival, resetCalls, shortMethod, simCalls } from '../sim-client.ts';
import { summarize, type Summary } from '../stats.ts';

export type Subject = 'app' | 'floor';

/** What each subject calls connected and first data. */
export const LOAD_WATCHES: Readonly<Record<Subject, readonly Watch[]>> = {
  app: [
    { name: 'connected', selector: '[data-connection="connected"]' },
    {
      name: 'data',
      selector: '[data-machine-state]:not([data-machine-state="unknown"]):not([data-machine-state="…"])',
    },
  ],
  floor: [
    { name: 'connected', selector: 'body[data-connection="connected"]' },
    { name: 'data', selector: '[data-resource-count]' },
  ],
};

/** A call the machine saw during a load, in ms since that page's navigation start. */
export interface TimelineCall {
  readonly method: string;
  readonly arrived: number;
  readonly done: number;
  readonly transport: string;
}

export interface LoadSample {
  readonly connected: number;
  readonly data: number;
  /** `until: 'screen'`: when every card frame on screen first showed its data (see scale.ts). */
  readonly screenData?: number;
  /** Entry script loaded (responseEnd), ms since navigation. */
  readonly scriptsLoaded: number;
  readonly domContentLoaded: number;
  /** The JS files the page fetched: path and when the response ended, ms since navigation. */
  readonly scripts: readonly { path: string; end: number }[];
  /** The page's fetches (gRPC-web calls to the cloud included): path, start and end, ms since navigation. */
  readonly fetches: readonly { path: string; start: number; end: number }[];
  readonly timeline: readonly TimelineCall[];
  readonly marks: Record<string, Mark>;
  /** Peer connection milestones (see probe.ts), ms since navigation. */
  readonly events: readonly { name: string; at: number }[];
  /** Long tasks before the data was on screen. */
  readonly longTasks: readonly { start: number; duration: number }[];
}

export interface LoadResult {
  /** Navigation -> the page's first RTCPeerConnection created (the dial's own start, past auth). */
  readonly pcNew: Summary;
  /** Navigation -> the first signaling or auth request sent (the dial's very first step). */
  readonly dialStart: Summary;
  readonly connected: Summary;
  readonly data: Summary;
  /** Connected -> first data, per load. */
  readonly afterConnect: Summary;
  /** Navigation -> the data channel open (the dial done, whatever the page then does). */
  readonly channelOpen: Summary;
  /**
   * Data channel open -> connected shown, and -> first data shown, per load: the page's own part
   * after the dial, without the dial's run-to-run spread (which is wider than most changes).
   */
  readonly openToConnected: Summary;
  readonly openToData: Summary;
  readonly samples: readonly LoadSample[];
}

export async function loadOnce(
  browser: Browser,
  url: string,
  watches: readonly Watch[],
  options: {
    viewport?: { width: number; height: number };
    /**
     * When the load is over: the `data` mark painted (default), every card loaded and quiet, or every
     * card on screen showing data and the frames quiet (`window.__screenData`, set by an init script).
     */
    until?: 'data' | 'cards' | 'screen';
    timeoutMs?: number;
    /** Runs in the page before its scripts (e.g. a remembered preference). */
    init?: () => void;
  } = {},
): Promise<LoadSample> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  try {
    // The probe first: it gives the page the __name() that tsx's compiled functions call.
    await installProbe(context, watches);
    if (options.init) await context.addInitScript(options.init);
    const page = await context.newPage();
    await resetCalls();
    await page.goto(url, { waitUntil: 'commit' });
    // (A function, not a string: the app's CSP forbids eval.)
    await page.waitForFunction(
      (until) => {
        const m = window.__bench?.marks ?? {};
        if (until === 'data') return m['data']?.frame !== undefined;
        const f = m['cardFrames'];
        if (until === 'screen') {
          const at = (window as { __screenData?: number }).__screenData;
          const s = m['statusList'];
          if (at === undefined || !f || !s || m['data']?.frame === undefined) return false;
          return performance.now() - Math.max(f.dom, s.dom, at) > 1500;
        }
        const l = m['cardsLoaded'];
        const s = m['statusList'];
        if (!f || !l || !s || l.n < f.n || l.frame === undefined) return false;
        return performance.now() - Math.max(f.dom, l.dom, s.dom) > 1500;
      },
      options.until ?? 'data',
      { timeout: options.timeoutMs ?? 20_000, polling: 100 },
    );
    const page1 = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      // The entry module: the first script the page fetched.
      const entry = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.endsWith('.js'))
        .sort((a, b) => a.startTime - b.startTime)[0] as PerformanceResourceTiming | undefined;
      const b = window.__bench;
      return {
        screenData: (window as { __screenData?: number }).__screenData,
        marks: b?.marks ?? {},
        events: b?.events ?? [],
        longTasks: b?.longTasks ?? [],
        navEpoch: performance.timeOrigin + (b?.offset ?? 0),
        scriptsLoaded: entry?.responseEnd ?? Number.NaN,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
        scripts: performance
          .getEntriesByType('resource')
          .filter((e) => new URL(e.name).pathname.endsWith('.js'))
          .map((e) => ({
            path: new URL(e.name).pathname,
            end: (e as PerformanceResourceTiming).responseEnd,
          })),
        fetches: performance
          .getEntriesByType('resource')
          .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'fetch')
          .map((e) => ({
            path: new URL(e.name).pathname,
            start: e.startTime,
            end: (e as PerformanceResourceTiming).responseEnd,
          })),
      };
    });
    const calls = await simCalls();
    // Leave the way a user does: the page hides and drops its connection.
    await page.goto('about:blank');
    const at = (mark: Mark | undefined): number => mark?.frame ?? mark?.dom ?? Number.NaN;
    return {
      connected: at(page1.marks['connected']),
      data: at(page1.marks['data']),
      ...(page1.screenData === undefined ? {} : { screenData: page1.screenData }),
      scriptsLoaded: page1.scriptsLoaded,
      domContentLoaded: page1.domContentLoaded,
      scripts: page1.scripts,
      fetches: page1.fetches,
      marks: page1.marks,
      events: page1.events,
      longTasks: page1.longTasks,
      timeline: calls
        .filter((c) => c.method.startsWith('/'))
        .map((c) => ({
          method: shortMethod(c),
          transport: c.transport,
          arrived: Math.round((arrival(c) - page1.navEpoch) * 10) / 10,
          done: Math.round((c.t - page1.navEpoch) * 10) / 10,
        }))
        .sort((a, b) => a.arrived - b.arrived),
    };
  } finally {
    await context.close();
  }
}

/** A page measured by loadTimes: the console (or a variant of it), or the floor. */
export interface LoadSubject {
  readonly name: string;
  readonly url: string;
  readonly kind: Subject;
  /** Runs in the page before its scripts (e.g. the logs panel remembered open). */
  readonly init?: () => void;
}

/** `n` loads of each subject, interleaved (rotating the order) so drift hits all alike. */
export async function loadTimes(
  browser: Browser,
  subjects: readonly LoadSubject[],
  n: number,
): Promise<Record<string, LoadResult>> {
  const samples = new Map<string, LoadSample[]>(subjects.map((s) => [s.name, []]));
  // One unmeasured load each: the machine and the servers warm up (JIT, certificate, file cache).
  const once = (s: LoadSubject) =>
    loadOnce(browser, s.url, LOAD_WATCHES[s.kind], s.init === undefined ? {} : { init: s.init });
  for (const s of subjects) await once(s);
  for (let i = 0; i < n; i++) {
    const order = subjects.map((_, j) => subjects[(i + j) % subjects.length]);
    for (const s of order) {
      if (s) samples.get(s.name)?.push(await once(s));
    }
  }
  const result = (s: LoadSample[]): LoadResult => ({
    pcNew: summarize(s.map((x) => x.events.find((e) => e.name === 'pc:new')?.at ?? Number.NaN)),
    dialStart: summarize(s.map(dialStartOf)),
    connected: summarize(s.map((x) => x.connected)),
    data: summarize(s.map((x) => x.data)),
    afterConnect: summarize(s.map((x) => x.data - x.connected)),
    channelOpen: summarize(s.map(channelOpenOf)),
    openToConnected: summarize(s.map((x) => x.connected - channelOpenOf(x))),
    openToData: summarize(s.map((x) => x.data - channelOpenOf(x))),
    samples: s,
  });
  return Object.fromEntries([...samples].map(([name, s]) => [name, result(s)]));
}

/**
 * The JS a load had fetched by its first data on screen: files and gzip bytes (sized from the
 * build, since the preview server does not compress), median over the loads.
 */
export function scriptsBeforeData(
  samples: readonly LoadSample[],
  gzipOf: (path: string) => number | undefined,
): { files: Summary; gzip: Summary } {
  const files: number[] = [];
  const bytes: number[] = [];
  for (const s of samples) {
    const fetched = s.scripts.filter((x) => x.end <= s.data);
    files.push(fetched.length);
    bytes.push(fetched.reduce((sum, x) => sum + (gzipOf(x.path) ?? Number.NaN), 0));
  }
  return { files: summarize(files), gzip: summarize(bytes) };
}

/** When the page sent its first auth or signaling request (the dial's first step), ms since navigation. */
export function dialStartOf(sample: LoadSample): number {
  const first = sample.fetches
    .filter((f) => /AuthService|SignalingService/.test(f.path))
    .sort((a, b) => a.start - b.start)[0];
  return first?.start ?? Number.NaN;
}

/** Median arrival (ms since navigation) of the first call of each method, in order. */
export function medianTimeline(
  samples: readonly LoadSample[],
): { method: string; arrived: number; done: number }[] {
  const byMethod = new Map<string, { arrived: number[]; done: number[] }>();
  for (const s of samples) {
    const firsts = new Map<string, TimelineCall>();
    for (const c of s.timeline) if (!firsts.has(c.method)) firsts.set(c.method, c);
    for (const [method, c] of firsts) {
      const entry = byMethod.get(method) ?? { arrived: [], done: [] };
      entry.arrived.push(c.arrived);
      entry.done.push(c.done);
      byMethod.set(method, entry);
    }
  }
  return [...byMethod]
    .map(([method, v]) => ({
      method,
      arrived: summarize(v.arrived).median,
      done: summarize(v.done).median,
    }))
    .sort((a, b) => a.arrived - b.arrived);
}

/**
 * Round trips the console starts on the data channel before its first GetMachineStatus reaches the
 * machine (per load), and the status request's delay after the first data-channel call.
 */
export function beforeFirstStatus(samples: readonly LoadSample[]): { calls: Summary; delay: Summary } {
  const counts: number[] = [];
  const delays: number[] = [];
  for (const s of samples) {
    const channel = s.timeline.filter((c) => c.transport === 'webrtc');
    const status = channel.findIndex((c) => c.method === 'GetMachineStatus');
    const first = channel[0];
    const statusCall = channel[status];
    if (status < 0 || !first || !statusCall) continue;
    counts.push(status);
    delays.push(statusCall.arrived - first.arrived);
  }
  return { calls: summarize(counts), delay: summarize(delays) };
}

/** When the load's data channel opened (ms since navigation; NaN if it never did). */
function channelOpenOf(sample: LoadSample): number {
  return sample.events.find((e) => e.name === 'dc:open:data')?.at ?? Number.NaN;
}
