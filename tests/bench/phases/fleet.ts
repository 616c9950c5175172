/**
 * The fleet app against its floor (tests/bench/floor/fleet.html), over fresh loads against the
 * simulated cloud (the real SDK, gRPC-web):
 *  - navigation -> the fleet list rendered: its first row, and the list ready (the app draws the rows
 *    near the viewport and pads the others to their height; the floor writes every line); long tasks
 *    meanwhile;
 *  - a jump to the bottom of the list -> its last row drawn (the app draws it then; the floor has it);
 *  - fleet list -> a machine opened -> its first status, interleaved with the single-machine app's
 *    navigation -> first status, both reaching the same simulated rover.
 */
import type { Browser } from '@playwright/test';
import { BENCH_MACHINE_ID } from '../machines.ts';
import { installProbe, type Watch } from '../probe.ts';
import { summarize, type Summary } from '../stats.ts';
import { LOAD_WATCHES, loadOnce, type LoadSample } from './load.ts';

const FIRST_STATUS = LOAD_WATCHES.app.find((w) => w.name === 'data')?.selector ?? '[data-machine-state]';

/** What each fleet subject calls its first row and its whole list (`data`, where a load ends). */
export const FLEET_WATCHES = {
  app: [
    { name: 'first', selector: 'li.machine[data-machine-id]' },
    { name: 'data', selector: 'fleet-list[data-complete]' },
  ],
  floor: [
    { name: 'first', selector: '#machines li' },
    { name: 'data', selector: '[data-fleet-count]' },
  ],
} as const satisfies Record<string, readonly Watch[]>;

export interface FleetLoadResult {
  /** Navigation -> first row painted. */
  readonly first: Summary;
  /** Navigation -> the list ready: every row reachable, those on screen painted. */
  readonly list: Summary;
  /** ListMachineSummaries sent, and its answer in, ms since navigation. */
  readonly listSent: Summary;
  readonly listAnswered: Summary;
  /** Longest task of each load from the answer on (the list's own work) to the list complete. */
  readonly longestTask: Summary;
  /** Long tasks over 50 ms in that window, over all loads. */
  readonly longTasksOver50: number;
  /** Longest task of each load from navigation on (start-up included: parsing the SDK is one). */
  readonly longestTaskFromStart: Summary;
}

const at = (s: LoadSample, name: string): number => {
  const mark = s.marks[name];
  return mark?.frame ?? mark?.dom ?? Number.NaN;
};

const listCall = (s: LoadSample) => s.fetches.find((f) => f.path.endsWith('/ListMachineSummaries'));

function fleetResult(samples: readonly LoadSample[]): FleetLoadResult {
  // A task that ends after the answer arrived: the one decoding it and everything after.
  const listWork = (s: LoadSample) =>
    s.longTasks.filter(
      (t) =>
        t.start + t.duration >= (listCall(s)?.end ?? Number.POSITIVE_INFINITY) && t.start <= at(s, 'data'),
    );
  const fromStart = (s: LoadSample) => s.longTasks.filter((t) => t.start <= at(s, 'data'));
  const longest = (tasks: readonly { duration: number }[]) => Math.max(0, ...tasks.map((t) => t.duration));
  return {
    first: summarize(samples.map((s) => at(s, 'first'))),
    list: summarize(samples.map((s) => at(s, 'data'))),
    listSent: summarize(samples.map((s) => listCall(s)?.start ?? Number.NaN)),
    listAnswered: summarize(samples.map((s) => listCall(s)?.end ?? Number.NaN)),
    longestTask: summarize(samples.map((s) => longest(listWork(s)))),
    longTasksOver50: samples.reduce((n, s) => n + listWork(s).filter((t) => t.duration > 50).length, 0),
    longestTaskFromStart: summarize(samples.map((s) => longest(fromStart(s)))),
  };
}

/**
 * `n` fresh loads each of the fleet app and its floor (and of a variant build, with `--compare`),
 * interleaved in a turning order, after one warm-up load each.
 */
export async function fleetLoads(
  browser: Browser,
  urls: { app: string; floor: string; variant?: string },
  n: number,
): Promise<{ app: FleetLoadResult; floor: FleetLoadResult; variant?: FleetLoadResult }> {
  const options = { timeoutMs: 60_000 };
  const subjects = [
    { url: urls.app, watches: FLEET_WATCHES.app, samples: [] as LoadSample[] },
    { url: urls.floor, watches: FLEET_WATCHES.floor, samples: [] as LoadSample[] },
    ...(urls.variant === undefined
      ? []
      : [{ url: urls.variant, watches: FLEET_WATCHES.app, samples: [] as LoadSample[] }]),
  ];
  for (const s of subjects) await loadOnce(browser, s.url, s.watches, options);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < subjects.length; j++) {
      const s = subjects[(i + j) % subjects.length];
      if (s) s.samples.push(await loadOnce(browser, s.url, s.watches, options));
    }
  }
  const [app, floor, variant] = subjects.map((s) => fleetResult(s.samples));
  if (!app || !floor) throw new Error('fleet loads: no samples');
  return { app, floor, ...(variant ? { variant } : {}) };
}

