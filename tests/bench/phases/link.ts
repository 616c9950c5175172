/**
 * The console on a bad link: the rover's WebRTC datagrams cross the sim's UDP relay
 * (tests/sim/transport/udp-relay.ts) with loss, delay, a bandwidth cap, blackouts or a flapping
 * link, while the armed base card is driven. Machine times come from its call log (arrival =
 * t - durationMs), page times from Date.now() in this process: one host, one clock. Used by the
 * bench (`--only link`) and by tests/e2e/link.spec.ts, which asserts on the same figures.
 */
import type { Locator, Page } from '@playwright/test';

const SET_POWER = '/viam.component.base.v1.BaseService/SetPower';
const BASE_STOP = '/viam.component.base.v1.BaseService/Stop';
const STOP_ALL = '/viam.robot.v1.RobotService/StopAll';
/** The machine's call-log entry for what it stopped when a session lapsed (tests/sim/machine). */
const SESSION_STOP = 'session-expired:stop ';

export interface LabCall {
  readonly t: number;
  readonly method: string;
  readonly durationMs: number;
  readonly code: number;
  /** The session the call carried, or the one a session-expired entry names. */
  readonly sessionId?: string;
}

/** The simulated machine, as the bench and the e2e suite each reach it. */
export interface Lab {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  calls(): Promise<LabCall[]>;
}

const arrival = (c: LabCall): number => c.t - c.durationMs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function baseMoving(lab: Lab): Promise<boolean> {
  const state = await lab.request<{ resources: Record<string, { physical?: { is_moving?: boolean } }> }>(
    'GET',
    'state',
  );
  return Object.entries(state.resources).some(
    ([name, r]) => name.startsWith('rdk:component:base/') && r.physical?.is_moving === true,
  );
}

export interface HeaderSample {
  readonly t: number;
  readonly phase: string;
  /** The round trip the header shows, ms (connected only). */
  readonly rttMs: number | undefined;
  /** good, degraded or poor (data-link-quality), '' before the first judgement */
  readonly quality: string;
  /**
   * The base card said motion waits for the machine session (a connection's first session start,
   * after every redial): the page refuses presses then, and says so on the card.
   */
  readonly motionWaits: boolean;
  /**
   * The base card's keyboard was armed. A connection that drops disables the arm button, whose
   * focus then leaves the card, which disarms it: after a redial the keys drive again only once
   * the operator arms them again.
   */
  readonly armed: boolean;
}

