/**
 * Command latency on the rover: keydown in the armed base card -> SetPower at the machine, over many
 * presses; and each dead-man trigger -> the stop at the machine. Page times are taken in the page on
 * the epoch clock (probe.ts), machine times from the call log (arrival = t - durationMs): one machine,
 * one clock.
 */
import type { Browser, Locator, Page } from '@playwright/test';
import { BUTTON, installVirtualGamepads, padConnect, padSet } from '../../e2e/virtual-gamepad.ts';
import { installProbe } from '../probe.ts';
import { CallCollector, arrival, resourceOf, type SimCall } from '../sim-client.ts';
import { pairDelays, summarize, type Summary } from '../stats.ts';

const SET_POWER = '/viam.component.base.v1.BaseService/SetPower';
const BASE_STOP = '/viam.component.base.v1.BaseService/Stop';
const STOP_ALL = '/viam.robot.v1.RobotService/StopAll';
/** Page and machine clocks are the same clock read two ways: allow this much disagreement (ms). */
const CLOCK_TOLERANCE_MS = 2;

export type Trigger = 'release' | 'blur' | 'hidden' | 'pointerup' | 'escape';

export interface CommandResult {
  readonly presses: number;
  readonly setPower: Summary;
  /** Keydown -> the page put SetPower on the data channel (the console's own part). */
  readonly keyToSend: Summary;
  /** SetPower on the data channel -> at the machine (transport and machine). */
  readonly sendToMachine: Summary;
  /** Raw keydown -> SetPower delays, in press order. */
  readonly delays: readonly number[];
  /** Presses whose SetPower never arrived. */
  readonly missed: number;
  readonly stops: Readonly<Record<Trigger, Summary & { readonly missed: number; readonly delays: number[] }>>;
  /** Gamepad stick change (enable held) -> SetPower at the machine, same page, same run. */
  readonly pad: Summary & { readonly missed: number };
  /** Stick back to centre -> Stop at the machine. */
  readonly padRelease: Summary & { readonly missed: number; readonly delays: number[] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens the console and arms the base card's keyboard. */
export async function openArmedBase(page: Page, url: string): Promise<Locator> {
  await page.goto(url);
  const base = page.locator('resource-card[data-card="base"]');
  await base.locator('[data-action="arm"]').waitFor({ timeout: 20_000 });
  await base.scrollIntoViewIfNeeded();
  await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
  // Let the page settle (cards, first polls) before measuring.
  await page.waitForLoadState('networkidle');
  await ensureArmed(base);
  return base;
}

export async function ensureArmed(base: Locator): Promise<void> {
  if ((await base.locator('[data-armed]').count()) > 0) return;
  await base.locator('[data-action="arm"]').click();
  await base.locator('[data-armed]').waitFor();
}

export function stopDelays(triggers: readonly number[], calls: readonly SimCall[], method: string): number[] {
  const stops = calls
    .filter((c) => c.method === method)
    .map(arrival)
    .sort((a, b) => a - b);
  return triggers.map((t) => {
    const hit = stops.find((s) => s >= t - CLOCK_TOLERANCE_MS && s < t + 2000);
    return hit === undefined ? Number.POSITIVE_INFINITY : hit - t;
  });
}

/** Moves pad 0's axes; resolves with the page's epoch clock at the change. */
const padSetAt = (page: Page, axes: Record<number, number>): Promise<number> =>
  page.evaluate((a) => {
    window.__pads.set(0, { axes: a });
    return window.__bench?.now() ?? Date.now();
  }, axes);

const now = (page: Page): Promise<number> => page.evaluate(() => window.__bench?.now() ?? Date.now());

export async function inputTimes(page: Page, type: string, key: string, since: number): Promise<number[]> {
  return (await inputEvents(page, type, key, since)).map((i) => i.at);
}

/** The page's inputs of a type and key since `since`: when each was handled, and how long it waited. */
export async function inputEvents(
  page: Page,
  type: string,
  key: string,
  since: number,
): Promise<{ readonly at: number; readonly waitedMs: number }[]> {
  const inputs = await page.evaluate(() => window.__bench?.inputs ?? []);
  return inputs.filter((i) => i.type === type && i.key === key && i.at >= since);
}

export async function commandLatency(
  browser: Browser,
  url: string,
  options: { presses: number; trials: number },
): Promise<CommandResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await installProbe(context);
    await installVirtualGamepads(context);
    const page = await context.newPage();
    const base = await openArmedBase(page, url);
    await page.evaluate(() => {
      if (window.__bench) window.__bench.recordSends = true;
    });
    const collector = new CallCollector();
    const start = await now(page);
    collector.start(start - 1);

    // Presses: held briefly (below the 100 ms re-send period), so each sends exactly one SetPower.
    for (let i = 0; i < options.presses; i++) {
      await page.keyboard.down('w');
      await sleep(40);
      await page.keyboard.up('w');
      await sleep(40 + (i % 7) * 3); // not in step with the machine's or the app's timers
    }
    await sleep(300);
    const downs = await inputTimes(page, 'keydown', 'w', start);
    const ups = await inputTimes(page, 'keyup', 'w', start);
    const sent = (await page.evaluate(() => window.__bench?.sends ?? []))
      .filter((x) => x.method === 'SetPower' && x.at >= start)
      .map((x) => x.at);

    // Dead-man triggers while W is held (motion being re-sent).
    const triggers: Record<Exclude<Trigger, 'release'>, number[]> = {
      blur: [],
      hidden: [],
      pointerup: [],
      escape: [],
    };
    for (let i = 0; i < options.trials; i++) {
      await ensureArmed(base);
      await page.keyboard.down('w');
      await sleep(250);
      triggers.blur.push(
        await page.evaluate(() => {
          const at = window.__bench?.now() ?? Date.now();
          window.dispatchEvent(new Event('blur'));
          return at;
        }),
      );
      await sleep(200);
      await page.keyboard.up('w');
      await sleep(200);

      await ensureArmed(base);
      await page.keyboard.down('w');
      await sleep(250);
      triggers.hidden.push(
        await page.evaluate(() => {
          const at = window.__bench?.now() ?? Date.now();
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
          Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
          document.dispatchEvent(new Event('visibilitychange'));
          return at;
        }),
      );
      await sleep(200);
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await page.keyboard.up('w');
      await sleep(200);

      const forward = base.locator('[data-pad="f"]');
      const box = await forward.boundingBox();
      if (!box) throw new Error('the base card has no pad');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const before = await now(page);
      await page.mouse.down();
      await sleep(250);
      await page.mouse.up();
      triggers.pointerup.push(...(await inputTimes(page, 'pointerup', '', before)).slice(0, 1));
      await sleep(200);

      await ensureArmed(base);
      await page.keyboard.down('w');
      await sleep(250);
      const beforeEscape = await now(page);
      await page.keyboard.press('Escape');
      triggers.escape.push(...(await inputTimes(page, 'keydown', 'Escape', beforeEscape)).slice(0, 1));
      await sleep(200);
      await page.keyboard.up('w');
      await sleep(200);
    }
    // The gamepad, scripted in the page (the one stand-in): enable held, the stick pushed and
    // centred. Each push is a new motion (SetPower); each centring lets go (Stop).
    await padConnect(page, 0);
    await base.locator('[data-action="gamepad"]').click();
    await base.locator('[data-pad-state="idle"]').waitFor();
    await padSet(page, 0, { down: [BUTTON.enable] });
    await sleep(100);
    const pushes: number[] = [];
    const centres: number[] = [];
    for (let i = 0; i < options.presses; i++) {
      pushes.push(await padSetAt(page, { 1: -1 }));
      await sleep(60);
      centres.push(await padSetAt(page, { 1: 0 }));
      await sleep(60 + (i % 7) * 3);
    }
    await padSet(page, 0, { up: [BUTTON.enable] });

    await sleep(300);
    const calls = (await collector.stop()).filter((c) => resourceOf(c) === 'base' || c.method === STOP_ALL);

    const powers = calls.filter((c) => c.method === SET_POWER).map(arrival);
    const pressDelays = pairDelays(downs, powers, CLOCK_TOLERANCE_MS);
    const keyToSend = pairDelays(downs, sent, CLOCK_TOLERANCE_MS);
    const sendToMachine = pairDelays(sent, powers, CLOCK_TOLERANCE_MS);
    const releaseStops = stopDelays(ups, calls, BASE_STOP);
    const padDelays = pairDelays(pushes, powers, CLOCK_TOLERANCE_MS);
    const stopSummary = (delays: number[]) => ({
      ...summarize(delays),
      delays: delays.map((d) => Math.round(d * 10) / 10),
      missed: delays.filter((d) => !Number.isFinite(d)).length,
    });
    return {
      presses: downs.length,
      setPower: summarize(pressDelays),
      keyToSend: summarize(keyToSend),
      sendToMachine: summarize(sendToMachine),
      delays: pressDelays.map((d) => Math.round(d * 10) / 10),
      missed: pressDelays.filter((d) => !Number.isFinite(d)).length,
      stops: {
        release: stopSummary(releaseStops),
        blur: stopSummary(stopDelays(triggers.blur, calls, BASE_STOP)),
        hidden: stopSummary(stopDelays(triggers.hidden, calls, BASE_STOP)),
        pointerup: stopSummary(stopDelays(triggers.pointerup, calls, BASE_STOP)),
        escape: stopSummary(stopDelays(triggers.escape, calls, STOP_ALL)),
      },
      pad: { ...summarize(padDelays), missed: padDelays.filter((d) => !Number.isFinite(d)).length },
      padRelease: stopSummary(stopDelays(centres, calls, BASE_STOP)),
    };
  } finally {
    await context.close();
  }
}

/**
 * The peer of the console's commands: bare SDK unary calls (GetOperations) from the floor page, call
 * -> machine arrival, at the same pace as the presses.
 */
export async function floorCallLatency(browser: Browser, url: string, calls: number): Promise<Summary> {
  const context = await browser.newContext();
  try {
    await installProbe(context);
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('body[data-connection="connected"]').waitFor({ timeout: 20_000 });
    const collector = new CallCollector();
    const start = await now(page);
    collector.start(start - 1);
    const sent = await page.evaluate(async (n) => {
      const client = window.floorClient;
      const bench = window.__bench;
      if (!client || !bench) return [];
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        times.push(bench.now());
        await client.getOperations();
        await new Promise((r) => setTimeout(r, 70 + (i % 7) * 3));
      }
      return times;
    }, calls);
    await sleep(200);
    const arrivals = (await collector.stop()).filter((c) => c.method.endsWith('/GetOperations')).map(arrival);
    return summarize(pairDelays(sent, arrivals, CLOCK_TOLERANCE_MS));
  } finally {
    await context.close();
  }
}
