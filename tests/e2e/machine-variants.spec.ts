/**
 * Machines as they are, over WebRTC with the real SDK: an older viam-server (no GetMachineStatus, no
 * sessions, no reflection, no GetCloudMetadata), a machine that answers nothing but ResourceNames and
 * GetOperations, and partial module models (a motor without GoTo or position, a camera without
 * GetImages, a base without GetProperties, a board without analog readers) beside APIs the console
 * has no card for. The SDK drops every gRPC code over the data channel, so all of it rests on the
 * app reading the machine's words (src/lib/rpc-error.ts).
 *
 * Each mode is its own simulated machine process (tests/e2e/own-stack.ts) on one port, behind one
 * build of the app; the default e2e stack stays the rover.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, SimControl, test, type SimCall } from './fixtures.ts';
import { OWN_PORTS, startAppProcess, startSimProcess, stopGently, type Child } from './own-stack.ts';

const SIM_URL = `http://localhost:${OWN_PORTS.sim}`;
const APP_URL = `http://localhost:${OWN_PORTS.app}/`;
const ROVER = 'tests/sim/configs/rover.json';
const PARTIAL = 'tests/sim/configs/partial.json';
const control = new SimControl(SIM_URL);

let app: Child | undefined;
let sim: Child | undefined;

test.describe.configure({ mode: 'serial' });

async function useSim(config: string, args: readonly string[] = []): Promise<void> {
  await stopGently(sim);
  sim = startSimProcess(OWN_PORTS.sim, config, args);
  await sim.ready;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = startAppProcess(OWN_PORTS.sim);
  await app.ready;
});

test.afterAll(async () => {
  await stopGently(sim);
  await stopGently(app);
});

const card = (page: Page, name: string): Locator => page.locator(`resource-card[data-card="${name}"]`);

async function open(page: Page): Promise<void> {
  await page.goto(APP_URL);
  await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('[data-card]').first()).toBeVisible({ timeout: 10_000 });
  await expect(page.locator('resource-card:not([collapsed]):not([data-loaded])')).toHaveCount(0, {
    timeout: 10_000,
  });
}

/** Scrolls a card into view and keeps it there (cards above it grow as their data arrives). */
async function reveal(c: Locator): Promise<void> {
  await expect(async () => {
    await c.scrollIntoViewIfNeeded();
    await expect(c).toBeInViewport({ ratio: 0.3, timeout: 500 });
  }).toPass({ timeout: 10_000 });
}

