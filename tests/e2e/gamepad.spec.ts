/**
 * Driving the base with a gamepad. The pad is the one stand-in (see virtual-gamepad.ts); every
 * safety claim is read off the simulated machine's call log.
 */
import type { Page } from '@playwright/test';
import { BASE_STOP, baseCalls, delayOf, isBaseMoving, SET_POWER, STOP_ALL } from './base-helpers.ts';
import { expect, openConnected, setTabHidden, test } from './fixtures.ts';
import { BUTTON, installVirtualGamepads, padConnect, padDisconnect, padSet } from './virtual-gamepad.ts';

const MOTION = new Set([SET_POWER, BASE_STOP, STOP_ALL, '/viam.component.base.v1.BaseService/SetVelocity']);
const motionSince = async (sim: Parameters<typeof delayOf>[0], since: number) =>
  (await baseCalls(sim, since)).filter((c) => MOTION.has(c.method));

const base = (page: Page) => page.locator('[data-card="base"]');
const padBox = (page: Page) => base(page).locator('[data-gamepad]');

async function turnOn(page: Page): Promise<void> {
  await padBox(page).getByRole('button', { name: 'Drive with gamepad' }).click();
  await expect(padBox(page).locator('[data-pad-state="idle"]')).toBeVisible();
}

/** Enable held, stick full forward; resolves once the machine has the SetPower. */
async function driveForward(page: Page, sim: Parameters<typeof delayOf>[0]): Promise<number> {
  const t = await padSet(page, 0, { down: [BUTTON.enable], axes: { 1: -1 } });
  const delay = await delayOf(sim, SET_POWER, t);
  await expect.poll(() => isBaseMoving(sim)).toBe(true);
  return delay;
}

