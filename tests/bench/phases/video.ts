/**
 * Time to first video frame beside the video floor (createRobotClient + StreamClient.getStream at
 * once, nothing else): navigation -> first frame and connected -> first frame, for the console's
 * dashboard with the camera on screen at load and for its drive view, over fresh loads interleaved
 * with the floor's (rotating the order) so drift hits all alike.
 */
import type { Browser } from '@playwright/test';
import { installProbe } from '../probe.ts';
import { summarize, type Summary } from '../stats.ts';
import { BENCH_HOSTNAME, BENCH_MACHINE_ID } from '../machines.ts';
import { machineCookieValue } from '../../dev/viam-hosting-proxy.ts';
import { DEFAULT_API_KEY, DEFAULT_API_KEY_ID } from '../../sim/server.ts';
import { FIRST_FRAME, learnDriveEntry } from './drive.ts';

export interface VideoSubject {
  readonly name: string;
  readonly url: string;
  /**
   * dashboard: a first visit (nothing stored); returning: the dashboard with what an earlier load in
   * the same window stored (its layout: the camera its first screen showed), as a returning operator.
   */
  readonly kind: 'floor' | 'dashboard' | 'returning' | 'drive';
}

export interface VideoTimes {
  /** Navigation -> first frame presented (ms since navigation start). */
  readonly firstFrame: Summary;
  /** Connected -> first frame presented. */
  readonly afterConnect: Summary;
  readonly connected: Summary;
}

const CONNECTED = '[data-connection="connected"]';

interface Sample {
  readonly connected: number;
  readonly frame: number;
}

/** The dashboard in a window tall enough for the rover's camera card to be on screen at load. */
const TALL = { width: 1280, height: 2400 };

/** What a first load of the dashboard in the tall window stores for the machine (its layout). */
async function learnLayoutEntries(browser: Browser, url: string): Promise<[string, string][]> {
  const probe = await browser.newContext({ viewport: TALL });
  try {
    const page = await probe.newPage();
    await page.goto(url);
    await page.locator('[data-card="cam"] [data-camera-mode="live"]').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    return await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('mc.layout.v1.'))
        .map((k) => [k, localStorage.getItem(k) ?? ''] as [string, string]),
    );
  } finally {
    await probe.close();
  }
}

async function loadOnce(
  browser: Browser,
  subject: VideoSubject,
  stored: { drive?: [string, string]; returning: ReadonlyMap<string, [string, string][]> },
): Promise<Sample> {
  const viewport =
    subject.kind === 'dashboard' || subject.kind === 'returning' ? TALL : { width: 1280, height: 900 };
  const context = await browser.newContext({ viewport });
  try {
    await installProbe(context, [{ name: 'connected', selector: CONNECTED }]);
    const driveEntry = stored.drive;
    if (subject.kind === 'drive' && driveEntry)
      await context.addInitScript(([k, v]) => localStorage.setItem(k, v), driveEntry);
    for (const entry of subject.kind === 'returning' ? (stored.returning.get(subject.name) ?? []) : [])
      await context.addInitScript(([k, v]) => localStorage.setItem(k, v), entry);
    if (subject.kind === 'floor') {
      // The hosting proxy sets the machine cookie only with the index page.
      await context.addCookies([
        {
          name: BENCH_HOSTNAME,
          value: machineCookieValue({
            hostname: BENCH_HOSTNAME,
            machineId: BENCH_MACHINE_ID,
            apiKeyId: DEFAULT_API_KEY_ID,
            apiKey: DEFAULT_API_KEY,
          }),
          url: new URL(subject.url).origin,
        },
      ]);
    }
    const page = await context.newPage();
    await page.goto(subject.url, { waitUntil: 'commit' });
    const frame = await page.evaluate<number>(FIRST_FRAME);
    const connected = await page.evaluate(() => {
      const m = window.__bench?.marks['connected'];
      return m?.frame ?? m?.dom ?? Number.NaN;
    });
    await page.goto('about:blank');
    return { connected, frame };
  } finally {
    await context.close();
  }
}

export async function videoFirstFrames(
  browser: Browser,
  subjects: readonly VideoSubject[],
  n: number,
): Promise<Record<string, VideoTimes & { readonly missed: number }>> {
  const appUrl = subjects.find((s) => s.kind === 'drive')?.url;
  const drive = appUrl === undefined ? undefined : await learnDriveEntry(browser, appUrl);
  const returning = new Map<string, [string, string][]>();
  for (const s of subjects)
    if (s.kind === 'returning') returning.set(s.name, await learnLayoutEntries(browser, s.url));
  const stored = { ...(drive ? { drive } : {}), returning };
  const samples = new Map<string, Sample[]>(subjects.map((s) => [s.name, []]));
  // One unmeasured load each (JIT, certificates, file cache).
  for (const s of subjects) await loadOnce(browser, s, stored);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < subjects.length; j++) {
      const s = subjects[(i + j) % subjects.length];
      if (s) samples.get(s.name)?.push(await loadOnce(browser, s, stored));
    }
  }
  return Object.fromEntries(
    [...samples].map(([name, all]) => {
      const ok = all.filter((x) => Number.isFinite(x.frame) && Number.isFinite(x.connected));
      return [
        name,
        {
          firstFrame: summarize(ok.map((x) => x.frame)),
          connected: summarize(ok.map((x) => x.connected)),
          afterConnect: summarize(ok.map((x) => x.frame - x.connected)),
          missed: all.length - ok.length,
        },
      ];
    }),
  );
}
