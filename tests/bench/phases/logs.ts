/**
 * The logs panel against the simulated cloud (the real SDK, the bench machine's own logs):
 *  - history: 10,000 lines in the cloud; the panel opens after the first status and reads them page
 *    by page as the list is scrolled to its top; then a text and a regex filter, then a wheel scroll
 *    through most of it. Time to the first page, time to hold all 10,000, longest task of each step.
 *  - tail: lines at 50 a second for a minute into an open panel, beside the same console with the
 *    panel closed, both open in the browser at once: main-thread busy share, JS heap growth, long
 *    tasks and frame gaps of each.
 * The first status with the panel open against closed is measured by the load phase's subjects.
 */
import type { Browser, CDPSession, Page } from '@playwright/test';
import { installProbe, type Watch } from '../probe.ts';
import { simRequest } from '../sim-client.ts';
import { summarize, type Summary } from '../stats.ts';

export const LOGS_OPEN_KEY = 'viam-console:logs-open';

/** Remembered open: the panel opens with the page (after the first status, as always). */
export function logsOpenInit(): void {
  localStorage.setItem('viam-console:logs-open', '1');
}

const WATCHES: readonly Watch[] = [
  {
    name: 'data',
    selector: '[data-machine-state]:not([data-machine-state="unknown"]):not([data-machine-state="…"])',
  },
  { name: 'logsPanel', selector: 'logs-panel .bar' },
  { name: 'firstLine', selector: '[data-log-line]' },
];

interface FeedLike {
  view: { lines: readonly unknown[] };
  filter: { text: string };
  status: { older: string; phase: string; dropped: number };
}

/** The panel's feed (locators pierce the shadow roots it lives in). */
function feedOf(page: Page): Promise<{ held: number; filterText: string; dropped: number; older: string }> {
  return page.locator('logs-panel').evaluate((el) => {
    const feed = (el as unknown as { feed?: FeedLike }).feed;
    return {
      held: feed?.view.lines.length ?? -1,
      filterText: feed?.filter.text ?? '',
      dropped: feed?.status.dropped ?? -1,
      older: feed?.status.older ?? '',
    };
  });
}

const heldLines = async (page: Page): Promise<number> => (await feedOf(page)).held;

/** Long tasks (50 ms and over) that started at `since` or later. */
function longTasksSince(page: Page, since: number): Promise<number> {
  return page.evaluate((t) => (window.__bench?.longTasks ?? []).filter((x) => x.start >= t).length, since);
}

async function longestSince(page: Page, since: number): Promise<number> {
  return page.evaluate(
    (t) =>
      Math.max(0, ...(window.__bench?.longTasks ?? []).filter((x) => x.start >= t).map((x) => x.duration)),
    since,
  );
}

const now = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/** Two frames: what was asked for has rendered and painted. */
const settle = (page: Page): Promise<void> =>
  page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );

/** The panel's pause after typing before it filters (src/console/logs-panel.ts). */
const TEXT_PAUSE_MS = 150;

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
}

/**
 * The longest task of `run` on the page's main thread, as wall time and as CPU time (a trace's
 * tdur): on a computer shared with other work a task's wall time also holds the time it waited
 * for a core, which is not the page's doing.
 */
async function tracedLongest(
  browser: Browser,
  page: Page,
  run: () => Promise<void>,
): Promise<{ wall: number; cpu: number }> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'],
  });
  // Marks on the page's own main thread, which names it in the trace.
  await page.evaluate(() => performance.mark('bench-window-start'));
  await run();
  await page.evaluate(() => performance.mark('bench-window-end'));
  const events = (JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] })
    .traceEvents;
  const start = events.find((e) => e.name === 'bench-window-start');
  const end = events.find((e) => e.name === 'bench-window-end');
  if (!start || !end) throw new Error('logs phase: the trace holds no window marks');
  const tasks = events.filter(
    (e) =>
      e.name === 'RunTask' &&
      e.pid === start.pid &&
      e.tid === start.tid &&
      e.ts >= start.ts &&
      e.ts <= end.ts,
  );
  return {
    wall: Math.max(0, ...tasks.map((t) => (t.dur ?? 0) / 1000)),
    cpu: Math.max(0, ...tasks.map((t) => (t.tdur ?? t.dur ?? 0) / 1000)),
  };
}

export interface LogsHistoryResult {
  readonly lines: number;
  /** First status on screen -> first log line on screen, ms. */
  readonly statusToFirstPage: number;
  /** Navigation -> first log line on screen, ms. */
  readonly navigationToFirstPage: number;
  /** First line -> all `lines` held, ms (pages read as the list reaches its top). */
  readonly loadAllMs: number;
  readonly longestTask: {
    readonly firstPage: number;
    readonly loading: number;
    readonly filtering: number;
    readonly scrolling: number;
  };
  /** How far the wheel scroll went, in lines. */
  readonly scrolledLines: number;
  /** The wheel scroll's longest task from a trace: wall and CPU time, ms. */
  readonly scrollingTrace: { readonly wall: number; readonly cpu: number };
  /** Lines shown by the text filter, and by the regex filter. */
  readonly filtered: {
    readonly text: number;
    readonly regex: number;
    readonly textMs: number;
    readonly regexMs: number;
  };
}