test.describe('driving with a gamepad', () => {
  // Safety properties: a retry must never turn a real failure green.
  test.describe.configure({ retries: 0 });

  test.beforeEach(async ({ page, sim }) => {
    await sim.request('DELETE', 'faults');
    await installVirtualGamepads(page);
    await openConnected(page);
    await base(page).scrollIntoViewIfNeeded();
  });

  test.afterEach(async ({ sim }) => {
    await sim.request('POST', 'stop-all');
  });

  test('shows the pad, its mapping, a warning for a non-standard one, and which of two pads drives', async ({
    page,
  }) => {
    await expect(padBox(page).locator('[data-pad-none]')).toBeVisible();
    await expect(padBox(page).getByRole('button', { name: 'Drive with gamepad' })).toBeDisabled();
    await padConnect(page, 0);
    await expect(padBox(page).locator('[data-pad-id]')).toContainText('Xbox 360 Controller');
    await expect(padBox(page).locator('[data-pad-mapping]')).toHaveText('(standard mapping)');
    await expect(padBox(page).locator('[data-pad-warning]')).toHaveCount(0);
    await padConnect(page, 1, { id: 'Generic USB Joystick <img src=x onerror=alert(1)>', mapping: '' });
    await expect(padBox(page).locator('[data-pad-others]')).toHaveText('1 more pad connected, ignored.');
    await expect(padBox(page).locator('[data-pad-id]')).toContainText('Driving with');
    await expect(padBox(page).locator('[data-pad-id]')).toContainText('Xbox 360 Controller');
    // The first pad goes: the second drives, and its layout is unknown, so the operator is warned.
    await padDisconnect(page, 0);
    await expect(padBox(page).locator('[data-pad-id]')).toContainText('<img src=x onerror=alert(1)>');
    await expect(padBox(page).locator('[data-pad-warning]')).toContainText('Not the standard mapping');
    await expect(base(page).locator('img')).toHaveCount(0);
    // A pad with too few buttons says it cannot drive.
    await padDisconnect(page, 1);
    await padConnect(page, 2, { buttons: 4, axes: 2 });
    await expect(padBox(page).locator('[data-pad-problem]')).toContainText('cannot drive');
  });

  test('nothing moves until the pad is turned on and the enable button is held; sent on change only', async ({
    page,
    sim,
  }) => {
    await padConnect(page, 0);
    const t0 = await padSet(page, 0, { axes: { 1: -1 }, down: [BUTTON.enable] });
    await page.waitForTimeout(300);
    expect(await motionSince(sim, t0), 'not turned on: the pad does nothing').toEqual([]);
    await padSet(page, 0, { axes: { 1: 0 }, up: [BUTTON.enable] });

    await turnOn(page);
    const t1 = await padSet(page, 0, { axes: { 1: -1 } });
    await page.waitForTimeout(300);
    expect(
      (await baseCalls(sim, t1)).filter((c) => c.method === SET_POWER),
      'stick without enable',
    ).toEqual([]);

    expect(await driveForward(page, sim)).toBeLessThan(100);
    await expect(padBox(page).locator('[data-pad-state="enabled"]')).toBeVisible();
    // Held still for a second: one SetPower, then checks (IsMoving), not one command per frame.
    const still = Date.now();
    await page.waitForTimeout(1000);
    const calls = await baseCalls(sim, still);
    expect(calls.filter((c) => c.method === SET_POWER)).toEqual([]);
    expect(calls.filter((c) => c.method.endsWith('/IsMoving')).length).toBeGreaterThanOrEqual(5);
    // A change goes out: half left on the stick turns.
    const turned = await padSet(page, 0, { axes: { 0: -1, 1: 0 } });
    expect(await delayOf(sim, SET_POWER, turned)).toBeLessThan(100);
    const last = (await baseCalls(sim, turned)).filter((c) => c.method === SET_POWER).at(-1);
    expect(last?.summary).toContain(`"linear":{},"angular":{"z":0.5}`);
    // The D-pad: straight forward at full scale.
    const dpad = await padSet(page, 0, { axes: { 0: 0 }, down: [BUTTON.up] });
    expect(await delayOf(sim, SET_POWER, dpad)).toBeLessThan(100);
    await padSet(page, 0, { up: [BUTTON.up] });
  });

  test('dead-man: letting go of enable stops within 100 ms, the stick still pushed', async ({
    page,
    sim,
  }) => {
    await padConnect(page, 0);
    await turnOn(page);
    await driveForward(page, sim);
    const released = await padSet(page, 0, { up: [BUTTON.enable] });
    expect(await delayOf(sim, BASE_STOP, released)).toBeLessThan(100);
    await expect.poll(() => isBaseMoving(sim)).toBe(false);
    await page.waitForTimeout(300);
    expect((await baseCalls(sim, released + 50)).filter((c) => c.method === SET_POWER)).toEqual([]);
  });

  test('dead-man: the pad unplugged mid-drive stops within 100 ms, and the next pad needs a fresh enable', async ({
    page,
    sim,
  }) => {
    await padConnect(page, 0);
    await padConnect(page, 1);
    await padSet(page, 1, { down: [BUTTON.enable], axes: { 1: -1 } }); // ignored pad, held
    await turnOn(page);
    await driveForward(page, sim);
    const unplugged = await padDisconnect(page, 0);
    expect(await delayOf(sim, BASE_STOP, unplugged)).toBeLessThan(100);
    await expect(base(page).locator('[data-last-stop="gamepad-lost"]')).toBeVisible();
    // Pad 1 drives now, but its enable was already down: it is not a press, nothing moves.
    await page.waitForTimeout(400);
    expect((await baseCalls(sim, unplugged + 50)).filter((c) => c.method === SET_POWER)).toEqual([]);
    await padSet(page, 1, { up: [BUTTON.enable] });
    await page.waitForTimeout(100); // a release a person makes lasts frames, not microseconds
    const again = await padSet(page, 1, { down: [BUTTON.enable] });
    expect(await delayOf(sim, SET_POWER, again)).toBeLessThan(100);
  });

  test('dead-man: window blur and a hidden tab stop within 100 ms; holding on does not resume', async ({
    page,
    sim,
  }) => {
    await padConnect(page, 0);
    await turnOn(page);
    await driveForward(page, sim);
    const blurred = await page.evaluate(() => {
      const at = Date.now();
      window.dispatchEvent(new Event('blur'));
      return at;
    });
    expect(await delayOf(sim, BASE_STOP, blurred)).toBeLessThan(100);
    await page.waitForTimeout(400);
    expect(
      (await baseCalls(sim, blurred + 50)).filter((c) => c.method === SET_POWER),
      'still held',
    ).toEqual([]);

    // Let go and press again: it drives, then a hidden tab stops it.
    await padSet(page, 0, { up: [BUTTON.enable] });
    await page.waitForTimeout(100);
    await driveForward(page, sim);
    const hidden = Date.now();
    await setTabHidden(page, true);
    expect(await delayOf(sim, BASE_STOP, hidden)).toBeLessThan(100);
    await setTabHidden(page, false);
    await page.waitForTimeout(400);
    expect((await baseCalls(sim, hidden + 50)).filter((c) => c.method === SET_POWER)).toEqual([]);
  });

  test('dead-man: a dropped connection sends no more motion and nothing resumes after the reconnect', async ({
    page,
    sim,
  }) => {
    await padConnect(page, 0);
    await turnOn(page);
    await driveForward(page, sim);
    const dropped = Date.now();
    await sim.request('POST', 'drop-peers');
    await expect.poll(() => isBaseMoving(sim), { timeout: 5000 }).toBe(false);
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 10_000 });
    await page.waitForTimeout(700);
    expect((await baseCalls(sim, dropped + 50)).filter((c) => c.method === SET_POWER)).toEqual([]);
    expect(await isBaseMoving(sim)).toBe(false);
  });

  test("the pad's STOP sends StopAll, and turning the pad off stops the drive", async ({ page, sim }) => {
    await padConnect(page, 0);
    await turnOn(page);
    await driveForward(page, sim);
    const stopped = await padSet(page, 0, { down: [BUTTON.stop] });
    expect(await delayOf(sim, STOP_ALL, stopped)).toBeLessThan(200);
    await expect.poll(() => isBaseMoving(sim)).toBe(false);
    await padSet(page, 0, { up: [BUTTON.stop, BUTTON.enable] });
    await page.waitForTimeout(100);

    await driveForward(page, sim);
    const off = Date.now();
    await padBox(page).getByRole('button', { name: 'Stop using gamepad' }).click();
    expect(await delayOf(sim, BASE_STOP, off)).toBeLessThan(200);
    await expect.poll(() => isBaseMoving(sim)).toBe(false);
  });

  test('dead zone and expo are remembered per browser', async ({ page }) => {
    await padConnect(page, 0);
    await padBox(page).locator('[data-input="pad-expo"]').fill('0.8');
    await padBox(page).locator('[data-input="pad-deadzone"]').fill('0.2');
    await page.reload();
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    await expect(padBox(page).locator('[data-input="pad-expo"]')).toHaveValue('0.8');
    await expect(padBox(page).locator('[data-input="pad-deadzone"]')).toHaveValue('0.2');
  });
});

