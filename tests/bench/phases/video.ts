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
  readonly kind: 'floor' | 'dashboard' | 'drive';
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

async function loadOnce(
  browser: Browser,
  subject: VideoSubject,
  driveEntry: [string, string] | undefined,
): Promise<Sample> {
  // The dashboard in a window tall enough for the rover's camera card to be on screen at load.
  const viewport =
    subject.kind === 'dashboard' ? { width: 1280, height: 2400 } : { width: 1280, height: 900 };
  const context = await browser.newContext({ viewport });
  try {
    await installProbe(context, [{ name: 'connected', selector: CONNECTED }]);
    if (subject.kind === 'drive' && driveEntry)
      await context.addInitScript(([k, v]) => localStorage.setItem(k, v), driveEntry);
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
  const driveEntry = appUrl === undefined ? undefined : await learnDriveEntry(browser, appUrl);
  const samples = new Map<string, Sample[]>(subjects.map((s) => [s.name, []]));
  // One unmeasured load each (JIT, certificates, file cache).
  for (const s of subjects) await loadOnce(browser, s, driveEntry);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < subjects.length; j++) {
      const s = subjects[(i + j) % subjects.length];
      if (s) samples.get(s.name)?.push(await loadOnce(browser, s, driveEntry));
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
