import type { Locator, Page } from '@playwright/test';
import { expect, openConnected, reveal, test, type SimCall, type SimControl } from './fixtures.ts';

const arrival = (c: SimCall) => c.t - c.durationMs;

interface Physical {
  resources: Record<string, { physical?: Record<string, unknown> }>;
}

async function physical(sim: SimControl, key: string): Promise<Record<string, unknown>> {
  return (await sim.request<Physical>('GET', 'state')).resources[key]?.physical ?? {};
}

async function callsOf(sim: SimControl, method: string, since: number): Promise<SimCall[]> {
  return (await sim.calls()).filter((c) => c.method.endsWith(method) && arrival(c) >= since - 5);
}

const card = (page: Page, name: string): Locator => page.locator(`[data-card="${name}"]`);

async function setNumber(input: Locator, value: number): Promise<void> {
  await input.fill(String(value));
  await input.blur();
}

async function holdButton(page: Page, button: Locator): Promise<void> {
  await button.scrollIntoViewIfNeeded();
  const box = await button.boundingBox();
  if (!box) throw new Error('button not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
}

test.describe('actuating components', () => {
  test.beforeEach(async ({ page, sim }) => {
    await sim.request('POST', 'stop-all');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openConnected(page);
  });

  test.afterEach(async ({ page, sim }) => {
    await page.mouse.up().catch(() => undefined);
    await sim.request('POST', 'stop-all');
  });

  test('motor: hold to run sends SetPower at the chosen power and stops on release', async ({
    page,
    sim,
  }) => {
    const motor = card(page, 'left-motor');
    const t = Date.now();
    await holdButton(page, motor.getByRole('button', { name: 'Hold to run' }));
    await page.waitForTimeout(600);
    // Sent once and checked (IsPowered) while held, never re-sent: another operator's STOP sticks.
    const powers = await callsOf(sim, 'MotorService/SetPower', t);
    expect(powers).toHaveLength(1);
    expect(powers[0]?.summary).toContain('"powerPct":0.3');
    expect((await callsOf(sim, 'MotorService/IsPowered', t)).length).toBeGreaterThanOrEqual(2);
    expect(await physical(sim, 'rdk:component:motor/left-motor')).toMatchObject({ is_moving: true });
    const released = Date.now();
    await page.mouse.up();
    let stop: SimCall | undefined;
    await expect
      .poll(async () => {
        stop = (await callsOf(sim, 'MotorService/Stop', released))[0];
        return stop !== undefined;
      })
      .toBe(true);
    expect(arrival(stop as SimCall) - released).toBeLessThan(100);
  });

  test('motor: go-for sends its arguments and the displayed position follows the machine', async ({
    page,
    sim,
  }) => {
    const motor = card(page, 'right-motor');
    await reveal(motor);
    await setNumber(motor.locator('[data-input="rpm"]'), 120);
    await setNumber(motor.locator('[data-input="revolutions"]'), 1);
    const t = Date.now();
    await motor.getByRole('button', { name: 'Go for' }).click();
    await expect(motor.locator('[data-result]')).toHaveText('GoFor done', { timeout: 5000 });
    expect((await callsOf(sim, 'MotorService/GoFor', t))[0]?.summary).toMatch(/"rpm":120.*"revolutions":1/);
    const machine = Number((await physical(sim, 'rdk:component:motor/right-motor'))['position']);
    await expect
      .poll(async () => Number(await motor.locator('[data-position]').getAttribute('data-position')))
      .toBeCloseTo(machine, 2);
    expect(machine).toBeGreaterThan(0.9);
  });

  test('motor: go-to asks first, then sends; set-RPM is stopped when the window loses focus', async ({
    page,
    sim,
  }) => {
    const motor = card(page, 'left-motor');
    await reveal(motor);
    await setNumber(motor.locator('[data-input="position"]'), 0.5);
    const t = Date.now();
    await motor.getByRole('button', { name: 'Go to' }).click();
    await expect(motor.locator('[data-confirm]')).toBeVisible();
    expect(await callsOf(sim, 'MotorService/GoTo', t)).toEqual([]);
    await motor.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(motor.locator('[data-result]')).toHaveText('GoTo done', { timeout: 5000 });
    expect((await callsOf(sim, 'MotorService/GoTo', t))[0]?.summary).toMatch(
      /"rpm":60.*"positionRevolutions":0.5/,
    );

    await motor.getByRole('button', { name: 'Set RPM' }).click();
    await expect(motor.locator('[data-result]')).toHaveText('SetRPM done');
    expect(await physical(sim, 'rdk:component:motor/left-motor')).toMatchObject({ is_moving: true });
    const blurred = await page.evaluate(() => {
      const at = Date.now();
      window.dispatchEvent(new Event('blur'));
      return at;
    });
    await expect
      .poll(async () => (await callsOf(sim, 'MotorService/Stop', blurred)).length)
      .toBeGreaterThan(0);
    await expect
      .poll(async () => (await physical(sim, 'rdk:component:motor/left-motor'))['is_moving'])
      .toBe(false);
  });

  test('confirmations can be turned off for this browser', async ({ page, sim }) => {
    const motor = card(page, 'left-motor');
    await reveal(motor);
    await setNumber(motor.locator('[data-input="position"]'), 0.25);
    await motor.getByRole('button', { name: 'Go to' }).click();
    await motor.getByRole('checkbox', { name: /Don’t ask again/ }).check();
    await motor.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(motor.locator('[data-result]')).toHaveText('GoTo done', { timeout: 5000 });
    const t = Date.now();
    await setNumber(motor.locator('[data-input="position"]'), 0);
    await motor.getByRole('button', { name: 'Go to' }).click();
    await expect(motor.locator('[data-result]')).toHaveText('GoTo done', { timeout: 5000 });
    expect(await callsOf(sim, 'MotorService/GoTo', t)).toHaveLength(1);
    await page.evaluate(() => localStorage.removeItem('mc.confirm-large-motions'));
  });

  test('servo: steps and the slider move it; the displayed angle follows', async ({ page, sim }) => {
    const servo = card(page, 'pan-servo');
    await reveal(servo);
    await expect(servo.locator('[data-angle]')).not.toHaveAttribute('data-angle', '');
    const start = Number(await servo.locator('[data-angle]').getAttribute('data-angle'));
    const t = Date.now();
    await servo.getByRole('button', { name: '+10°' }).click();
    await expect(servo.locator('[data-result]')).toHaveText('Move done', { timeout: 5000 });
    expect((await callsOf(sim, 'ServoService/Move', t))[0]?.summary).toContain(`"angleDeg":${start + 10}`);
    await expect(servo.locator('[data-angle]')).toHaveAttribute('data-angle', String(start + 10));
    expect((await physical(sim, 'rdk:component:servo/pan-servo'))['position_deg']).toBe(start + 10);
  });

  test('gripper: open, grab (and whether it grabbed), stop', async ({ page, sim }) => {
    const gripper = card(page, 'gripper');
    await reveal(gripper);
    await gripper.getByRole('button', { name: 'Open' }).click();
    await expect(gripper.locator('[data-result]')).toHaveText('Open done', { timeout: 5000 });
    await gripper.getByRole('button', { name: 'Grab' }).click();
    await expect(gripper.locator('[data-result]')).toHaveText('Grabbed something', { timeout: 5000 });
    await expect(gripper.locator('[data-holding]')).toHaveAttribute('data-holding', 'true');
    const t = Date.now();
    await gripper.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(async () => (await callsOf(sim, 'GripperService/Stop', t)).length).toBe(1);
    await gripper.getByRole('button', { name: 'Open' }).click();
  });

  test('arm: a tap jogs one step; a held jog repeats without piling up and stops on release', async ({
    page,
    sim,
  }) => {
    const arm = card(page, 'arm');
    await reveal(arm);
    await expect(arm.locator('[data-joint-value]').first()).toBeVisible();
    const before = (await physical(sim, 'rdk:component:arm/arm'))['joints_deg'] as number[];
    const t = Date.now();
    await arm.getByRole('button', { name: 'Joint 1 +5°' }).click();
    await expect
      .poll(async () => ((await physical(sim, 'rdk:component:arm/arm'))['joints_deg'] as number[])[0])
      .toBeCloseTo((before[0] ?? 0) + 5, 3);
    expect((await callsOf(sim, 'ArmService/MoveToJointPositions', t))[0]?.summary).toContain(
      `"values":[${(before[0] ?? 0) + 5},`,
    );

    const held = Date.now();
    await holdButton(page, arm.getByRole('button', { name: 'Joint 2 −5°' }));
    await page.waitForTimeout(1500);
    const released = Date.now();
    await page.mouse.up();
    const moves = await callsOf(sim, 'ArmService/MoveToJointPositions', held);
    expect(moves.length).toBeGreaterThanOrEqual(2);
    // Coalesced: each move reached the machine only after the previous one finished.
    for (let i = 1; i < moves.length; i++) {
      expect(arrival(moves[i] as SimCall)).toBeGreaterThanOrEqual((moves[i - 1] as SimCall).t - 5);
    }
    await expect
      .poll(async () => (await callsOf(sim, 'ArmService/Stop', released)).length)
      .toBeGreaterThan(0);
    await expect.poll(async () => (await physical(sim, 'rdk:component:arm/arm'))['is_moving']).toBe(false);
  });

  test('arm: move to a typed pose asks first; the pose copies as JSON', async ({ page, sim }) => {
    const arm = card(page, 'arm');
    await reveal(arm);
    await arm.getByRole('button', { name: 'Copy pose as JSON' }).click();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as Record<
      string,
      number
    >;
    expect(Object.keys(copied)).toEqual(['x', 'y', 'z', 'oX', 'oY', 'oZ', 'theta']);

    await arm.getByRole('button', { name: 'Type a pose…' }).click();
    await setNumber(arm.getByRole('spinbutton', { name: 'Pose z' }), Math.round((copied['z'] ?? 0) - 50));
    const t = Date.now();
    await arm.getByRole('button', { name: 'Move to pose' }).click();
    await expect(arm.locator('[data-confirm]')).toContainText('50 mm away');
    await arm.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(arm.locator('[data-result]')).toHaveText('MoveToPosition done', { timeout: 8000 });
    expect((await callsOf(sim, 'ArmService/MoveToPosition', t))[0]).toBeDefined();
    const z = Number(
      ((await physical(sim, 'rdk:component:arm/arm'))['end_pose'] as Record<string, number>)['z'],
    );
    expect(z).toBeCloseTo((copied['z'] ?? 0) - 50, 0);
  });

  test('gantry: move, home and stop send their arguments', async ({ page, sim }) => {
    const gantry = card(page, 'gantry');
    await reveal(gantry);
    await setNumber(gantry.getByRole('spinbutton', { name: 'Axis 1 target' }), 100);
    const t = Date.now();
    await gantry.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(gantry.locator('[data-result]')).toHaveText('MoveToPosition done', { timeout: 8000 });
    expect((await callsOf(sim, 'GantryService/MoveToPosition', t))[0]?.summary).toMatch(
      /"positionsMm":\[100,0,0\].*"speedsMmPerSec":\[50,50,50\]/,
    );
    await expect(gantry.locator('[data-axis="0"] [data-axis-position]')).toHaveAttribute(
      'data-axis-position',
      '100',
    );
    await gantry.getByRole('button', { name: 'Home' }).click();
    await expect(gantry.locator('[data-result]')).toHaveText('Homed', { timeout: 8000 });
    await setNumber(gantry.getByRole('spinbutton', { name: 'Axis 1 target' }), 5000);
    await gantry.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(gantry.locator('[data-result]')).toContainText('must be within 0…1000');
  });

  test('switch and button: one button per position, and push', async ({ page, sim }) => {
    const lights = card(page, 'lights');
    await reveal(lights);
    await expect(lights.locator('[data-position]')).toHaveCount(3);
    const t = Date.now();
    await lights.locator('[data-position="2"]').click();
    await expect(lights.locator('[data-position="2"]')).toHaveAttribute('aria-pressed', 'true');
    expect((await callsOf(sim, 'SwitchService/SetPosition', t))[0]?.summary).toContain('"position":2');
    await card(page, 'estop-button').getByRole('button', { name: 'Push' }).click();
    await expect.poll(async () => (await callsOf(sim, 'ButtonService/Push', t)).length).toBe(1);
  });

  test('controls are disabled while disconnected', async ({ page, sim }) => {
    await sim.request('POST', 'offline', { ms: 3000 });
    await expect(page.locator('[data-banner="connection-lost"]')).toBeVisible({ timeout: 3000 });
    await expect(card(page, 'left-motor').getByRole('button', { name: 'Hold to run' })).toBeDisabled();
    await expect(card(page, 'base').getByRole('button', { name: 'Arm keyboard' })).toBeDisabled();
    await expect(card(page, 'estop-button').getByRole('button', { name: 'Push' })).toBeDisabled();
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 15_000 });
    await expect(card(page, 'left-motor').getByRole('button', { name: 'Hold to run' })).toBeEnabled();
  });
});