test.describe('jogging the arm with a gamepad', () => {
  test.describe.configure({ retries: 0 });
  const MOVE = '/viam.component.arm.v1.ArmService/MoveToJointPositions';
  const ARM_STOP = '/viam.component.arm.v1.ArmService/Stop';
  const arm = (page: Page) => page.locator('[data-card="arm"]');

  test.afterEach(async ({ sim }) => {
    await sim.request('POST', 'stop-all');
  });

  test('with focus in the card, LB + D-pad jogs the picked joint; letting go or focus leaving stops', async ({
    page,
    sim,
  }) => {
    await installVirtualGamepads(page);
    await openConnected(page);
    await padConnect(page, 0);
    await arm(page).scrollIntoViewIfNeeded();
    // Not focused: the pad does nothing to the arm.
    const t0 = await padSet(page, 0, { down: [BUTTON.enable, BUTTON.up] });
    await page.waitForTimeout(300);
    expect((await sim.calls()).filter((c) => c.method === MOVE && c.t >= t0)).toEqual([]);
    await padSet(page, 0, { up: [BUTTON.enable, BUTTON.up] });

    await arm(page).locator('[data-input="step"]').focus();
    await expect(arm(page).locator('[data-pad-jog="0"]')).toBeVisible();
    await padSet(page, 0, { down: [BUTTON.right] });
    await page.waitForTimeout(50);
    await padSet(page, 0, { up: [BUTTON.right] });
    await expect(arm(page).locator('[data-pad-jog="1"]')).toBeVisible();
    await expect(arm(page).locator('tr[data-joint="1"][data-pad-selected]')).toHaveCount(1);

    await padSet(page, 0, { down: [BUTTON.enable] });
    await page.waitForTimeout(50);
    const before = await arm(page)
      .locator('tr[data-joint="1"] [data-joint-value]')
      .getAttribute('data-joint-value');
    const jogged = await padSet(page, 0, { down: [BUTTON.up] });
    expect(await delayOf(sim, MOVE, jogged)).toBeLessThan(100);
    const move = (await sim.calls()).find((c) => c.method === MOVE && c.t >= jogged);
    const values = JSON.parse(/"values":(\[[^\]]*\])/.exec(move?.summary ?? '')?.[1] ?? '[]') as number[];
    expect(values[1]).toBeCloseTo(Number(before) + 5, 0);
    await page.waitForTimeout(500); // held: a stream of steps, not a tap
    const released = await padSet(page, 0, { up: [BUTTON.up] });
    expect(await delayOf(sim, ARM_STOP, released)).toBeLessThan(100);

    await padSet(page, 0, { down: [BUTTON.up] });
    await page.waitForTimeout(400);
    const left = Date.now();
    await page.locator('[data-card="base"]').getByRole('button', { name: 'Arm keyboard' }).focus();
    expect(await delayOf(sim, ARM_STOP, left)).toBeLessThan(100);
    await expect(arm(page).locator('[data-pad-jog]')).toHaveCount(0);
    await page.waitForTimeout(300);
    expect((await sim.calls()).filter((c) => c.method === MOVE && c.t - c.durationMs > left + 50)).toEqual(
      [],
    );
  });
});