/**
 * In one loaded page, `n` times: back to the top (two frames), then a jump to the bottom -> the
 * frame after the one that has the list's last row in it (that frame painted it), ms.
 */
export async function jumpsToBottom(
  browser: Browser,
  url: string,
  ready: string,
  n: number,
): Promise<Summary> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.locator(ready).waitFor({ state: 'attached', timeout: 60_000 });
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      times.push(
        await page.evaluate(async () => {
          // No named functions in here: the bench's transpiler would wrap them in a helper the page lacks.
          await new Promise((resolve) => requestAnimationFrame(resolve));
          window.scrollTo(0, 0);
          await new Promise((resolve) => requestAnimationFrame(resolve));
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const start = performance.now();
          window.scrollTo(0, document.documentElement.scrollHeight);
          for (;;) {
            // The list's last row in the page: in the app (inside its shadow roots), or the floor's.
            const app = document
              .querySelector('fleet-app')
              ?.shadowRoot?.querySelector('fleet-list')?.shadowRoot;
            const lists = app?.querySelectorAll('ul.machines[data-rows]');
            const last = lists?.[lists.length - 1]?.querySelector('li:last-child');
            const drawn = app
              ? last != null && last.getAttribute('aria-posinset') === last.getAttribute('aria-setsize')
              : document.querySelector('#machines li:last-child') !== null;
            // The frame after the one the row is in: that one painted it.
            const at = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
            if (drawn) return at - start;
          }
        }),
      );
    }
    return summarize(times);
  } finally {
    await context.close();
  }
}

/** How long the operator looks at the list before opening a machine (the console prefetches meanwhile). */
export const READ_LIST_MS = 2000;

/** Fleet list (complete, read for READ_LIST_MS) -> click on the rover -> its first status painted, ms. */
export async function openFromFleet(browser: Browser, fleetUrl: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await installProbe(context, [
      { name: 'list', selector: 'fleet-list[data-complete]' },
      { name: 'data', selector: FIRST_STATUS },
    ]);
    const page = await context.newPage();
    await page.goto(fleetUrl, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench?.marks['list']?.frame !== undefined, undefined, {
      timeout: 60_000,
      polling: 100,
    });
    await page.waitForTimeout(READ_LIST_MS);
    const link = page.locator(`[data-open="${BENCH_MACHINE_ID}"]`);
    await link.scrollIntoViewIfNeeded();
    await link.click();
    await page.waitForFunction(() => window.__bench?.marks['data']?.frame !== undefined, undefined, {
      timeout: 20_000,
      polling: 100,
    });
    const opened = await page.evaluate(() => {
      const b = window.__bench;
      const press = b?.inputs.find((i) => i.type === 'pointerdown');
      const data = b?.marks['data']?.frame;
      if (!b || !press || data === undefined) return Number.NaN;
      // Input stamps are on the epoch clock (see probe.ts): back to ms since navigation.
      return data - (press.at - performance.timeOrigin - b.offset);
    });
    await page.goto('about:blank');
    return opened;
  } finally {
    await context.close();
  }
}

/**
 * `n` of each, interleaved: a machine opened from the fleet list (click -> first status), and the
 * single-machine app's fresh load (navigation -> first status) of the same machine.
 */
export async function openedVsSingle(
  browser: Browser,
  urls: { fleet: string; app: string },
  n: number,
): Promise<{ opened: Summary; single: Summary }> {
  await openFromFleet(browser, urls.fleet);
  await loadOnce(browser, urls.app, LOAD_WATCHES.app);
  const opened: number[] = [];
  const single: number[] = [];
  for (let i = 0; i < n; i++) {
    const fleetFirst = i % 2 === 0;
    if (fleetFirst) opened.push(await openFromFleet(browser, urls.fleet));
    single.push((await loadOnce(browser, urls.app, LOAD_WATCHES.app)).data);
    if (!fleetFirst) opened.push(await openFromFleet(browser, urls.fleet));
  }
  return { opened: summarize(opened), single: summarize(single) };
}
