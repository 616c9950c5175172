/**
 * Several operators on one machine: two and three consoles, each in its own browser context (its own
 * cookies, storage, WebRTC connection and machine session), against the e2e stack's rover. Read off
 * the machine's call log and session list.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { arrival, BASE_STOP, isBaseMoving, SET_POWER, STOP_ALL } from './base-helpers.ts';
import {
  expect,
  openConnected,
  setTabHidden,
  test,
  type CspGuard,
  type SimCall,
  type SimControl,
} from './fixtures.ts';
import { E2E_APP_URL } from './ports.ts';
/** Calls that change what the base does (anything a dead-man trigger could send). */
const MOTION = new Set([SET_POWER, BASE_STOP, STOP_ALL, '/viam.component.base.v1.BaseService/SetVelocity']);

interface Console {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}

/** A console of its own: a new browser context, opened as an operator opens it, under the CSP check. */
async function openConsole(browser: Browser, csp: CspGuard): Promise<Console> {
  const context = await browser.newContext({ baseURL: E2E_APP_URL });
  await csp.watch(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  await openConnected(page);
  await expect(page.locator('[data-session="active"]')).toBeVisible({ timeout: 10_000 });
  return { context, page, errors };
}

const baseCard = (page: Page) => page.locator('[data-card="base"]');

async function arm(page: Page): Promise<void> {
  await baseCard(page).scrollIntoViewIfNeeded();
  await baseCard(page).getByRole('button', { name: 'Arm keyboard' }).click();
  await expect(baseCard(page).locator('[data-armed]')).toBeVisible();
}

async function liveSessions(sim: SimControl): Promise<number> {
  return (await sim.request<{ sessions: unknown[] }>('GET', 'sessions')).sessions.length;
}

async function motionSince(sim: SimControl, since: number): Promise<SimCall[]> {
  return (await sim.calls()).filter((c) => MOTION.has(c.method) && arrival(c) >= since);
}

async function expectOthers(consoles: readonly Console[], count: number): Promise<void> {
  for (const c of consoles) {
    await expect(c.page.locator(`[data-other-clients="${count}"]`)).toHaveText(
      count === 1 ? 'another client connected' : `${count} other clients connected`,
      { timeout: 12_000 },
    );
  }
}

test.describe('several operators on one machine', () => {
  test.describe.configure({ retries: 0 });
  const opened: Console[] = [];

  test.beforeEach(async ({ sim }) => {
    await sim.request('DELETE', 'faults');
    await sim.request('POST', 'stop-all');
    // Sessions of earlier tests' pages lapse within the heartbeat window.
    await expect.poll(() => liveSessions(sim), { timeout: 5000 }).toBe(0);
  });

  test.afterEach(async ({ sim }) => {
    for (const c of opened.splice(0)) await c.context.close().catch(() => undefined);
    await sim.request('POST', 'stop-all');
  });

  const open = async (browser: Browser, csp: CspGuard): Promise<Console> => {
    const c = await openConsole(browser, csp);
    opened.push(c);
    return c;
  };

  test('two, then three consoles each see the others; closing one leaves the others working', async ({
    browser,
    csp,
    sim,
  }) => {
    test.setTimeout(90_000);
    const a = await open(browser, csp);
    const b = await open(browser, csp);
    await expectOthers([a, b], 1);
    expect(await liveSessions(sim)).toBe(2);

    const c = await open(browser, csp);
    await expectOthers([a, b, c], 2);
    expect(await liveSessions(sim)).toBe(3);

    // One closes: its session lapses on the machine, and the others see that.
    await c.context.close();
    opened.splice(opened.indexOf(c), 1);
    await expect.poll(() => liveSessions(sim), { timeout: 6000 }).toBe(2);
    await expectOthers([a, b], 1);

    // The others still work: each drives in turn.
    for (const driver of [a, b]) {
      await arm(driver.page);
      const t = Date.now();
      await driver.page.keyboard.down('w');
      await expect.poll(() => isBaseMoving(sim)).toBe(true);
      await driver.page.keyboard.up('w');
      await expect.poll(() => isBaseMoving(sim)).toBe(false);
      const calls = await motionSince(sim, t);
      // A second Stop is the guard's own: when the SetPower's reply was still on its way at key up,
      // it stops again once that reply is in (machine loaded: the base moved before the reply left).
      expect([
        [SET_POWER, BASE_STOP],
        [SET_POWER, BASE_STOP, BASE_STOP],
      ]).toContainEqual(calls.map((x) => x.method));
      expect(calls[0]?.code).toBe(0);
    }
    await expect(a.page.locator('[data-connection="connected"]')).toBeVisible();
    await expect(b.page.locator('[data-connection="connected"]')).toBeVisible();
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  test('STOP in one console stops the motion another started; the driver has to press again', async ({
    browser,
    csp,
    sim,
  }) => {
    const driver = await open(browser, csp);
    const other = await open(browser, csp);
    await arm(driver.page);
    await driver.page.keyboard.down('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(true);

    const t = Date.now();
    await other.page.locator('[data-action="stop-all"]').click();
    await expect(other.page.locator('[data-stop-outcome="ok"]')).toBeVisible();
    await expect.poll(() => isBaseMoving(sim)).toBe(false);
    // The driver sees it and stops holding, although W is still down.
    await expect(baseCard(driver.page).locator('[data-stopped-elsewhere]')).toBeVisible({ timeout: 2000 });
    await driver.page.waitForTimeout(1000);
    const after = await motionSince(sim, t);
    expect(after.map((x) => x.method)).toEqual([STOP_ALL]);
    expect(await isBaseMoving(sim)).toBe(false);

    // A new press drives again.
    await driver.page.keyboard.up('w');
    const again = Date.now();
    await driver.page.keyboard.down('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    await driver.page.keyboard.up('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(false);
    // (A second Stop only if the SetPower's reply was still on its way at key up, as above.)
    expect([
      [SET_POWER, BASE_STOP],
      [SET_POWER, BASE_STOP, BASE_STOP],
    ]).toContainEqual((await motionSince(sim, again)).map((x) => x.method));
  });

  test('after another console’s STOP, letting go of one of two held keys does not restart the drive', async ({
    browser,
    csp,
    sim,
  }) => {
    const driver = await open(browser, csp);
    const other = await open(browser, csp);
    await arm(driver.page);
    const pressed = Date.now();
    await driver.page.keyboard.down('w');
    await driver.page.keyboard.down('d');
    // Both motions at the machine (W, then W+D a tick later: sends are coalesced) before the STOP, or
    // the W+D SetPower still on its way would land after StopAll and rightly drive again.
    await expect
      .poll(async () => (await motionSince(sim, pressed)).filter((x) => x.method === SET_POWER).length)
      .toBeGreaterThanOrEqual(2);
    expect(await isBaseMoving(sim)).toBe(true);

    const t = Date.now();
    await other.page.locator('[data-action="stop-all"]').click();
    await expect(baseCard(driver.page).locator('[data-stopped-elsewhere]')).toBeVisible({ timeout: 2000 });
    // W is still down: the drive it would now be is a change of the stopped hold, not a press.
    await driver.page.keyboard.up('d');
    await driver.page.waitForTimeout(800);
    expect((await motionSince(sim, t)).map((x) => x.method)).toEqual([STOP_ALL]);
    expect(await isBaseMoving(sim)).toBe(false);

    // A new key pressed is a press: it drives.
    const again = Date.now();
    await driver.page.keyboard.down('a');
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    await driver.page.keyboard.up('a');
    await driver.page.keyboard.up('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(false);
    const methods = (await motionSince(sim, again)).map((x) => x.method);
    expect(methods[0]).toBe(SET_POWER);
    expect(methods.at(-1)).toBe(BASE_STOP);
    expect(methods.filter((m) => m === STOP_ALL)).toEqual([]);
  });

  test('an idle console sends nothing on its dead-man triggers while another drives', async ({
    browser,
    csp,
    sim,
  }) => {
    const driver = await open(browser, csp);
    const idle = await open(browser, csp);
    // The idle console has its keyboard armed too: armed is not driving.
    await arm(idle.page);
    await arm(driver.page);
    await driver.page.keyboard.down('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    const t = Date.now();

    await idle.page.evaluate(() => window.dispatchEvent(new Event('blur')));
    await setTabHidden(idle.page, true);
    await idle.page.waitForTimeout(300);
    await setTabHidden(idle.page, false);
    // Focus leaving its base card (it disarms), and the page going away altogether.
    await idle.page.locator('[data-action="stop-all"]').focus();
    await expect(baseCard(idle.page).locator('[data-armed]')).toHaveCount(0);
    await idle.page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    await idle.page.waitForTimeout(700);

    // Nothing that changes the base reached the machine, and the driver's motion stands.
    expect(await motionSince(sim, t)).toEqual([]);
    expect(await isBaseMoving(sim)).toBe(true);
    await expect(baseCard(driver.page).locator('[data-stopped-elsewhere]')).toHaveCount(0);

    const released = Date.now();
    await driver.page.keyboard.up('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(false);
    expect((await motionSince(sim, released)).map((x) => x.method)).toEqual([BASE_STOP]);
  });

  test('a second console sending StopAll in a loop: the driver is stopped every time, must press again, nothing crashes', async ({
    browser,
    csp,
    sim,
  }) => {
    test.setTimeout(60_000);
    const driver = await open(browser, csp);
    const stopper = await open(browser, csp);
    await arm(driver.page);
    const t = Date.now();
    const loopState = { stopping: true };
    const loop = (async () => {
      let n = 0;
      while (loopState.stopping) {
        await stopper.page.keyboard.press('Escape');
        n += 1;
        await stopper.page.waitForTimeout(150);
      }
      return n;
    })();

    // The driver keeps trying: five presses, each held for 600 ms.
    let presses = 0;
    for (let i = 0; i < 5; i++) {
      await driver.page.keyboard.down('w');
      presses += 1;
      await expect(baseCard(driver.page).locator('[data-stopped-elsewhere]')).toBeVisible({ timeout: 2000 });
      await driver.page.waitForTimeout(600);
      await driver.page.keyboard.up('w');
      await driver.page.waitForTimeout(100);
    }
    loopState.stopping = false;
    const stops = await loop;
    await stopper.page.waitForTimeout(300);

    const calls = await motionSince(sim, t);
    const powers = calls.filter((c) => c.method === SET_POWER);
    // Never more motion than presses: a StopAll is never undone by a re-send.
    expect(powers.length).toBeGreaterThanOrEqual(1);
    expect(powers.length).toBeLessThanOrEqual(presses);
    expect(calls.filter((c) => c.method === STOP_ALL).length).toBeGreaterThanOrEqual(Math.min(stops, 10));
    // After each SetPower, a StopAll came within the loop's period (plus the time to handle it).
    for (const power of powers) {
      const next = calls.find((c) => c.method === STOP_ALL && arrival(c) >= arrival(power));
      expect(next ? arrival(next) - arrival(power) : Infinity).toBeLessThan(600);
    }
    expect(await isBaseMoving(sim)).toBe(false);
    for (const c of [driver, stopper]) {
      await expect(c.page.locator('[data-connection="connected"]')).toBeVisible();
      expect(c.errors).toEqual([]);
    }
    // The driver still drives once the other operator stops stopping.
    await driver.page.keyboard.down('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    await driver.page.keyboard.up('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(false);
  });
});
