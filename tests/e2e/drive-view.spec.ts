/**
 * The drive view and its stale-video stop, against the simulated rover (whose camera's live video
 * the sim can freeze). Every stop is read off the machine's call log.
 */
import type { Page } from '@playwright/test';
import { BASE_STOP, baseCalls, delayOf, isBaseMoving, SET_POWER, STOP_ALL } from './base-helpers.ts';
import { expect, openConnected, test, type SimControl } from './fixtures.ts';

const view = (page: Page) => page.locator('drive-view');
const base = (page: Page) => view(page).locator('[data-card="base"]');
const camera = (page: Page) => view(page).locator('[data-card="cam"]');

async function openDriveView(page: Page): Promise<void> {
  await openConnected(page);
  await page.getByRole('button', { name: 'Drive view' }).click();
  await expect(view(page).locator('[data-hud]')).toBeVisible();
  await view(page).scrollIntoViewIfNeeded();
  await expect(camera(page).locator('[data-camera-mode="live"]')).toBeVisible({ timeout: 15_000 });
  // Fresh frames: the view is not locked.
  await expect(view(page).locator('[data-video-stale]')).toHaveCount(0, { timeout: 10_000 });
}

async function armAndHoldW(page: Page): Promise<number> {
  await base(page).getByRole('button', { name: 'Arm keyboard' }).click();
  await expect(base(page).locator('[data-armed]')).toBeVisible();
  const t = Date.now();
  await page.keyboard.down('w');
  return t;
}

const freeze = (sim: SimControl, frozen: boolean) => sim.request('POST', 'video', { camera: 'cam', frozen });