/** Reads the header's connection indicator every `everyMs` until stopped. */
export function sampleHeader(page: Page, everyMs = 100): { stop: () => Promise<HeaderSample[]> } {
  const samples: HeaderSample[] = [];
  const state = { running: true };
  const loop = (async () => {
    const indicator = page.locator('[data-connection]').first();
    const sessionWait = page.locator('resource-card[data-card="base"] [data-session-wait]');
    const armed = page.locator('resource-card[data-card="base"] [data-armed]');
    while (state.running) {
      try {
        const [phase, text, quality, waits, arms] = await Promise.all([
          indicator.getAttribute('data-connection', { timeout: 1000 }),
          indicator.innerText({ timeout: 1000 }),
          indicator.getAttribute('data-link-quality', { timeout: 1000 }),
          sessionWait.count(),
          armed.count(),
        ]);
        const rtt = /· (\d+) ms/.exec(text)?.[1];
        samples.push({
          t: Date.now(),
          phase: phase ?? '',
          rttMs: rtt === undefined ? undefined : Number(rtt),
          quality: quality ?? '',
          motionWaits: waits > 0,
          armed: arms > 0,
        });
      } catch {
        // the page is busy or navigating: the next sample tells
      }
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      state.running = false;
      await loop;
      return samples;
    },
  };
}

export async function armedBase(page: Page): Promise<Locator> {
  const base = page.locator('resource-card[data-card="base"]');
  await base.locator('[data-action="arm"]').waitFor({ timeout: 20_000 });
  await base.scrollIntoViewIfNeeded();
  await page.locator('[data-connection="connected"]').waitFor({ timeout: 30_000 });
  if ((await base.locator('[data-armed]').count()) === 0) {
    await base.locator('[data-action="arm"]').click();
    await base.locator('[data-armed]').waitFor();
  }
  return base;
}

export interface PressResult {
  /** keydown -> SetPower at the machine, per press (Infinity: never arrived) */
  readonly setPower: number[];
  /**
   * key release -> Stop at the machine, per press (Infinity: never arrived within 10 s). For a press
   * with a drive to stop (stopDue), the first Stop to arrive after both the release and the press's
   * motion: a Stop that overtook the motion stops nothing.
   */
  readonly stop: number[];
  /**
   * key release -> the base stopped at the machine, per press: by the page's Stop, a StopAll, or
   * the machine's session lapsing (where the page was between connections when the key came up,
   * no Stop can leave it; the session is what stops the base then). After the motion, as `stop`.
   */
  readonly stopped: number[];
  /** Whether the machine still had the base moving once the last release's stop had time to land. */
  readonly movingAtEnd: boolean;
  /**
   * Per press: whether its release had a drive to stop, as the machine saw it: the press's SetPower
   * was accepted and nothing (a Stop, a StopAll, the session) stopped the base between it and the
   * release. A page whose drive was refused, or stopped by the machine while held, sends no Stop (a
   * console that is not driving never sends one).
   */
  readonly stopDue: boolean[];
  /**
   * Per press: the page would refuse it as the key went down (read just before): not connected,
   * the keys not armed (a redial disarms them), or motion waiting for a new connection's session.
   * A refused press owes no SetPower and its release no Stop; it is never paired with a later
   * press's calls.
   */
  readonly refused: boolean[];
  /** When each key went down and came up (epoch ms). */
  readonly downs: number[];
  readonly ups: number[];
  readonly header: HeaderSample[];
  /** The machine's calls from the first press on, in arrival order. */
  readonly calls: LabCall[];
  /**
   * Calls that failed (code != 0) among SetPower and Stop, but for those the machine refused because
   * their session had lapsed (it stopped the base then: the refusal is the safety net working).
   */
  readonly failed: number;
}

/**
 * Presses W `presses` times (held `holdMs`, then `gapMs` apart) and pairs each keydown with the
 * next SetPower and each release with the next Stop at the machine.
 */
export async function drivePresses(
  page: Page,
  lab: Lab,
  options: { presses: number; holdMs?: number; gapMs?: number },
): Promise<PressResult> {
  await armedBase(page);
  const holdMs = options.holdMs ?? 300;
  const gapMs = options.gapMs ?? 400;
  const header = sampleHeader(page);
  const downs: number[] = [];
  const ups: number[] = [];
  const refused: boolean[] = [];
  const start = Date.now();
  const base = page.locator('resource-card[data-card="base"]');
  const arm = base.locator('[data-action="arm"]');
  const ready = async (): Promise<boolean> => {
    const [connected, armed, waits] = await Promise.all([
      page.locator('[data-connection="connected"]').count(),
      base.locator('[data-armed]').count(),
      base.locator('[data-session-wait]').count(),
    ]);
    return connected > 0 && armed > 0 && waits === 0;
  };
  for (let i = 0; i < options.presses; i++) {
    // As an operator does after a redial disarmed the keys: arm them again, once the card lets.
    if ((await base.locator('[data-armed]').count()) === 0 && (await arm.isEnabled())) {
      await arm.click({ timeout: 1000 }).catch(() => undefined);
    }
    refused.push(!(await ready()));
    downs.push(Date.now());
    await page.keyboard.down('w');
    await sleep(holdMs);
    ups.push(Date.now());
    await page.keyboard.up('w');
    await sleep(gapMs + (i % 5) * 17);
  }
  // Let the last stop (and its retransmissions) land.
  const deadline = Date.now() + 10_000;
  let calls = await lab.calls();
  const ended = (method: string) =>
    method === BASE_STOP || method === STOP_ALL || method.startsWith(SESSION_STOP);
  const stopsAfter = (t: number) => calls.some((c) => ended(c.method) && arrival(c) >= t);
  while (!stopsAfter(ups.at(-1) ?? start) && Date.now() < deadline) {
    await sleep(200);
    calls = await lab.calls();
  }
  const samples = await header.stop();
  const movingAtEnd = await baseMoving(lab);
  // In arrival order; the log's own order breaks a tie (calls arriving in the same millisecond).
  const relevant = calls
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => arrival(c) >= start - 5)
    .sort((a, b) => arrival(a.c) - arrival(b.c) || a.index - b.index)
    .map(({ c }) => c);
  const lapsed = calls.filter((c) => c.method === 'session-expired' && c.sessionId !== undefined);
  const matches = (method: string | ((method: string) => boolean)) => (c: LabCall) =>
    typeof method === 'string' ? c.method === method : method(c.method);
  /** The first call of `method` from input i on, before the next input of that kind (+ 10 s). */
  const firstAfter = (
    times: number[],
    i: number,
    method: string | ((method: string) => boolean),
    after?: LabCall,
  ): number => {
    const t = times[i] ?? Number.POSITIVE_INFINITY;
    const limit = (times[i + 1] ?? t + 10_000) + 10_000;
    const from = after === undefined ? 0 : relevant.indexOf(after) + 1;
    const hit = relevant
      .slice(from)
      .find((c) => matches(method)(c) && arrival(c) >= t - 2 && arrival(c) < limit);
    return hit === undefined ? Number.POSITIVE_INFINITY : arrival(hit) - t;
  };
  const setPower = downs.map((_, i) =>
    refused[i] === true ? Number.POSITIVE_INFINITY : firstAfter(downs, i, SET_POWER),
  );
  /** Each press's SetPower at the machine, where it arrived. */
  const motions = downs.map((down, i) =>
    relevant.find((c) => c.method === SET_POWER && arrival(c) === down + (setPower[i] ?? Number.NaN)),
  );
  const endings = relevant.filter((c) => ended(c.method)).map(arrival);
  const stopDue = motions.map((sent, i) => {
    const up = ups[i] ?? Number.POSITIVE_INFINITY;
    return sent !== undefined && sent.code === 0 && !endings.some((e) => e > arrival(sent) && e < up);
  });
  const afterMotion = (i: number) => (stopDue[i] === true ? motions[i] : undefined);
  return {
    setPower,
    refused,
    stopDue,
    stop: ups.map((_, i) => firstAfter(ups, i, BASE_STOP, afterMotion(i))),
    stopped: ups.map((_, i) => firstAfter(ups, i, ended, afterMotion(i))),
    movingAtEnd,
    downs,
    ups,
    header: samples,
    calls: relevant,
    failed: relevant.filter(
      (c) =>
        (c.method === SET_POWER || c.method === BASE_STOP) &&
        c.code !== 0 &&
        // The machine finds a lapsed session while handling the call that carries it (and logs the
        // lapse then): logged before the call ended is what refused it.
        !lapsed.some((x) => x.sessionId === c.sessionId && x.t <= c.t),
    ).length,
  };
}