/** 10,000 lines in the cloud, read into the panel and filtered. */
export async function logsHistory(browser: Browser, url: string, lines = 10_000): Promise<LogsHistoryResult> {
  await simRequest('DELETE', 'logs');
  await simRequest('POST', 'logs', { count: lines, level: 'mixed', message: 'bench history line' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await context.addInitScript(logsOpenInit);
    await installProbe(context, WATCHES);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench?.marks['firstLine']?.frame !== undefined, undefined, {
      timeout: 30_000,
      polling: 50,
    });
    const marks = await page.evaluate(() => window.__bench?.marks ?? {});
    const first = marks['firstLine']?.frame ?? Number.NaN;
    const status = marks['data']?.frame ?? Number.NaN;
    // The panel's own work: from the first status (the app's start-up is the load phase's figure).
    const firstPageLongest = await longestSince(page, marks['data']?.dom ?? 0);

    // Scroll to the top until every line is held: each arrival at the top reads the next page.
    const loadStart = await now(page);
    const scroller = page.locator('logs-panel [data-log-scroller]');
    const deadline = Date.now() + 120_000;
    let held = 0;
    while (Date.now() < deadline) {
      held = await heldLines(page);
      if (held >= lines) break;
      await scroller.evaluate((el) => el.scrollTo(0, 0));
      await page.waitForTimeout(30);
    }
    const loadEnd = await now(page);
    const loadingLongest = await longestSince(page, loadStart);
    if (held < lines) throw new Error(`logs phase: ${held} of ${lines} lines after 120 s`);
    // Leave the top, or the list reads yet another page there while filtering; not for the bottom:
    // the cloud holds more than the panel keeps (the machine's own lines besides these), so the
    // newest were let go for the oldest, and the bottom would read the newest again instead.
    while ((await feedOf(page)).older === 'loading') await page.waitForTimeout(50);
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await settle(page);

    // Filtering, timed in the page: the input event -> the frame that paints the filtered list,
    // less the panel's pause for typing (the figure is the filter's own work and its render).
    const filterBy = async (
      text: string,
      regex: boolean,
    ): Promise<{ n: number; ms: number; longest: number }> => {
      const t0 = await now(page);
      await page.locator('logs-panel [data-regex-filter]').setChecked(regex);
      await settle(page);
      const ms = await page.locator('logs-panel [data-text-filter]').evaluate(
        (el, { value, pauseMs }) =>
          new Promise<number>((resolve, reject) => {
            const input = el as HTMLInputElement;
            const panel = (input.getRootNode() as ShadowRoot).host as unknown as { feed?: FeedLike };
            const start = performance.now();
            input.value = value;
            input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
            const until = start + 10_000;
            const frame = (t: number) => {
              if (panel.feed?.filter.text === value) {
                // The filter is applied; the frame after the render it asked for paints it.
                requestAnimationFrame((painted) => resolve(painted - start - pauseMs));
              } else if (t > until) reject(new Error('the filter was not applied in 10 s'));
              else requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
          }),
        { value: text, pauseMs: TEXT_PAUSE_MS },
      );
      return { n: await heldLines(page), ms, longest: await longestSince(page, t0) };
    };
    const text = await filterBy('history line #12', false);
    const regex = await filterBy('#(1|5)\\d{3}$', true);
    await page.locator('logs-panel [data-text-filter]').fill('');
    await page.locator('logs-panel [data-regex-filter]').setChecked(false);
    while ((await feedOf(page)).filterText !== '') await page.waitForTimeout(20);
    await settle(page);

    // A scroll through most of it, from the top down, by wheel (short of the bottom, for the reason
    // above); once at the top, the page read there is let to finish first, so the figure is the
    // scrolling's own.
    await scroller.evaluate((el) => el.scrollTo(0, 0));
    await page.waitForTimeout(100);
    while ((await feedOf(page)).older === 'loading') await page.waitForTimeout(50);
    await settle(page);
    await scroller.scrollIntoViewIfNeeded();
    const box = await scroller.boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const scrollStart = await now(page);
    const fromTop = await scroller.evaluate((el) => el.scrollTop);
    const scrollTrace = await tracedLongest(browser, page, async () => {
      for (let i = 0; i < 100; i++) {
        await page.mouse.wheel(0, 1800);
        await page.waitForTimeout(16);
      }
      await settle(page);
    });
    const scrolled = await scroller.evaluate((el, top) => {
      const row = el.querySelector('[data-log-line]')?.getBoundingClientRect().height ?? Number.NaN;
      return (el.scrollTop - top) / row;
    }, fromTop);
    const scrollingLongest = await longestSince(page, scrollStart);
    return {
      lines: held,
      statusToFirstPage: first - status,
      navigationToFirstPage: first,
      loadAllMs: loadEnd - loadStart,
      longestTask: {
        firstPage: firstPageLongest,
        loading: loadingLongest,
        filtering: Math.max(text.longest, regex.longest),
        scrolling: scrollingLongest,
      },
      scrolledLines: Math.round(scrolled),
      scrollingTrace: scrollTrace,
      filtered: { text: text.n, regex: regex.n, textMs: text.ms, regexMs: regex.ms },
    };
  } finally {
    await context.close();
  }
}

export interface TailSide {
  /** CDP TaskDuration delta / wall time. */
  readonly busyShare: number;
  readonly heapStartMB: number;
  readonly heapEndMB: number;
  /** Every 10 s, as it is (no forced GC inside the window: it would be a main-thread task measured). */
  readonly heapMB: readonly number[];
}

export interface LogsTailResult {
  readonly rate: number;
  readonly durationS: number;
  readonly open: TailSide;
  readonly closed: TailSide;
  /** Lines the open panel held at the end, and how many it dropped (none expected at 50/s). */
  readonly held: number;
  readonly dropped: number;
  /** The open page's; and how many tasks took 50 ms or more. */
  readonly longestTask: number;
  readonly longTasks: number;
  readonly frameGapsMs: Summary;
  /** The closed page's (it runs the same frame counter, so both pay for it alike). */
  readonly closedLongestTask: number;
  readonly closedLongTasks: number;
  readonly closedFrameGapsMs: Summary;
}

async function side(browser: Browser, url: string, open: boolean) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (open) await context.addInitScript(logsOpenInit);
  await installProbe(context, WATCHES);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
  if (open) await page.locator('logs-panel [data-log-state="live"]').waitFor({ timeout: 30_000 });
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.enable');
  const taskDuration = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ??
    Number.NaN;
  const heap = async (gc: boolean) => {
    if (gc) await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20;
  };
  return { context, page, taskDuration, heap };
}