test('gantry: hold-to-jog buttons and the pad jog an axis; letting go stops within 100 ms', async ({
  page,
  sim,
}) => {
  const MOVE = '/viam.component.gantry.v1.GantryService/MoveToPosition';
  const STOP = '/viam.component.gantry.v1.GantryService/Stop';
  const gantry = page.locator('[data-card="gantry"]');
  await installVirtualGamepads(page);
  await openConnected(page);
  await gantry.scrollIntoViewIfNeeded();
  await expect(gantry.locator('[data-axis-position]').first()).toBeVisible();

  // The on-screen button, held.
  const plus = gantry.locator('[data-gantry-jog="0:1"]');
  const box = await plus.boundingBox();
  if (!box) throw new Error('no jog button');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const pressed = Date.now();
  await page.mouse.down();
  expect(await delayOf(sim, MOVE, pressed)).toBeLessThan(150);
  await page.waitForTimeout(400);
  const up = Date.now();
  await page.mouse.up();
  expect(await delayOf(sim, STOP, up)).toBeLessThan(100);

  // The pad, with focus in the card.
  await padConnect(page, 0);
  await gantry.locator('[data-input="jog-step"]').focus();
  await expect(gantry.locator('[data-pad-jog="0"]')).toBeVisible();
  await padSet(page, 0, { down: [BUTTON.enable] });
  await page.waitForTimeout(50);
  const jogged = await padSet(page, 0, { down: [BUTTON.down] });
  expect(await delayOf(sim, MOVE, jogged)).toBeLessThan(100);
  await page.waitForTimeout(400);
  const released = await padSet(page, 0, { up: [BUTTON.enable] });
  expect(await delayOf(sim, STOP, released)).toBeLessThan(100);
  await sim.request('POST', 'stop-all');
});

test('a console without a pad shows how to connect one', async ({ page }) => {
  await openConnected(page);
  await expect(base(page).locator('[data-pad-none]')).toHaveText(
    'No gamepad. Connect one and press any of its buttons.',
  );
});