export interface OutageResult {
  /** blackout start -> the header no longer says connected */
  readonly toReconnecting: number;
  /** blackout start -> the machine stopped the base (its session lapsed) */
  readonly toMachineStop: number;
  /** link back -> the header says connected again */
  readonly toConnectedAfter: number;
  /** SetPower calls that reached the machine after the outage began (W stayed down throughout) */
  readonly motionAfter: number;
  /** whether the base moved again after the outage without a new press */
  readonly movedAfter: boolean;
  /** a new press after reconnecting: keydown -> SetPower at the machine */
  readonly newPress: number;
  readonly header: HeaderSample[];
  /** live WebRTC peers on the machine at the end */
  readonly livePeers: number;
}

/**
 * Holds W, then takes the link down (a blackout of `ms`, or a flap schedule), follows the header and
 * the machine until the console is connected again, and checks nothing moved without a new press.
 */
export async function outageWhileDriving(
  page: Page,
  lab: Lab,
  outage: { blackoutMs: number } | { flap: { upMs: number; downMs: number; forMs: number } },
): Promise<OutageResult> {
  const base = await armedBase(page);
  const pressedAt = Date.now();
  await page.keyboard.down('w');
  const movingBy = Date.now() + 5000;
  while (!(await baseMoving(lab))) {
    if (Date.now() > movingBy) {
      const seen = (await lab.calls())
        .filter((c) => arrival(c) >= pressedAt - 2)
        .map((c) => `${Math.round(arrival(c) - pressedAt)} ${c.method} ${c.code}`);
      const armed = await base.locator('[data-armed]').count();
      throw new Error(`the base did not start moving before the outage (armed ${armed}): ${seen.join('; ')}`);
    }
    await sleep(50);
  }
  const header = sampleHeader(page);
  const t0 = Date.now();
  const downMs = 'blackoutMs' in outage ? outage.blackoutMs : outage.flap.forMs;
  if ('blackoutMs' in outage) await lab.request('POST', 'link/blackout', { ms: outage.blackoutMs });
  else await lab.request('POST', 'link/flap', outage.flap);
  const back = t0 + downMs;
  let toMachineStop = Number.POSITIVE_INFINITY;
  while (Date.now() < back) {
    if (toMachineStop === Number.POSITIVE_INFINITY && !(await baseMoving(lab)))
      toMachineStop = Date.now() - t0;
    await sleep(100);
  }
  // After the link is back: until connected (or 20 s).
  let connectedAt = Number.POSITIVE_INFINITY;
  const giveUp = Date.now() + 20_000;
  while (Date.now() < giveUp) {
    const phase = await page.locator('[data-connection]').first().getAttribute('data-connection');
    if (phase === 'connected') {
      connectedAt = Date.now();
      break;
    }
    await sleep(50);
  }
  await sleep(1500);
  const movedAfter = await baseMoving(lab);
  const samples = await header.stop();
  const calls = await lab.calls();
  const motionAfter = calls.filter((c) => c.method === SET_POWER && arrival(c) > t0).length;
  const firstDown = samples.find((s) => s.t >= t0 && s.phase !== 'connected');
  // A new press drives again.
  await page.keyboard.up('w');
  await sleep(300);
  if ((await base.locator('[data-armed]').count()) === 0) {
    await base.locator('[data-action="arm"]').click();
  }
  const pressed = Date.now();
  await page.keyboard.down('w');
  let newPress = Number.POSITIVE_INFINITY;
  const pressBy = Date.now() + 5000;
  while (Date.now() < pressBy) {
    const hit = (await lab.calls()).find((c) => c.method === SET_POWER && arrival(c) >= pressed - 2);
    if (hit) {
      newPress = arrival(hit) - pressed;
      break;
    }
    await sleep(50);
  }
  await page.keyboard.up('w');
  const peers = await lab.request<{ count: number }>('GET', 'peers');
  return {
    toReconnecting: firstDown ? firstDown.t - t0 : Number.POSITIVE_INFINITY,
    toMachineStop,
    toConnectedAfter: connectedAt - back,
    motionAfter,
    movedAfter,
    newPress,
    header: samples,
    livePeers: peers.count,
  };
}