/** Lines at `rate` a second for `durationS` into an open panel, beside a page with it closed. */
export async function logsTail(
  browser: Browser,
  url: string,
  rate = 50,
  durationS = 60,
): Promise<LogsTailResult> {
  await simRequest('DELETE', 'logs');
  const open = await side(browser, url, true);
  const closed = await side(browser, url, false);
  try {
    // Each side's steady state: the page settled, polls going.
    await open.page.waitForTimeout(3000);
    const sides = [open, closed];
    // Heap after a forced GC at the start and at the end, both outside the timed window.
    const heaps: number[][] = [[], []];
    for (const [i, s] of sides.entries()) heaps[i]?.push(await s.heap(true));
    // Both pages count their frames: the counter keeps frames coming, which costs each alike.
    const since = await Promise.all(
      sides.map((s) =>
        s.page.evaluate(() => {
          const w = window as unknown as { __frames: number[] };
          w.__frames = [];
          let last = performance.now();
          const tick = (t: number) => {
            w.__frames.push(t - last);
            last = t;
            if (w.__frames.length < 100_000) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
          return performance.now();
        }),
      ),
    );
    const busy0 = await Promise.all(sides.map((s) => s.taskDuration()));
    const t0 = Date.now();
    await simRequest('POST', 'logs', {
      count: rate * durationS,
      rate,
      level: 'mixed',
      message: 'bench tail line',
    });
    for (let s = 10; s <= durationS; s += 10) {
      await open.page.waitForTimeout(Math.max(0, t0 + s * 1000 - Date.now()));
      for (const [i, x] of sides.entries()) heaps[i]?.push(await x.heap(false));
    }
    const busy1 = await Promise.all(sides.map((s) => s.taskDuration()));
    const wallMs = Date.now() - t0;
    const longest = await Promise.all(sides.map((s, i) => longestSince(s.page, since[i] ?? 0)));
    const longCount = await Promise.all(sides.map((s, i) => longTasksSince(s.page, since[i] ?? 0)));
    const frames = await Promise.all(
      sides.map((s) =>
        s.page.evaluate(() => (window as unknown as { __frames: number[] }).__frames.slice(1)),
      ),
    );
    await simRequest('DELETE', 'logs/flood').catch(() => undefined);
    const status = await feedOf(open.page);
    const heapEnd = await Promise.all(sides.map((s) => s.heap(true)));
    const sideOf = (i: number): TailSide => {
      const h = heaps[i] ?? [];
      return {
        busyShare: (((busy1[i] ?? 0) - (busy0[i] ?? 0)) * 1000) / wallMs,
        heapStartMB: h[0] ?? Number.NaN,
        heapEndMB: heapEnd[i] ?? Number.NaN,
        heapMB: h,
      };
    };
    return {
      rate,
      durationS: wallMs / 1000,
      open: sideOf(0),
      closed: sideOf(1),
      held: status.held,
      dropped: status.dropped,
      longestTask: longest[0] ?? Number.NaN,
      longTasks: longCount[0] ?? 0,
      frameGapsMs: summarize(frames[0] ?? []),
      closedLongestTask: longest[1] ?? Number.NaN,
      closedLongTasks: longCount[1] ?? 0,
      closedFrameGapsMs: summarize(frames[1] ?? []),
    };
  } finally {
    await open.context.close();
    await closed.context.close();
  }
}
