/**
 * Camera tools on the rover's live camera: stream resolution through the SDK's stream options (the
 * sim offers three sizes and refuses others), pixel coordinates under the pointer, fullscreen with
 * Escape kept as the stop, picture in picture where the browser has it.
 */
import type { Page } from '@playwright/test';
import { delayOf, STOP_ALL } from './base-helpers.ts';
import { expect, openConnected, reveal, test } from './fixtures.ts';

const SET_OPTIONS = '/proto.stream.v1.StreamService/SetStreamOptions';
const cam = (page: Page) => page.locator('[data-card="cam"]');

async function openLive(page: Page): Promise<void> {
  await openConnected(page);
  await reveal(cam(page));
  await expect(cam(page).locator('[data-camera-mode="live"]')).toBeVisible({ timeout: 15_000 });
  await expect
    .poll(async () => Number(await cam(page).locator('[data-frames]').getAttribute('data-frames')))
    .toBeGreaterThan(0);
}

test.describe('camera tools', () => {
  test('stream resolution: the offered sizes, one chosen, back to the default; a refusal is shown', async ({
    page,
    sim,
  }) => {
    await openLive(page);
    const select = cam(page).locator('[data-input="camera-resolution"]');
    await expect(select.locator('option')).toHaveCount(4); // default + three offered
    const values = await select
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const small = values.at(-1) ?? '';
    expect(small).toMatch(/^\d+x\d+$/);
    const t = Date.now();
    await select.selectOption(small);
    await expect(cam(page).locator('[data-options-result]')).toContainText('Stream set to');
    const [w, h] = small.split('x');
    const set = (await sim.calls()).filter((c) => c.method === SET_OPTIONS && c.t >= t);
    expect(set.at(-1)?.summary).toContain(`"width":${w},"height":${h}`);
    await select.selectOption('');
    await expect(cam(page).locator('[data-options-result]')).toContainText('back to the camera');

    // The machine refuses a size (a fault on the method): the card says so, the video plays on.
    await sim.request('POST', 'faults', {
      method: 'SetStreamOptions',
      errorCode: 3,
      errorMessage: 'resolution not supported',
    });
    try {
      await select.selectOption(small);
      await expect(cam(page).locator('[data-options-result]')).toContainText('refused the resolution');
      await expect(select).toHaveValue('');
      await expect(cam(page).locator('[data-camera-mode="live"]')).toBeVisible();
    } finally {
      await sim.request('DELETE', 'faults');
    }
  });

  test('pixel coordinates follow the pointer over the picture, and go away off it', async ({ page }) => {
    await openLive(page);
    const video = cam(page).locator('video');
    const box = await video.boundingBox();
    if (!box) throw new Error('no video');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(cam(page).locator('[data-overlay]')).toContainText(/x \d+, y \d+/);
    const text = (await cam(page).locator('[data-overlay]').textContent()) ?? '';
    const [, x, y] = /x (\d+), y (\d+)/.exec(text) ?? [];
    const size = await video.evaluate((v) => [
      (v as HTMLVideoElement).videoWidth,
      (v as HTMLVideoElement).videoHeight,
    ]);
    expect(Math.abs(Number(x) - (size[0] ?? 0) / 2)).toBeLessThanOrEqual(2);
    expect(Math.abs(Number(y) - (size[1] ?? 0) / 2)).toBeLessThanOrEqual(2);
    await page.mouse.move(0, 0);
    await expect(cam(page).locator('[data-overlay]')).not.toContainText(/x \d+, y/);
  });

  test('fullscreen per camera keeps Escape as the stop', async ({ page, sim }) => {
    await openLive(page);
    await cam(page).getByRole('button', { name: 'Fullscreen' }).click();
    await expect(cam(page).getByRole('button', { name: 'Leave fullscreen' })).toBeVisible();
    const t = Date.now();
    await page.keyboard.press('Escape');
    expect(await delayOf(sim, STOP_ALL, t)).toBeLessThan(300);
    if ((await page.evaluate(() => document.fullscreenElement)) !== null) {
      await cam(page).getByRole('button', { name: 'Leave fullscreen' }).click();
    }
    await expect(cam(page).getByRole('button', { name: 'Fullscreen' })).toBeVisible();
  });

  test('picture in picture, where the browser offers it', async ({ page }) => {
    await openLive(page);
    const enabled = await page.evaluate(() => document.pictureInPictureEnabled);
    const pip = cam(page).getByRole('button', { name: 'Picture in picture' });
    if (!enabled) {
      // The button is only offered where the browser has the API.
      await expect(pip).toHaveCount(0);
      return;
    }
    await pip.click();
    await expect
      .poll(() =>
        cam(page)
          .locator('video')
          .evaluate(
            (v) => document.pictureInPictureElement === v || document.pictureInPictureElement !== null,
          ),
      )
      .toBe(true);
  });
});
