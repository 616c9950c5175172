/**
 * An input controller card, and the browser's gamepad feeding a `webgamepad` controller on the
 * machine, where base_remote_control drives the base from its events. The pad is the one stand-in
 * (see virtual-gamepad.ts); what the controller received and what the service did with the base are
 * read off the simulated machine.
 */
import type { Page } from '@playwright/test';
import { BASE_STOP, delayOf, isBaseMoving } from './base-helpers.ts';
import { expect, openConnected, setTabHidden, SimControl, test } from './fixtures.ts';
import { BUTTON, installVirtualGamepads, padConnect, padDisconnect, padSet } from './virtual-gamepad.ts';

interface Received {
  time: number;
  event: string;
  control: string;
  value: number;
}

const card = (page: Page, name = 'WebGamepad') => page.locator(`[data-card="${name}"]`);
const FEED_CONTROLS = 17;

async function received(sim: SimControl, name = 'WebGamepad'): Promise<Received[]> {
  const state = await sim.request<{ resources: Record<string, { physical?: { received?: Received[] } }> }>(
    'GET',
    'state',
  );
  return state.resources[`rdk:component:input_controller/${name}`]?.physical?.received ?? [];
}

async function serviceSent(sim: SimControl): Promise<{ method: string; linear: number; angular: number }[]> {
  const state = await sim.request<{
    resources: Record<
      string,
      { physical?: { sent?: { method: string; linear: number; angular: number }[] } }
    >;
  }>('GET', 'state');
  return state.resources['rdk:service:base_remote_control/pad-drive']?.physical?.sent ?? [];
}

