/**
 * Every class of error over WebRTC, on the default rover: the sim's fault injection answers the
 * sensor's GetReadings with a code and the words real servers use; the SDK drops the code on the
 * data channel (goutils rpc/js onTrailers rejects with the message alone), so what the card shows
 * proves the app read the class from the words. Then the bad input: an empty message, a 10 KB one.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openConnected, test, type SimControl } from './fixtures.ts';

const READINGS = '/viam.component.sensor.v1.SensorService/GetReadings';
const card = (page: Page, name: string): Locator => page.locator(`resource-card[data-card="${name}"]`);

/** [gRPC code, the server's words, the kind the app must read, the label it shows]. */
const CLASSES = [
  [5, 'resource "rdk:component:sensor/env-sensor" not found', 'not-found', 'Gone from the machine'],
  [7, 'permission denied', 'permission-denied', 'Not permitted'],
  [16, 'authentication required', 'unauthenticated', 'Not signed in'],
  [4, 'context deadline exceeded', 'deadline-exceeded', 'Timed out'],
  [14, 'transport is closing', 'unavailable', 'Machine unreachable'],
  [3, 'SESSION_EXPIRED', 'session-expired', 'Session expired'],
] as const;

async function fault(sim: SimControl, errorCode: number, errorMessage: string): Promise<void> {
  await sim.request('DELETE', 'faults');
  await sim.request('POST', 'faults', { method: READINGS, errorCode, errorMessage });
}

/** Keeps the card on screen (an off-screen card rightly stops polling) until `check` passes. */
async function onScreenUntil(c: Locator, check: () => Promise<void>, timeout = 10_000): Promise<void> {
  await expect(async () => {
    await c.scrollIntoViewIfNeeded();
    await check();
  }).toPass({ timeout });
}

test.describe('errors as the machine words them, over WebRTC', () => {
  test.afterEach(async ({ sim }) => {
    await sim.request('DELETE', 'faults').catch(() => undefined);
  });

  test('each class is recognised from the message, shown with its label, and the card recovers', async ({
    page,
    sim,
    watch,
  }) => {
    test.setTimeout(90_000);
    await openConnected(page);
    await expect(page.locator('[data-transport="webrtc"]')).toBeVisible();
    const sensor = card(page, 'env-sensor');
    for (const [code, message, kind, label] of CLASSES) {
      await fault(sim, code, message);
      await onScreenUntil(sensor, async () => {
        const error = sensor.locator('[data-poll-error]');
        await expect(error).toHaveAttribute('data-error-kind', kind, { timeout: 1000 });
        await expect(error).toHaveText(`${label}: ${message}`, { timeout: 500 });
      });
      // The data channel carried the code as sent: the app read the class from the words alone.
      const last = (await sim.calls()).findLast((c) => c.method === READINGS);
      expect(last?.code).toBe(code);
      await sim.request('DELETE', 'faults');
      await onScreenUntil(
        sensor,
        () => expect(sensor.locator('[data-poll-error]')).toHaveCount(0, { timeout: 1000 }),
        20_000,
      );
    }
    // The NotFound made the dashboard look at the list again; the resource is still there, so is its card.
    await expect(sensor).toHaveCount(1);
    expect(watch.errors).toEqual([]);
  });

  test('an Unimplemented poll stops for the connection, with one calm line instead of an error', async ({
    page,
    sim,
  }) => {
    await openConnected(page);
    await fault(sim, 12, 'method GetReadings not implemented');
    const sensor = card(page, 'env-sensor');
    await onScreenUntil(sensor, () =>
      expect(sensor.locator('[data-unsupported="poll"]')).toHaveText(
        'Live values not supported by this model',
        {
          timeout: 1000,
        },
      ),
    );
    await expect(sensor.locator('[data-poll-error]')).toHaveCount(0);
    await sim.resetCalls();
    await sensor.scrollIntoViewIfNeeded();
    await page.waitForTimeout(3000);
    expect((await sim.calls()).filter((c) => c.method === READINGS)).toEqual([]);
    // A new connection asks again (the machine may have been updated meanwhile).
    await sim.request('DELETE', 'faults');
    await page.reload();
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    await onScreenUntil(card(page, 'env-sensor'), () =>
      expect(card(page, 'env-sensor').locator('[data-reading="temperature_c"]')).toBeVisible({
        timeout: 1000,
      }),
    );
  });

  test('an empty message and a 10 KB one: readable, bounded, nothing breaks', async ({
    page,
    sim,
    watch,
  }) => {
    await openConnected(page);
    const sensor = card(page, 'env-sensor');
    await fault(sim, 13, '');
    await onScreenUntil(sensor, () =>
      expect(sensor.locator('[data-poll-error]')).toHaveText('the machine gave no reason', {
        timeout: 1000,
      }),
    );
    await sim.request('DELETE', 'faults');
    await onScreenUntil(
      sensor,
      () => expect(sensor.locator('[data-poll-error]')).toHaveCount(0, { timeout: 1000 }),
      20_000,
    );

    const huge = `the bus said: ${'0123456789ABCDEF'.repeat(640)}`;
    expect(huge.length).toBeGreaterThan(10_000);
    await fault(sim, 13, huge);
    await onScreenUntil(sensor, () =>
      expect(sensor.locator('[data-poll-error]')).toContainText('more characters)', { timeout: 1000 }),
    );
    const shown = (await sensor.locator('[data-poll-error]').textContent()) ?? '';
    expect(shown.length).toBeLessThan(600);
    expect(shown).toContain('the bus said: 0123456789ABCDEF');
    const box = await sensor.boundingBox();
    expect(box?.height ?? Infinity).toBeLessThan(900);
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
    expect(watch.errors).toEqual([]);
  });
});