/** Median and max of finite samples; `lost` counts the infinite ones. */
/**
 * How many of these inputs (at `times`, epoch ms) never reached the machine (`delays` Infinity)
 * although the header said connected throughout from `marginMs` before each to `afterMs` after it:
 * those a working connection lost without the page saying so. An input made while the page was
 * between connections cannot leave it; one made just before the link stalled may be held in the
 * stalled link, and then the header must say so within `afterMs`. With `motion`, inputs that start
 * motion: one made while the page said motion waits for the machine session, or while the keyboard
 * was not armed (after a redial), is refused by design (and the card says so), so it is not lost
 * either.
 */
export function lostWhileConnected(
  delays: readonly number[],
  times: readonly number[],
  samples: readonly HeaderSample[],
  marginMs = 500,
  afterMs = marginMs,
  motion = false,
): number {
  return times.filter((t, i) => {
    if (Number.isFinite(delays[i] ?? Number.POSITIVE_INFINITY)) return false;
    const near = samples.filter((s) => s.t >= t - marginMs && s.t <= t + afterMs);
    const before = samples.filter((s) => s.t <= t).at(-1);
    const seen = near.length > 0 ? near : before ? [before] : [];
    return (
      seen.length > 0 &&
      seen.every((s) => s.phase === 'connected' && !(motion && (s.motionWaits || !s.armed)))
    );
  }).length;
}

/**
 * What the machine and the header saw around input `t` (epoch ms), for a failure message: the
 * machine's calls and the header's phase changes from 1 s before it to `afterMs` after, in ms from it.
 */
export function around(
  t: number,
  calls: readonly LabCall[],
  samples: readonly HeaderSample[],
  afterMs = 12_000,
): string {
  const rel = (x: number) => Math.round(x - t);
  const seen = calls
    .filter((c) => arrival(c) >= t - 1000 && arrival(c) <= t + afterMs)
    .map(
      (c) =>
        `${rel(arrival(c))} ${c.method.split('/').at(-1) ?? c.method}${c.code === 0 ? '' : `(${c.code})`}`,
    );
  const phases: string[] = [];
  let last = '';
  for (const s of samples) {
    if (s.t < t - 1000 || s.t > t + afterMs) continue;
    const shown = `${s.phase}${s.armed ? '' : ' unarmed'}${s.motionWaits ? ' waits' : ''}`;
    if (shown !== last) phases.push(`${rel(s.t)} ${shown}`);
    last = shown;
  }
  return `machine: ${seen.join(', ') || 'nothing'}; header: ${phases.join(', ') || 'no sample'}`;
}

export function medianMax(values: readonly number[]): { median: number; max: number; lost: number } {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  const median =
    finite.length === 0
      ? Number.NaN
      : finite.length % 2 === 1
        ? (finite[(finite.length - 1) / 2] ?? Number.NaN)
        : ((finite[finite.length / 2 - 1] ?? 0) + (finite[finite.length / 2] ?? 0)) / 2;
  return { median, max: finite.at(-1) ?? Number.NaN, lost: values.length - finite.length };
}