/** The machine's Unimplemented answers, counted per method and request (the resource it named). */
function unimplementedCounts(calls: readonly SimCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls.filter((x) => x.code === 12)) {
    const key = `${c.method} ${c.summary}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function repeated(counts: Map<string, number>): string[] {
  return [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}

const count = (calls: readonly SimCall[], suffix: string, code?: number) =>
  calls.filter((c) => c.method.endsWith(suffix) && (code === undefined || c.code === code)).length;

test.describe('an older viam-server', () => {
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    await useSim(ROVER, ['--old-server']);
  });

  test('status from ResourceNames with one calm line, sessions unsupported, no call repeated that failed', async ({
    page,
    watch,
  }) => {
    await control.resetCalls();
    await open(page);
    const status = page.locator('machine-status');
    await expect(status.locator('[data-status-unsupported]')).toHaveText(
      /This viam-server does not report status/,
    );
    await expect(status.locator('[data-status-unsupported]')).toHaveCount(1);
    await expect(status.locator('[data-status-resource]')).toHaveCount(20);
    await expect(status.locator('[data-machine-state]')).toHaveText('not reported');
    await expect(status.locator('[data-status-error]')).toHaveCount(0);
    await expect(page.locator('[data-session="unsupported"]')).toHaveText(
      'sessions unsupported by this machine',
      {
        timeout: 5000,
      },
    );
    await expect(page.locator('[data-session-detail]')).toContainText(
      'nothing stops the machine if this page vanishes',
    );
    // No health to show, so no badge (an "unknown" on every card would be noise).
    await expect(page.locator('[data-health]')).toHaveCount(0);

    await page.waitForTimeout(4000);
    const calls = await control.calls();
    expect(count(calls, '/GetMachineStatus')).toBe(1);
    expect(count(calls, '/StartSession')).toBe(1);
    expect(count(calls, '/SendSessionHeartbeat')).toBe(0);
    expect(count(calls, '/ServerReflectionInfo')).toBe(0);
    expect(repeated(unimplementedCounts(calls))).toEqual([]);
    // Still the same one calm line, no error per poll.
    await expect(page.locator('machine-status [data-status-unsupported]')).toHaveCount(1);
    expect(watch.errors).toEqual([]);
  });

  test('cards keep working; the dead-man still stops on release', async ({ page }) => {
    await open(page);
    const sensor = card(page, 'env-sensor');
    await reveal(sensor);
    await expect(sensor.locator('[data-reading="temperature_c"]')).toBeVisible({ timeout: 5000 });
    await expect(sensor.locator('[data-poll-error]')).toHaveCount(0);

    const motor = card(page, 'left-motor');
    await reveal(motor);
    await expect(motor.locator('[data-position]')).not.toHaveAttribute('data-position', '', {
      timeout: 5000,
    });
    const hold = motor.getByRole('button', { name: 'Hold to run' });
    const box = await hold.boundingBox();
    if (!box) throw new Error('no hold button');
    await control.resetCalls();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.waitForTimeout(500);
    await page.mouse.up();
    await expect
      .poll(async () => count(await control.calls(), 'MotorService/Stop', 0), { timeout: 3000 })
      .toBeGreaterThanOrEqual(1);
    const calls = await control.calls();
    // Sent once and checked while held (never re-sent: another operator's STOP sticks).
    expect(count(calls, 'MotorService/SetPower', 0)).toBe(1);
    expect(count(calls, 'MotorService/IsPowered')).toBeGreaterThanOrEqual(2);
    // Motion calls carry no session id: there is none.
    expect(calls.filter((c) => c.method.endsWith('MotorService/SetPower')).every((c) => !c.sessionId)).toBe(
      true,
    );

    const widget = card(page, 'widget');
    await reveal(widget);
    await widget.getByRole('textbox').fill('{"command": "ping"}');
    await widget.getByRole('button', { name: 'Send' }).click();
    await expect(widget.locator('[data-result="ok"]')).toContainText('pong');
  });

  test('the list is looked at every 10 s instead of on config revision; a resource just removed says it is gone and leaves at once', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await open(page);
    await control.request('POST', 'reconfigure', {
      add: [{ name: 'late-sensor', api: 'rdk:component:sensor', model: 'rdk:builtin:fake' }],
    });
    const added = Date.now();
    await expect(card(page, 'late-sensor')).toBeVisible({ timeout: 13_000 });
    console.log(`added resource shown after ${Date.now() - added} ms`);
    await expect(page.locator('machine-status [data-status-resource="late-sensor"]')).toBeVisible();

    // Slow the list down so the card's own words can be seen before it goes.
    await control.request('POST', 'faults', { method: 'ResourceNames', latencyMs: 1500, durationMs: 4000 });
    const sensor = card(page, 'late-sensor');
    await reveal(sensor);
    await expect(sensor.locator('[data-reading]').first()).toBeVisible({ timeout: 5000 });
    await control.resetCalls();
    await control.request('POST', 'reconfigure', { remove: ['late-sensor'] });
    const removed = Date.now();
    const gone = sensor.locator('[data-poll-error][data-error-kind="not-found"]');
    // Kept on screen (an off-screen card rightly stops polling).
    await expect(async () => {
      await sensor.scrollIntoViewIfNeeded();
      await expect(gone).toContainText('Gone from the machine', { timeout: 300 });
    }).toPass({ timeout: 4000 });
    await expect(card(page, 'late-sensor')).toHaveCount(0, { timeout: 5000 });
    const leftAfter = Date.now() - removed;
    console.log(`removed resource's card left after ${leftAfter} ms`);
    expect(leftAfter).toBeLessThan(8000);
    const calls = await control.calls();
    const notFound = calls.find((c) => c.method.endsWith('SensorService/GetReadings') && c.code === 5);
    expect(notFound).toBeDefined();
    expect(calls.some((c) => c.method.endsWith('/ResourceNames') && c.t > (notFound?.t ?? Infinity))).toBe(
      true,
    );

    // Nothing faster than the 10 s cadence when nothing is gone.
    await control.resetCalls();
    await page.waitForTimeout(10_500);
    const names = (await control.calls()).filter((c) => c.method.endsWith('/ResourceNames'));
    expect(names.length).toBeGreaterThanOrEqual(1);
    expect(names.length).toBeLessThanOrEqual(2);
  });
});