test.describe('input controllers', () => {
  // Safety properties: a retry must never turn a real failure green.
  test.describe.configure({ retries: 0 });

  const control = new SimControl();

  test.beforeAll(async () => {
    await control.request('POST', 'reconfigure', {
      add: [
        { name: 'WebGamepad', api: 'rdk:component:input_controller', model: 'rdk:builtin:webgamepad' },
        {
          name: 'panel',
          api: 'rdk:component:input_controller',
          model: 'rdk:builtin:gpio',
          attributes: { controls: ['ButtonStart', 'ButtonEStop'] },
        },
        {
          name: 'pad-drive',
          api: 'rdk:service:base_remote_control',
          model: 'rdk:builtin:base_remote_control',
          attributes: { base: 'base', input_controller: 'WebGamepad', control_mode: 'joystickControl' },
        },
      ],
    });
  });

  test.afterAll(async () => {
    await control.request('POST', 'reconfigure', { remove: ['WebGamepad', 'panel', 'pad-drive'] });
  });

  test.beforeEach(async ({ page, sim }) => {
    await sim.request('DELETE', 'faults');
    await installVirtualGamepads(page);
    await openConnected(page);
    await card(page).scrollIntoViewIfNeeded();
    await expect(card(page).locator('[data-events] tr[data-control]')).toHaveCount(19, { timeout: 15_000 });
  });

  test.afterEach(async ({ sim }) => {
    await sim.request('POST', 'stop-all');
  });

  test('the pad feeds the controller: Connect, changes only with rising times, base_remote_control drives, LB let go stops', async ({
    page,
    sim,
  }) => {
    const feed = card(page).locator('[data-action="feed"]');
    await expect(feed).toBeDisabled();
    await padConnect(page, 0);
    // The pad drives one thing at a time: feeding turns the base card's own gamepad drive off.
    const baseDrive = page.locator('[data-card="base"] [data-gamepad]');
    await baseDrive.getByRole('button', { name: 'Drive with gamepad' }).click();
    await expect(baseDrive.getByRole('button', { name: 'Stop using gamepad' })).toBeVisible();
    const before = (await received(sim)).length;
    await feed.click();
    await expect(baseDrive.getByRole('button', { name: 'Drive with gamepad' })).toBeVisible();
    await expect.poll(async () => (await received(sim)).slice(before).length).toBe(FEED_CONTROLS);
    expect((await received(sim)).slice(before).every((e) => e.event === 'Connect')).toBe(true);

    // Stick forward without LB: nothing but rest (nothing new) is sent.
    await padSet(page, 0, { axes: { 1: -1 } });
    await page.waitForTimeout(300);
    expect((await received(sim)).length).toBe(before + FEED_CONTROLS);
    expect(await isBaseMoving(sim)).toBe(false);

    // LB held: the stick's value goes out, and the service drives the base.
    await padSet(page, 0, { down: [BUTTON.enable] });
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    const all = (await received(sim)).slice(before);
    expect(
      all.some((e) => e.control === 'AbsoluteY' && e.event === 'PositionChangeAbs' && e.value === -1),
    ).toBe(true);
    expect((await serviceSent(sim)).at(-1)).toMatchObject({ method: 'SetPower', linear: 1, angular: 0 });
    // LB itself is the console's enable: never sent.
    expect(all.some((e) => e.control === 'ButtonLT')).toBe(false);

    // The same position sampled again sends nothing more.
    const count = (await received(sim)).length;
    await page.waitForTimeout(300);
    expect((await received(sim)).length).toBe(count);

    // A press shows in the card's last events (GetEvents).
    await padSet(page, 0, { down: [0] });
    await expect(card(page).locator('tr[data-control="ButtonSouth"]')).toContainText('ButtonPress');
    await padSet(page, 0, { up: [0] });

    // LB let go: AbsoluteY back to 0 and the base stops, within a safety bound.
    const letGo = await padSet(page, 0, { up: [BUTTON.enable] });
    await expect.poll(() => isBaseMoving(sim), { timeout: 1000, intervals: [10, 20] }).toBe(false);
    const stopAt = Date.now();
    expect(stopAt - letGo).toBeLessThan(1000);
    const last = (await received(sim)).filter((e) => e.control === 'AbsoluteY').at(-1);
    expect(last).toMatchObject({ event: 'PositionChangeAbs', value: 0 });

    // Every event's time is strictly later than the one before.
    const times = (await received(sim)).slice(before).map((e) => e.time);
    for (let i = 1; i < times.length; i += 1) expect(times[i]).toBeGreaterThan(times[i - 1] ?? Infinity);

    // Turning it off sends Disconnect to every control; base_remote_control stops the base on it.
    const off = Date.now();
    await feed.click();
    await expect
      .poll(async () => (await received(sim)).filter((e) => e.event === 'Disconnect').length)
      .toBe(FEED_CONTROLS);
    await delayOf(sim, BASE_STOP, off).catch(() => undefined);
    expect((await serviceSent(sim)).at(-1)).toMatchObject({ method: 'Stop' });
  });

  test('blur, a hidden tab and the pad going away each send rest at once; holding on does not resume', async ({
    page,
    sim,
  }) => {
    await padConnect(page, 0);
    await card(page).locator('[data-action="feed"]').click();
    await expect(card(page).locator('[data-feed-state]')).toBeVisible();
    await padSet(page, 0, { down: [BUTTON.enable], axes: { 1: -1 } });
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    const blurred = await page.evaluate(() => {
      const t = Date.now();
      window.dispatchEvent(new Event('blur'));
      return t;
    });
    await expect.poll(() => isBaseMoving(sim), { timeout: 1000, intervals: [10, 20] }).toBe(false);
    expect(Date.now() - blurred).toBeLessThan(1000);
    await expect(card(page).locator('[data-feed-stop="blur"]')).toBeVisible();
    await expect(card(page).locator('[data-feed-state="blocked"]')).toBeVisible();
    await page.waitForTimeout(300);
    expect(await isBaseMoving(sim)).toBe(false);

    // Let go, press again: drives; the tab hides: rest.
    await padSet(page, 0, { up: [BUTTON.enable] });
    await expect(card(page).locator('[data-feed-state="on"]')).toBeVisible();
    await padSet(page, 0, { down: [BUTTON.enable] });
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    await setTabHidden(page, true);
    await expect.poll(() => isBaseMoving(sim), { timeout: 1000, intervals: [10, 20] }).toBe(false);
    await setTabHidden(page, false);
    await expect(card(page).locator('[data-feed-stop="hidden"]')).toBeVisible();

    // Again; then the pad is unplugged mid-drive: rest, Disconnect, feed off.
    await padSet(page, 0, { up: [BUTTON.enable] });
    await expect(card(page).locator('[data-feed-state="on"]')).toBeVisible();
    await padSet(page, 0, { down: [BUTTON.enable] });
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    const disconnects = (await received(sim)).filter((e) => e.event === 'Disconnect').length;
    await padDisconnect(page, 0);
    await expect.poll(() => isBaseMoving(sim), { timeout: 1000, intervals: [10, 20] }).toBe(false);
    await expect
      .poll(async () => (await received(sim)).filter((e) => e.event === 'Disconnect').length)
      .toBe(disconnects + FEED_CONTROLS);
    await expect(card(page).locator('[data-feed-stop="pad-lost"]')).toBeVisible();
    await expect(card(page).locator('[data-action="feed"]')).toHaveAttribute('aria-pressed', 'false');
  });

  test('a controller that does not take events says so, turns the feed off, and the card keeps working', async ({
    page,
  }) => {
    const panel = card(page, 'panel');
    await expect(panel.locator('tr[data-control]')).toHaveCount(2);
    await padConnect(page, 0);
    await panel.scrollIntoViewIfNeeded();
    await panel.locator('[data-action="feed"]').click();
    await expect(panel.locator('[role="alert"]')).toContainText('not of type Triggerable');
    await expect(panel.locator('[data-action="feed"]')).toHaveAttribute('aria-pressed', 'false');
    await expect(panel.locator('tr[data-control="ButtonEStop"]')).toBeVisible();
  });
});