test.describe('the drive view', () => {
  // Safety properties: a retry must never turn a real failure green.
  test.describe.configure({ retries: 0 });

  test.beforeEach(async ({ sim }) => {
    await sim.request('DELETE', 'faults');
    await freeze(sim, false);
  });

  test.afterEach(async ({ page, sim }) => {
    await page.keyboard.up('w').catch(() => undefined);
    await freeze(sim, false);
    await sim.request('POST', 'stop-all');
  });

  test('shows the live camera beside the base with a heads-up line, and is remembered for the machine', async ({
    page,
    sim,
  }) => {
    await openDriveView(page);
    await expect(page.locator('machine-dashboard [data-card="env-sensor"]')).toHaveCount(0);
    const t = await armAndHoldW(page);
    expect(await delayOf(sim, SET_POWER, t)).toBeLessThan(200);
    const hud = view(page).locator('[data-hud]');
    await expect(hud).toContainText(/RTT \d+ ms/);
    await expect(hud).toContainText(/frame age \d+ ms/);
    await expect(hud).toContainText(/\d+\.\d fps/);
    await expect(hud).toContainText('sending: SetPower linear 0.50 · angular 0.00');
    await page.keyboard.up('w');
    await expect(hud).toContainText('sending: nothing');

    await page.reload();
    await expect(view(page).locator('[data-hud]')).toBeVisible({ timeout: 20_000 });
    await view(page).getByRole('button', { name: 'Back to all cards' }).click();
    await expect(page.locator('[data-card="env-sensor"]')).toBeVisible();
    await expect(page.locator('drive-view')).toHaveCount(0);
  });

  test('never driving blind: a frozen video stops the base within threshold + 100 ms and locks it until a new press on fresh frames', async ({
    page,
    sim,
  }) => {
    await openDriveView(page);
    await armAndHoldW(page);
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    await page.waitForTimeout(300);

    const frozenAt = Date.now();
    await freeze(sim, true);
    const delay = await delayOf(sim, BASE_STOP, frozenAt);
    // The last frame left before the freeze, so the frame age crosses 500 ms at most 500 ms later.
    expect(delay).toBeLessThan(500 + 100);
    await expect(view(page).locator('[data-video-stale]')).toHaveText(/Video stale: stopped/);
    await expect(base(page).locator('[data-last-stop="video-stale"]')).toBeVisible();
    await expect.poll(() => isBaseMoving(sim)).toBe(false);

    // Pressing again while the picture is frozen: nothing moves.
    await page.keyboard.up('w');
    const pressedStale = Date.now();
    await page.keyboard.down('w');
    await page.waitForTimeout(400);
    expect((await baseCalls(sim, pressedStale)).filter((c) => c.method === SET_POWER)).toEqual([]);

    // Frames come back while W is still held: still nothing, until a new press.
    await freeze(sim, false);
    await expect(view(page).locator('[data-video-stale]')).toHaveCount(0, { timeout: 5000 });
    const fresh = Date.now();
    await page.waitForTimeout(400);
    expect((await baseCalls(sim, fresh)).filter((c) => c.method === SET_POWER)).toEqual([]);
    await page.keyboard.up('w');
    const again = Date.now();
    await page.keyboard.down('w');
    expect(await delayOf(sim, SET_POWER, again)).toBeLessThan(200);
  });

  test('a slowed camera under the threshold keeps driving; turned off, the stop says so and a freeze does not stop', async ({
    page,
    sim,
  }) => {
    await openDriveView(page);
    // 5 fps is a frame every 200 ms: under the 500 ms threshold.
    await sim.request('POST', 'video', { camera: 'cam', fps: 5 });
    await armAndHoldW(page);
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    const slowFrom = Date.now();
    await page.waitForTimeout(1500);
    expect((await baseCalls(sim, slowFrom)).filter((c) => c.method === BASE_STOP)).toEqual([]);
    await page.keyboard.up('w');

    await view(page).locator('[data-input="stale-on"]').uncheck();
    await expect(view(page).locator('[data-stale-off]')).toContainText(
      'keeps driving when the picture freezes',
    );
    await base(page).getByRole('button', { name: 'Arm keyboard' }).click();
    await page.keyboard.down('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    const frozenAt = Date.now();
    await freeze(sim, true);
    await page.waitForTimeout(1200);
    expect((await baseCalls(sim, frozenAt)).filter((c) => c.method === BASE_STOP)).toEqual([]);
    expect(await isBaseMoving(sim)).toBe(true);
    await page.keyboard.up('w');
    await view(page).locator('[data-input="stale-on"]').check();
  });

  test('two cameras in a grid; the stale stop watches the first', async ({ page, sim }) => {
    await sim.request('POST', 'reconfigure', {
      add: [{ name: 'rear-cam', api: 'rdk:component:camera', model: 'rdk:builtin:fake' }],
    });
    try {
      await openDriveView(page);
      await view(page).locator('[data-drive-camera="rear-cam"]').check();
      await expect(view(page).locator('.videos[data-count="2"] resource-card')).toHaveCount(2);
      await expect(view(page).locator('[data-card="rear-cam"] [data-camera-mode]')).toBeVisible({
        timeout: 15_000,
      });
      // The second camera frozen: the first still drives the check, nothing locks.
      await sim.request('POST', 'video', { camera: 'rear-cam', frozen: true });
      await page.waitForTimeout(1000);
      await expect(view(page).locator('[data-video-stale]')).toHaveCount(0);
    } finally {
      await sim.request('POST', 'video', { camera: 'rear-cam' }).catch(() => undefined);
      await sim.request('POST', 'reconfigure', { remove: ['rear-cam'] });
    }
  });

  test('fullscreen: Escape still stops; the browser leaving fullscreen stops a drive, and an idle console sends nothing', async ({
    page,
    sim,
  }) => {
    await openDriveView(page);
    await view(page).locator('[data-action="fullscreen"]').click();
    await expect(
      view(page).locator('[data-action="fullscreen"]', { hasText: 'Leave fullscreen' }),
    ).toBeVisible();
    await armAndHoldW(page);
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    const escaped = Date.now();
    await page.keyboard.press('Escape');
    expect(await delayOf(sim, STOP_ALL, escaped)).toBeLessThan(200);
    await page.keyboard.up('w');

    // Not driving: leaving fullscreen, whichever way, sends nothing (it may not have been an Escape,
    // and an idle console must not cut another operator's drive). Idle from when the drive's own
    // stops are done: a SetPower reply still on its way at the StopAll is followed by one more Stop.
    await expect
      .poll(async () => {
        const last = (await sim.calls()).filter((c) => [STOP_ALL, BASE_STOP].includes(c.method)).at(-1);
        return last === undefined || Date.now() - last.t > 500;
      })
      .toBe(true);
    const idle = Date.now();
    if ((await page.evaluate(() => document.fullscreenElement)) === null) {
      await view(page).locator('[data-action="fullscreen"]').click();
    }
    await expect(
      view(page).locator('[data-action="fullscreen"]', { hasText: 'Leave fullscreen' }),
    ).toBeVisible();
    await page.evaluate(() => document.exitFullscreen());
    await expect(
      view(page).locator('[data-action="fullscreen"]', { hasText: 'Leave fullscreen' }),
    ).toHaveCount(0);
    await page.waitForTimeout(300);
    expect(
      (await sim.calls()).filter((c) => [STOP_ALL, BASE_STOP].includes(c.method) && c.t >= idle),
    ).toEqual([]);

    // Driving: the browser leaving fullscreen by itself (its own Escape where the keyboard is not
    // locked) stops what this console drives.
    await view(page).locator('[data-action="fullscreen"]').click();
    await expect(
      view(page).locator('[data-action="fullscreen"]', { hasText: 'Leave fullscreen' }),
    ).toBeVisible();
    await base(page).getByRole('button', { name: 'Arm keyboard' }).click();
    await page.keyboard.down('w');
    await expect.poll(() => isBaseMoving(sim)).toBe(true);
    const left = await page.evaluate(async () => {
      const at = Date.now();
      await document.exitFullscreen();
      return at;
    });
    expect(await delayOf(sim, BASE_STOP, left)).toBeLessThan(300);
    await expect(base(page).locator('[data-last-stop="fullscreen-left"]')).toBeVisible();
  });

  test('on a phone held sideways the video and the controls fit the screen, the joystick over the video', async ({
    page,
    sim,
  }) => {
    await page.setViewportSize({ width: 844, height: 390 });
    await openDriveView(page);
    await expect(base(page).locator('[data-joystick]')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const video = await camera(page).boundingBox();
    const controls = await base(page).boundingBox();
    // Side by side, not stacked.
    expect(video && controls && controls.x >= video.x + video.width - 1).toBe(true);
    // The touch joystick floats over the video, and driving from it there reaches the machine.
    const stick = await base(page).locator('[data-joystick]').boundingBox();
    if (!video || !stick) throw new Error('no video or joystick box');
    expect(stick.x).toBeGreaterThanOrEqual(video.x);
    expect(stick.x + stick.width).toBeLessThanOrEqual(video.x + video.width);
    expect(stick.y + stick.height / 2).toBeGreaterThan(video.y);
    expect(stick.y + stick.height / 2).toBeLessThan(video.y + video.height);
    const cx = stick.x + stick.width / 2;
    const cy = stick.y + stick.height / 2;
    const t = Date.now();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx, cy - stick.height / 2.5, { steps: 4 });
    await delayOf(sim, SET_POWER, t);
    await page.mouse.up();
    await delayOf(sim, BASE_STOP, Date.now() - 50);
  });
});
