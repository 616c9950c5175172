/**
 * The drive view on the rover: navigation -> first live frame painted, beside the dashboard's
 * camera card in the same run; and the stale-video stop: camera frozen at the machine -> Stop at the
 * machine, against the threshold.
 */
import type { Browser, Page } from '@playwright/test';
import { installProbe } from '../probe.ts';
import { arrival, simCalls, simRequest } from '../sim-client.ts';
import { summarize, type Summary } from '../stats.ts';

const BASE_STOP = '/viam.component.base.v1.BaseService/Stop';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DriveResult {
  /** Navigation -> first video frame presented, drive view on (ms since navigation start). */
  readonly driveFirstFrame: Summary;
  /** The same with the drive view off: the camera card in the dashboard, on screen at load. */
  readonly dashboardFirstFrame: Summary;
  /** Camera frozen -> Stop at the machine (ms), with the threshold it is held to. */
  readonly freezeToStop: Summary & { readonly missed: number; readonly delays: number[] };
  readonly thresholdMs: number;
}

/**
 * Resolves with performance.now() at the first presented frame of any <video> in the page, however
 * deep in shadow roots. A string, so the bundler adds nothing to the page's copy of it.
 */
export const FIRST_FRAME = `new Promise((resolve) => {
  setTimeout(() => resolve(Infinity), 20000);
  const seen = new WeakSet();
  const scan = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) scan(el.shadowRoot);
      if (el.tagName === 'VIDEO' && !seen.has(el)) {
        seen.add(el);
        el.requestVideoFrameCallback((now) => resolve(now));
      }
    }
  };
  const tick = () => { scan(document); requestAnimationFrame(tick); };
  tick();
})`;

async function firstFrame(page: Page, url: string): Promise<number> {
  await page.goto(url);
  return page.evaluate<number>(FIRST_FRAME);
}

/**
 * Fresh contexts, nothing stored: the dashboard with its camera card. The window is tall enough for
 * the rover's camera card to be on screen at load (at 900 px it is below the fold and, correctly,
 * asks for no video until scrolled to).
 */
async function loads(browser: Browser, url: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 2400 } });
    try {
      await installProbe(context);
      const page = await context.newPage();
      times.push(await firstFrame(page, url));
    } finally {
      await context.close();
    }
  }
  return times;
}

export async function driveBench(
  browser: Browser,
  url: string,
  options: { loads: number; trials: number },
): Promise<DriveResult> {
  const dashboard = await loads(browser, url, options.loads);
  const drive = await driveLoads(browser, url, options.loads);
  const freeze = await freezeTrials(browser, url, options.trials);
  return {
    dashboardFirstFrame: summarize(dashboard),
    driveFirstFrame: summarize(drive),
    freezeToStop: {
      ...summarize(freeze),
      delays: freeze.map((d) => Math.round(d)),
      missed: freeze.filter((d) => !Number.isFinite(d)).length,
    },
    thresholdMs: 500,
  };
}

/** The storage entry that says "drive view on" for the rover, learnt once from the dashboard. */
export async function learnDriveEntry(browser: Browser, url: string): Promise<[string, string]> {
  const probe = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let entry: [string, string] | undefined;
  try {
    const page = await probe.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Drive view' }).click();
    await page.locator('drive-view [data-hud]').waitFor({ timeout: 20_000 });
    entry = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('mc.drive:'));
      return key ? ([key, localStorage.getItem(key) ?? ''] as [string, string]) : undefined;
    });
  } finally {
    await probe.close();
  }
  if (!entry) throw new Error('the drive view stored no layout');
  return entry;
}

/** Fresh contexts whose storage says "drive view on" for the rover before the page loads. */
async function driveLoads(browser: Browser, url: string, n: number): Promise<number[]> {
  const entry = await learnDriveEntry(browser, url);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await installProbe(context);
      await context.addInitScript(([k, v]) => localStorage.setItem(k, v), entry);
      const page = await context.newPage();
      times.push(await firstFrame(page, url));
    } finally {
      await context.close();
    }
  }
  return times;
}

async function freezeTrials(browser: Browser, url: string, trials: number): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const delays: number[] = [];
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Drive view' }).click();
    const base = page.locator('drive-view [data-card="base"]');
    await base.locator('[data-action="arm"]').waitFor({ timeout: 20_000 });
    await page.locator('drive-view [data-camera-mode="live"]').waitFor({ timeout: 20_000 });
    for (let i = 0; i < trials; i++) {
      await page.locator('drive-view [data-video-stale]').waitFor({ state: 'detached', timeout: 10_000 });
      if ((await base.locator('[data-armed]').count()) === 0)
        await base.locator('[data-action="arm"]').click();
      await page.keyboard.down('w');
      await sleep(400 + (i % 5) * 37); // not in step with the frame timer
      const frozenAt = Date.now();
      await simRequest('POST', 'video', { camera: 'cam', frozen: true });
      let stop: number | undefined;
      for (let waited = 0; waited < 3000 && stop === undefined; waited += 50) {
        await sleep(50);
        const hit = (await simCalls()).find((c) => c.method === BASE_STOP && arrival(c) >= frozenAt);
        if (hit) stop = arrival(hit) - frozenAt;
      }
      delays.push(stop ?? Number.POSITIVE_INFINITY);
      await page.keyboard.up('w');
      await simRequest('POST', 'video', { camera: 'cam' });
      await sleep(300);
    }
  } finally {
    await simRequest('POST', 'video', { camera: 'cam' }).catch(() => undefined);
    await context.close();
  }
  return delays;
}