/** What the header showed over a run. */
export function headerSummary(samples: readonly HeaderSample[]): {
  medianRtt: number;
  maxRtt: number;
  notConnected: number;
  phases: string[];
  /** link qualities the header showed, by how many samples */
  qualities: Record<string, number>;
} {
  const qualities: Record<string, number> = {};
  for (const s of samples) if (s.quality !== '') qualities[s.quality] = (qualities[s.quality] ?? 0) + 1;
  const rtts = samples.map((s) => s.rttMs).filter((r): r is number => r !== undefined);
  const mm = medianMax(rtts);
  return {
    medianRtt: mm.median,
    maxRtt: mm.max,
    notConnected: samples.filter((s) => s.phase !== 'connected').length,
    phases: [...new Set(samples.map((s) => s.phase))],
    qualities,
  };
}

export interface LinkTarget {
  readonly name: string;
  readonly url: string;
}

export interface PressScenario {
  readonly name: string;
  readonly link: unknown;
  /** live video on screen (the camera card revealed) while driving */
  readonly video?: boolean;
}

export const PRESS_SCENARIOS: readonly PressScenario[] = [
  { name: 'perfect link', link: {} },
  { name: '5 % loss', link: { both: { loss: 0.05 } } },
  { name: '20 % loss', link: { both: { loss: 0.2 } } },
  { name: '150 ± 50 ms delay', link: { both: { delayMs: 150, jitterMs: 50 } } },
  { name: '1 Mbit/s with live video', link: { both: { rateKbps: 1000, queueMs: 200 } }, video: true },
];

export interface PressFigures {
  readonly stop: ReturnType<typeof medianMax>;
  readonly setPower: ReturnType<typeof medianMax>;
  readonly header: ReturnType<typeof headerSummary>;
  readonly qualities: string[];
  readonly failed: number;
}

/** Opens a console in a fresh context, at `url`, connected, with the base card armed. */
async function openConsole(
  browser: import('@playwright/test').Browser,
  url: string,
  height = 900,
): Promise<{ page: Page; close: () => Promise<void> }> {
  // With video, tall enough that the camera stays on screen (and streaming) beside the base card.
  const context = await browser.newContext({ viewport: { width: 1280, height } });
  const page = await context.newPage();
  await page.goto(url);
  await armedBase(page);
  return { page, close: () => context.close() };
}

/** The key-release stop under one set of link conditions, for one console. */
export async function pressFigures(
  browser: import('@playwright/test').Browser,
  lab: Lab,
  url: string,
  scenario: PressScenario,
  presses: number,
): Promise<PressFigures> {
  const { page, close } = await openConsole(browser, url, scenario.video ? 3000 : 900);
  try {
    if (scenario.video) {
      const cam = page.locator('resource-card[data-card="cam"]');
      await cam.scrollIntoViewIfNeeded();
      await cam.locator('video').waitFor({ timeout: 15_000 });
      await page.locator('resource-card[data-card="base"]').scrollIntoViewIfNeeded();
    }
    await lab.request('POST', 'link', scenario.link);
    await sleep(1500);
    const qualities = new Set<string>();
    const watch = setInterval(() => {
      void page
        .locator('[data-connection]')
        .first()
        .getAttribute('data-link-quality')
        .then((q) => qualities.add(q ?? ''))
        .catch(() => undefined);
    }, 250);
    const r = await drivePresses(page, lab, { presses });
    clearInterval(watch);
    return {
      stop: medianMax(r.stop.filter((_, i) => r.stopDue[i] === true)),
      setPower: medianMax(r.setPower),
      header: headerSummary(r.header),
      qualities: [...qualities].filter((q) => q !== ''),
      failed: r.failed,
    };
  } finally {
    await lab.request('DELETE', 'link');
    await close();
  }
}

/** An outage while driving, for one console. */
export async function outageFigures(
  browser: import('@playwright/test').Browser,
  lab: Lab,
  url: string,
  outage: Parameters<typeof outageWhileDriving>[2],
): Promise<OutageResult> {
  const { page, close } = await openConsole(browser, url);
  try {
    const sessionBy = Date.now() + 10_000;
    while ((await page.locator('[data-session="active"]').count()) === 0 && Date.now() < sessionBy)
      await sleep(100);
    return await outageWhileDriving(page, lab, outage);
  } finally {
    await lab.request('DELETE', 'link');
    await lab.request('POST', 'stop-all');
    await close();
  }
}