test.describe('a machine that answers only ResourceNames and GetOperations', () => {
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    await useSim(ROVER, ['--all-unimplemented', '--unimplemented-wording', 'rdk']);
  });

  test('lists its resources, stays connected, says what it lacks once, never crashes', async ({
    page,
    watch,
  }) => {
    await control.resetCalls();
    await open(page);
    await expect(page.locator('machine-status [data-status-unsupported]')).toBeVisible();
    await expect(page.locator('machine-status [data-status-resource]')).toHaveCount(20);
    await expect(page.locator('machine-status [data-version]')).toHaveText('not reported', { timeout: 5000 });
    await expect(page.locator('[data-session="unsupported"]')).toBeVisible({ timeout: 5000 });
    for (const name of ['left-motor', 'env-sensor', 'gps-imu', 'arm']) {
      const c = card(page, name);
      await reveal(c);
      await expect(c.locator('[data-unsupported="poll"]')).toHaveText(
        'Live values not supported by this model',
        {
          timeout: 5000,
        },
      );
      await expect(c.locator('[data-poll-error]')).toHaveCount(0);
    }
    // Scroll through every card so each one polls (or asks) what it would.
    for (const c of await page.locator('resource-card').all()) await c.scrollIntoViewIfNeeded();
    await page.waitForTimeout(3000);
    const calls = await control.calls();
    // The SDK's StreamClient.add itself asks twice (the camera name with ':' as '+', then as given).
    const stream = calls.filter((c) => c.method.endsWith('StreamService/AddStream'));
    expect(stream.length).toBe(2);
    expect(count(calls, 'StreamService/RemoveStream')).toBe(0);
    expect(repeated(unimplementedCounts(calls.filter((c) => !stream.includes(c))))).toEqual([]);
    expect(count(calls, '/GetOperations', 0)).toBeGreaterThanOrEqual(3);
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
    expect(watch.errors).toEqual([]);
  });
});

