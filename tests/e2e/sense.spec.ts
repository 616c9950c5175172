import { expect, openConnected, setTabHidden, test } from './fixtures.ts';
import { callsTo, card, plotPoints, show } from './sense-helpers.ts';

test.describe('sense and see cards', () => {
  // Cards poll only on screen: a tall window keeps the cards under test in view while others load.
  test.use({ viewport: { width: 1400, height: 3200 } });

  test('sensor readings move with the machine, their plot grows, and refresh off stops polls', async ({
    page,
    sim,
    watch,
  }) => {
    await openConnected(page);
    const env = card(page, 'env-sensor');
    await show(env);
    await expect(env.locator('[data-reading="temperature_c"]')).toContainText('°C', { timeout: 10_000 });
    const humidity = env.locator('[data-reading="humidity_pct"] [data-value]');
    const first = await humidity.textContent();
    await expect.poll(() => humidity.textContent(), { timeout: 8000 }).not.toBe(first);
    await expect(env.locator('[data-plot-group="temperature_c"] svg').first()).toBeVisible();
    const before = await plotPoints(env);
    await expect.poll(() => plotPoints(env), { timeout: 5000 }).toBeGreaterThan(before + 1);

    // Off: no more GetReadings for this sensor, and the choice survives a reload.
    await env.getByLabel('Refresh rate').selectOption('off');
    await page.waitForTimeout(300);
    await sim.resetCalls();
    await page.waitForTimeout(2500);
    const sensorCalls = (await sim.calls()).filter((c) => c.method.startsWith('/viam.component.sensor.v1.'));
    expect(sensorCalls.map((c) => `${c.method} ${c.summary}`)).toEqual([]);
    await page.reload();
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    await show(card(page, 'env-sensor'));
    await expect(card(page, 'env-sensor').locator('select[data-refresh-mode]')).toHaveValue('off');
    await card(page, 'env-sensor').getByLabel('Refresh rate').selectOption('500');
    await expect(card(page, 'env-sensor').locator('[data-reading="temperature_c"]')).toBeVisible();
    expect(watch.errors).toEqual([]);
  });

  test('movement sensor, power sensor and encoder show values and plots', async ({ page, sim }) => {
    await openConnected(page);
    const gps = card(page, 'gps-imu');
    await show(gps);
    await expect(gps.locator('[data-reading="position"]')).toContainText('° N', { timeout: 10_000 });
    await expect(gps.locator('[data-reading="compass"]')).toBeVisible();
    await expect(gps.locator('[data-reading="accuracy"]')).toContainText('HDOP');
    // A vector's components share one chart: a line and a legend entry each, a cursor under the pointer.
    const accel = gps.locator('figure', { has: page.locator('[data-plot-group="linear_acceleration"]') });
    await expect(accel.locator('svg').first()).toBeVisible();
    await expect(accel.locator('path.series')).toHaveCount(3);
    await expect(accel.locator('.legend li')).toHaveText([/^\s*x\s/, /^\s*y\s/, /^\s*z\s/]);
    await accel.locator('svg').first().hover();
    await expect(accel.locator('line.cursor')).toHaveCount(1);

    const battery = card(page, 'battery');
    await show(battery);
    await expect(battery.locator('[data-reading="voltage"]')).toContainText('V DC', { timeout: 10_000 });
    await expect(battery.locator('[data-reading="power"]')).toContainText('W');
    await expect.poll(() => plotPoints(battery), { timeout: 6000 }).toBeGreaterThan(2);

    const encoder = card(page, 'left-encoder');
    await show(encoder);
    await expect(encoder.locator('[data-reading="ticks"]')).toContainText('ticks', { timeout: 10_000 });
    await sim.resetCalls();
    await encoder.getByRole('button', { name: 'Reset position' }).click();
    await expect(encoder.locator('[data-result="ok"]')).toBeVisible();
    expect(await callsTo(sim, 'EncoderService/ResetPosition')).toBe(1);
    await expect(page.locator('[data-command-log] [data-command="ResetPosition"]')).toBeVisible();
  });

  test('board: GPIO and PWM round trips, watched interrupts count, pins remembered', async ({ page }) => {
    await openConnected(page);
    const board = card(page, 'local');
    await show(board);
    await board.locator('[data-input="pin"]').fill('7');
    await board.getByRole('button', { name: 'Set high' }).click();
    await expect(board.locator('[data-outcome="gpio"]')).toHaveText(/Pin 7 set high/);
    await board.getByRole('button', { name: 'Get', exact: true }).click();
    await expect(board.locator('[data-outcome="gpio"]')).toHaveText(/Pin 7 is high/);
    await board.getByRole('button', { name: 'Set low' }).click();
    await board.getByRole('button', { name: 'Get', exact: true }).click();
    await expect(board.locator('[data-outcome="gpio"]')).toHaveText(/Pin 7 is low/);

    await board.locator('[data-input="duty"]').fill('30');
    await board.getByRole('button', { name: 'Set duty' }).click();
    await expect(board.locator('[data-outcome="pwm"]')).toHaveText(/duty set to 30/);
    await board.locator('[data-input="frequency"]').fill('1000');
    await board.getByRole('button', { name: 'Set frequency' }).click();
    await expect(board.locator('[data-outcome="pwm"]')).toHaveText(/1000 Hz/);
    await board.getByRole('button', { name: 'Read PWM' }).click();
    await expect(board.locator('[data-outcome="pwm"]')).toHaveText(/duty 30 %, 1000 Hz/);

    await board.locator('[data-input="analog"]').fill('battery-adc');
    await board.getByRole('button', { name: 'Read', exact: true }).click();
    await expect(board.locator('[data-outcome="analog"]')).toHaveText(/battery-adc reads \d+/);

    await board.locator('[data-input="watch-name"]').fill('wheel-tick');
    await board.getByRole('button', { name: 'Watch interrupt' }).click();
    const ticks = board.locator('[data-interrupt="wheel-tick"] [data-value]');
    await expect(ticks).toHaveText(/\d+/, { timeout: 5000 });
    const n = Number(await ticks.textContent());
    await expect.poll(async () => Number(await ticks.textContent()), { timeout: 5000 }).toBeGreaterThan(n);

    await page.reload();
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    const again = card(page, 'local');
    await show(again);
    await expect(again.locator('[data-input="pin"]')).toHaveValue('7');
    await expect(again.locator('[data-interrupt="wheel-tick"]')).toBeVisible();
    await again.getByRole('button', { name: 'Stop watching interrupt wheel-tick' }).click();
  });

  test('camera: live video frames decode, or images change; nothing is fetched while hidden', async ({
    page,
    sim,
  }) => {
    await openConnected(page);
    const cam = card(page, 'cam');
    await show(cam);
    const view = cam.locator('[data-camera-mode]');
    await expect(view).toHaveAttribute('data-camera-mode', /live|images/, { timeout: 10_000 });
    const frames = async () => Number((await view.getAttribute('data-frames')) ?? '0');
    await expect.poll(frames, { timeout: 10_000 }).toBeGreaterThan(3);
    const f = await frames();
    await expect.poll(frames, { timeout: 5000 }).toBeGreaterThan(f + 3);
    await expect(cam.locator('[data-overlay]')).toContainText('fps');
    test.info().annotations.push({
      type: 'camera mode',
      description: (await view.getAttribute('data-camera-mode')) ?? '',
    });

    // Images at 0.5 s: the picture changes and old object URLs are revoked.
    await cam.locator('[data-input="camera-view"]').selectOption('images');
    await cam.getByLabel('Refresh rate').selectOption('500');
    await expect(view).toHaveAttribute('data-camera-mode', 'images');
    const img = cam.locator('img');
    await expect(img).toHaveAttribute('src', /^blob:/, { timeout: 5000 });
    const src = await img.getAttribute('src');
    await expect.poll(() => img.getAttribute('src'), { timeout: 5000 }).not.toBe(src);
    expect(Number(await view.getAttribute('data-object-urls'))).toBeLessThanOrEqual(1);
    const revoked = await page.evaluate(
      (url) =>
        fetch(url ?? '').then(
          () => false,
          () => true,
        ),
      src,
    );
    expect(revoked).toBe(true);

    // Snapshot downloads the frame on show.
    const download = page.waitForEvent('download');
    await cam.getByRole('button', { name: 'Snapshot' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^cam-.*\.png$/);
    // The file itself arrived (the CSP lets the page read its own blob: URLs).
    expect(await saved.failure()).toBeNull();

    // Hidden tab: no image requests at all.
    await setTabHidden(page, true);
    await page.waitForTimeout(700);
    await sim.resetCalls();
    await page.waitForTimeout(2500);
    expect(await callsTo(sim, 'CameraService/GetImages')).toBe(0);
    await setTabHidden(page, false);
    await expect.poll(() => callsTo(sim, 'CameraService/GetImages'), { timeout: 5000 }).toBeGreaterThan(0);
    await cam.locator('[data-input="camera-view"]').selectOption('live');
  });

  test('DoCommand round trips and is remembered in history and favourites', async ({ page }) => {
    await openConnected(page);
    const env = card(page, 'env-sensor');
    await show(env);
    await env.getByText('DoCommand', { exact: true }).click();
    const editor = env.getByRole('textbox', { name: /DoCommand/ });
    await editor.fill('{"command": "echo", "n": 42}');
    await env.getByRole('button', { name: 'Send' }).click();
    await expect(env.locator('[data-result="ok"]')).toContainText('"n": 42');
    await env.getByRole('button', { name: /Favourite/ }).click();
    await editor.fill('{"command": "get_state"}');
    await env.getByRole('button', { name: 'Send' }).click();
    await expect(env.locator('[data-result="ok"]')).toContainText('temperature_c');

    await page.reload();
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    const again = card(page, 'env-sensor');
    await show(again);
    await again.getByText('DoCommand', { exact: true }).click();
    const history = again.locator('select[data-memory="history"]');
    await expect(history.locator('option')).toHaveCount(3);
    await history.selectOption({ index: 2 });
    await expect(again.getByRole('textbox', { name: /DoCommand/ })).toHaveValue(/"n": 42/);
    await expect(again.locator('select[data-memory="favourites"] option')).toHaveCount(2);
    await again.getByRole('button', { name: 'Send' }).click();
    await expect(again.locator('[data-result="ok"]')).toContainText('"n": 42');
  });
});