test.describe('partial models and APIs without a card', () => {
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    // A long heartbeat window: sessions are not what this describes, and a 2-core machine under load
    // can miss a 2 s window, which would fail motion calls with SESSION_EXPIRED.
    await useSim(PARTIAL, ['--heartbeat-window', '10000']);
  });

  test('controls a model lacks are disabled with "not supported by this model"; each such method asked at most once', async ({
    page,
    watch,
  }) => {
    test.setTimeout(60_000);
    await control.resetCalls();
    await open(page);

    const motor = card(page, 'cheap-motor');
    await reveal(motor);
    await expect(motor.locator('[data-unsupported="GetPosition"]')).toHaveText('Not reported by this model', {
      timeout: 5000,
    });
    await expect(motor.getByRole('button', { name: 'Go to' })).toBeDisabled();
    await expect(motor.locator('[data-unsupported="GoTo"]')).toBeVisible();
    await expect(motor.getByRole('button', { name: 'Set zero here' })).toBeDisabled();
    await motor.getByRole('button', { name: 'Go for' }).click();
    await expect(motor.locator('[data-result="ok"]')).toHaveText('GoFor done', { timeout: 8000 });

    const gotoless = card(page, 'gotoless-motor');
    await reveal(gotoless);
    // Like micro-RDK's motors: position yes; GoTo, GoFor and IsPowered no. GoTo is found out on the
    // first try, then disabled; IsPowered is asked once by the poll.
    await expect(gotoless.locator('[data-unsupported="IsPowered"]')).toHaveText(
      'Not reported by this model',
      {
        timeout: 5000,
      },
    );
    await expect(gotoless.getByRole('button', { name: 'Go to' })).toBeEnabled({ timeout: 5000 });
    await gotoless.getByRole('button', { name: 'Go to' }).click();
    await gotoless.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(gotoless.locator('[data-result="error"]')).toContainText(
      'GoTo failed (not supported by this model): method GoTo not implemented',
    );
    await expect(gotoless.getByRole('button', { name: 'Go to' })).toBeDisabled();
    await expect(gotoless.locator('[data-unsupported="GoTo"]')).toHaveText(
      'Go to: not supported by this model',
    );
    await expect(gotoless.locator('[data-position]')).not.toHaveAttribute('data-position', '');

    const base = card(page, 'plain-base');
    await reveal(base);
    await expect(base.locator('[data-unsupported="GetProperties"]')).toHaveText(
      'Not reported by this model',
      {
        timeout: 5000,
      },
    );
    await expect(base.locator('[data-poll-error]')).toHaveCount(0);
    await base.getByRole('button', { name: 'Spin', exact: true }).click();
    await expect(base.locator('[data-result="ok"]')).toHaveText('Spin done', { timeout: 8000 });

    const board = card(page, 'gpio-board');
    await reveal(board);
    await board.locator('[data-input="analog"]').fill('light');
    await board.locator('[data-action="analog-read"]').click();
    await expect(board.locator('[data-outcome="analog"]')).toContainText('not supported by this model');
    await expect(board.locator('[data-action="analog-read"]')).toBeDisabled();
    await expect(board.locator('[data-unsupported="ReadAnalogReader"]').first()).toHaveText(
      'Analog readers: not supported by this model',
    );
    // The reader named is remembered as watched, and shown as what it is rather than polled.
    await expect(board.locator('[data-analog="light"] [data-unsupported="ReadAnalogReader"]')).toBeVisible();
    await board.locator('[data-input="watch-name"]').fill('light');
    await expect(board.locator('[data-action="watch-analog"]')).toBeDisabled();
    await board.locator('[data-input="pin"]').fill('7');
    await board.locator('[data-action="gpio-high"]').click();
    await expect(board.locator('[data-outcome="gpio"]')).toHaveText('Pin 7 set high');

    const cam = card(page, 'stream-cam');
    await reveal(cam);
    await expect(cam.locator('[data-camera-mode="live"]')).toBeVisible({ timeout: 10_000 });
    await cam.locator('[data-input="camera-view"]').selectOption('images');
    await expect(cam.locator('[data-unsupported="GetImages"]')).toContainText('showing live video instead', {
      timeout: 5000,
    });
    await expect(cam.locator('[data-camera-mode="live"]')).toBeVisible({ timeout: 10_000 });
    await expect(cam.getByRole('button', { name: 'Snapshot' })).toBeEnabled();

    // A camera of an older viam-server: no GetImages, but GetImage, one image per call.
    const legacy = card(page, 'legacy-cam');
    await reveal(legacy);
    await legacy.locator('[data-input="camera-view"]').selectOption('images');
    await expect(async () => {
      await legacy.scrollIntoViewIfNeeded();
      await expect(legacy.locator('[data-camera-mode="images"] img')).toHaveAttribute('src', /^blob:/, {
        timeout: 1000,
      });
    }).toPass({ timeout: 10_000 });
    await expect(legacy.locator('[data-poll-error]')).toHaveCount(0);

    await page.waitForTimeout(3000);
    const calls = await control.calls();
    expect(repeated(unimplementedCounts(calls))).toEqual([]);
    expect(calls.filter((c) => c.method.endsWith('CameraService/GetImages')).map((c) => c.summary)).toEqual([
      expect.stringContaining('"name":"stream-cam"'),
      expect.stringContaining('"name":"legacy-cam"'),
    ]);
    expect(count(calls, 'CameraService/GetImage', 0)).toBeGreaterThanOrEqual(1);
    expect(count(calls, 'BaseService/GetProperties')).toBe(1);
    expect(count(calls, 'BoardService/ReadAnalogReader')).toBe(1);
    expect(calls.filter((c) => c.method.endsWith('MotorService/GoTo')).map((c) => c.summary)).toEqual([
      expect.stringContaining('"name":"gotoless-motor"'),
    ]);
    // The motor that says it reports no position is not asked for one.
    expect(
      calls.filter((c) => c.method.endsWith('MotorService/GetPosition') && c.summary.includes('cheap-motor')),
    ).toEqual([]);
    expect(watch.errors).toEqual([]);
  });

  test('APIs without a card get the generic card with DoCommand and one calm line', async ({ page }) => {
    await open(page);
    for (const [name, api] of [
      ['planner', 'acme:service:planner'],
      ['mic', 'rdk:component:audio_in'],
      ['nav', 'rdk:service:navigation'],
      ['mapper', 'rdk:service:slam'],
      ['mover', 'rdk:service:motion'],
      ['classifier', 'rdk:service:mlmodel'],
    ] as const) {
      const c = card(page, name);
      await reveal(c);
      await expect(c.locator('[data-no-card]')).toHaveText(
        `No dedicated controls yet for ${api}: DoCommand reaches it.`,
      );
      await expect(c.locator('[data-no-card]')).toHaveCount(1);
      await c.getByRole('textbox').fill(`{"command": "echo", "from": "${name}"}`);
      await c.getByRole('button', { name: 'Send' }).click();
      await expect(c.locator('[data-result="ok"]')).toContainText(name);
    }
  });
});
