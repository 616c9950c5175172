/**
 * Machine faults against the simulated machine: slow answers on every method, errors on one method,
 * a resource going unhealthy and back, and a reconfigure while the base is being driven.
 */
import type { Page } from '@playwright/test';
import { expect, openConnected, reveal, test, type SimCall, type SimControl } from './fixtures.ts';

const SET_POWER = '/viam.component.base.v1.BaseService/SetPower';
const BASE_IS_MOVING = '/viam.component.base.v1.BaseService/IsMoving';
const BASE_STOP = '/viam.component.base.v1.BaseService/Stop';
const GET_READINGS = '/viam.component.sensor.v1.SensorService/GetReadings';

/** When a call reached the machine (the log stamps completion). */
const arrival = (c: SimCall) => c.t - c.durationMs;
const card = (page: Page, name: string) => page.locator(`[data-card="${name}"]`);

async function isBaseMoving(sim: SimControl): Promise<boolean> {
  const state = await sim.request<{ resources: Record<string, { physical?: { is_moving?: boolean } }> }>(
    'GET',
    'state',
  );
  return state.resources['rdk:component:base/base']?.physical?.is_moving === true;
}

/** Long tasks (main thread blocked >= 50 ms) from now on, kept in the page. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
}
const longTasks = (page: Page) =>
  page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);

test.describe('machine faults', () => {
  test.beforeEach(async ({ page, sim }) => {
    await sim.request('DELETE', 'faults');
    // Tall enough that the status panel and the first rows of cards are on screen (and polling) at once.
    await page.setViewportSize({ width: 1400, height: 2000 });
  });

  test.afterEach(async ({ page, sim }) => {
    await page.keyboard.up('w').catch(() => undefined);
    await sim.request('DELETE', 'faults');
    await sim.request('POST', 'resources/healthy', { name: 'env-sensor' }).catch(() => undefined);
    await sim.request('POST', 'stop-all');
  });

  test('500 ms latency on every method: the page stays responsive and polls never pile up', async ({
    page,
    sim,
    watch,
  }) => {
    await openConnected(page);
    await reveal(card(page, 'env-sensor'));
    await watchLongTasks(page);
    await sim.request('POST', 'faults', { method: '*', latencyMs: 500 });
    await sim.resetCalls();
    const started = Date.now();

    // Eight slow seconds, with the operator typing into the page meanwhile: each keystroke's time to
    // the next painted frame, measured in the page.
    const filter = page.getByRole('searchbox', { name: 'Filter resources by name' });
    const inputDelays: number[] = [];
    while (Date.now() - started < 8000) {
      const text = inputDelays.length % 2 === 0 ? 'env' : '';
      inputDelays.push(
        await filter.evaluate(async (input: HTMLInputElement, value) => {
          const t0 = performance.now();
          input.value = value;
          input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
          await (input.getRootNode() as ShadowRoot & { host: { updateComplete: Promise<unknown> } }).host
            .updateComplete;
          await new Promise((r) => requestAnimationFrame(r));
          return Math.round(performance.now() - t0);
        }, text),
      );
      await expect(page.locator('[data-status-resource="base"]')).toHaveCount(text === 'env' ? 0 : 1);
      await page.waitForTimeout(300);
    }
    await filter.fill('');

    // Still connected (the 1 s pulse tolerates 500 ms), still live.
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
    const tasks = await longTasks(page);
    const calls = await sim.calls();

    // Per resource and method, the next poll arrives only after the previous one was answered.
    const byResource = new Map<string, SimCall[]>();
    for (const c of calls) {
      if (!/\/Get[A-Z]\w*$/.test(c.method) || c.method.includes('RobotService')) continue;
      // One poll may send parallel calls that differ in their request (an encoder's ticks and degrees).
      const key = `${c.method} ${c.summary}`;
      byResource.set(key, [...(byResource.get(key) ?? []), c]);
    }
    const robotPolls = calls.filter((c) => c.method.endsWith('/GetMachineStatus'));
    byResource.set('GetMachineStatus', robotPolls);
    const overlaps: string[] = [];
    for (const [key, list] of byResource) {
      const sorted = [...list].sort((a, b) => arrival(a) - arrival(b));
      for (let i = 1; i < sorted.length; i++) {
        const prev = sorted[i - 1];
        const next = sorted[i];
        if (prev && next && arrival(next) < prev.t - 5) overlaps.push(`${key}: ${arrival(next)} < ${prev.t}`);
      }
    }
    const polled = [...byResource.entries()].filter(([, list]) => list.length >= 3).map(([k]) => k);
    console.log(
      `latency 500 ms: long tasks ${JSON.stringify(tasks)}, keystroke to frame ${JSON.stringify(inputDelays)} ms, ` +
        `${calls.length} calls, ${polled.length} polls checked for overlap`,
    );
    expect(polled.length).toBeGreaterThanOrEqual(2);
    expect(polled).toContain('GetMachineStatus');
    expect(overlaps).toEqual([]);
    expect(tasks.filter((d) => d > 200)).toEqual([]);
    expect(Math.max(...inputDelays)).toBeLessThan(100);
    expect(watch.errors).toEqual([]);
  });

  test('cards that start polling together do not poll in step: their polls are spread over time', async ({
    page,
    sim,
  }) => {
    // Thirty sensors of one rate, every card on screen: all start polling when the connection is up.
    const pod = Array.from({ length: 30 }, (_, i) => `pod-${i}`);
    await sim.request('POST', 'reconfigure', {
      add: pod.map((name) => ({
        name,
        api: 'rdk:component:sensor',
        model: 'rdk:builtin:fake',
        attributes: {},
      })),
    });
    try {
      await page.setViewportSize({ width: 1920, height: 12_000 });
      await openConnected(page);
      await expect(page.locator('resource-card[data-card^="pod-"][data-loaded]')).toHaveCount(30, {
        timeout: 20_000,
      });
      await page.waitForTimeout(3000);
      await sim.resetCalls();
      await page.waitForTimeout(6000);
      const polls = (await sim.calls())
        .filter((c) => c.method === GET_READINGS)
        .map((c) => ({ resource: /"name":"([^"]+)"/.exec(c.summary)?.[1] ?? '', at: arrival(c) }))
        .filter((p) => p.resource.startsWith('pod-'));
      const loops = new Set(polls.map((p) => p.resource)).size;
      // Each sensor's phase in the 1 s interval: the circular mean of its polls' arrivals (a pause of
      // the machine or the page moves one arrival, not the phase). Then the longest stretch of the
      // interval with no sensor's phase in it: 1,000 ms were they all in step; spread evenly, about
      // 90 ms (the three-gap bound). Measured: 70-121 ms (7 runs, 5 of them with two CPU burners);
      // the page before, whose loops kept the phases of how the cards happened to start: 138-310 ms.
      const period = 1000;
      const phases = [...new Set(polls.map((p) => p.resource))]
        .map((name) => {
          const angles = polls
            .filter((p) => p.resource === name)
            .map((p) => ((p.at % period) / period) * 2 * Math.PI);
          const x = angles.reduce((a, t) => a + Math.cos(t), 0);
          const y = angles.reduce((a, t) => a + Math.sin(t), 0);
          return ((Math.atan2(y, x) / (2 * Math.PI)) * period + period) % period;
        })
        .sort((a, b) => a - b);
      const gaps = phases.map((p, k) => (phases[k + 1] ?? (phases[0] ?? 0) + period) - p);
      const emptiest = Math.max(...gaps);
      console.log(
        `${polls.length} polls of ${loops} sensors in 6 s; the longest stretch of the 1 s interval with no phase: ${emptiest.toFixed(0)} ms`,
      );
      expect(loops).toBe(30);
      expect(emptiest).toBeLessThan(200);
    } finally {
      await sim.request('POST', 'reconfigure', { remove: pod });
    }
  });

  test('an error on one method shows on the affected card only, and clears', async ({ page, sim }) => {
    await openConnected(page);
    const env = card(page, 'env-sensor');
    await reveal(env);
    await sim.request('POST', 'faults', {
      method: GET_READINGS,
      errorCode: 14,
      errorMessage: 'sensor bus unavailable',
    });
    await expect(env.locator('[data-poll-error]')).toContainText('sensor bus unavailable', { timeout: 5000 });

    // Other cards on screen keep polling happily: no error anywhere but on env-sensor.
    const others = page.locator('[data-card]').filter({ has: page.locator('[data-poll-error]') });
    await expect(others).toHaveCount(1);
    await expect(others).toHaveAttribute('data-card', 'env-sensor');
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
    for (const name of ['battery', 'gps-imu']) {
      const other = card(page, name);
      await reveal(other);
      await expect(other.locator('[data-poll-error]')).toHaveCount(0);
    }

    await sim.request('DELETE', 'faults');
    await reveal(env);
    await expect(env.locator('[data-poll-error]')).toHaveCount(0, { timeout: 10_000 });
  });

  test('a resource going unhealthy and back: its card says so, then recovers; others are untouched', async ({
    page,
    sim,
  }) => {
    await openConnected(page);
    const env = card(page, 'env-sensor');
    await reveal(env);
    await sim.request('POST', 'resources/unhealthy', {
      name: 'env-sensor',
      error: 'i2c bus timeout at 0x40',
    });
    await expect(env.locator('[data-health-error]')).toContainText('i2c bus timeout at 0x40', {
      timeout: 5000,
    });
    await expect(page.locator('[data-health-error]')).toHaveCount(1);
    await expect(page.locator('[data-status-resource="env-sensor"]')).toHaveAttribute(
      'data-state',
      'unhealthy',
    );

    await sim.request('POST', 'resources/healthy', { name: 'env-sensor' });
    await expect(env.locator('[data-health-error]')).toHaveCount(0, { timeout: 5000 });
    await expect(page.locator('[data-status-resource="env-sensor"]')).toHaveAttribute('data-state', 'ready');
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
  });

  test('a reconfigure while driving: the base keeps being driven and stops on release', async ({
    page,
    sim,
  }) => {
    await openConnected(page);
    const base = card(page, 'base');
    await base.scrollIntoViewIfNeeded();
    await base.getByRole('button', { name: 'Arm keyboard' }).click();
    await expect(base.locator('[data-armed]')).toBeVisible();
    await page.keyboard.down('w');
    await expect.poll(() => isBaseMoving(sim), { timeout: 3000 }).toBe(true);

    const reconfiguredAt = Date.now();
    try {
      await sim.request('POST', 'reconfigure', {
        add: [{ name: 'extra-sensor', api: 'rdk:component:sensor', model: 'rdk:builtin:fake' }],
        remove: ['beeper'],
      });
      await expect(card(page, 'extra-sensor')).toBeVisible({ timeout: 5000 });
      await expect(card(page, 'beeper')).toHaveCount(0);
      await page.waitForTimeout(1000);

      // Still held through the reconfigure: the held motion is checked at the dead-man rate (never
      // re-sent, so another operator's STOP would stick), and the base kept moving.
      const calls = (await sim.calls()).filter((c) => arrival(c) >= reconfiguredAt);
      expect(calls.filter((c) => c.method === SET_POWER)).toEqual([]);
      const powers = calls.filter((c) => c.method === BASE_IS_MOVING);
      expect(powers.length).toBeGreaterThanOrEqual(10);
      const gaps = powers.slice(1).map((p, i) => arrival(p) - arrival(powers[i] ?? p));
      expect(Math.max(...gaps)).toBeLessThan(400);
      expect(await isBaseMoving(sim)).toBe(true);
      await expect(base.locator('[data-armed]')).toBeVisible();

      const released = Date.now();
      await page.keyboard.up('w');
      await expect
        .poll(
          async () => (await sim.calls()).some((c) => c.method === BASE_STOP && arrival(c) >= released - 5),
          {
            timeout: 2000,
          },
        )
        .toBe(true);
      await expect.poll(() => isBaseMoving(sim), { timeout: 2000 }).toBe(false);
      const stop = (await sim.calls()).find((c) => c.method === BASE_STOP && arrival(c) >= released - 5);
      console.log(
        `reconfigure while driving: ${powers.length} IsMoving checks in ${Date.now() - reconfiguredAt} ms, ` +
          `max gap ${Math.max(...gaps)} ms, stop ${stop ? arrival(stop) - released : '?'} ms after release`,
      );
    } finally {
      await sim.request('POST', 'reconfigure', {
        add: [{ name: 'beeper', api: 'rdk:component:generic', model: 'rdk:builtin:fake' }],
        remove: ['extra-sensor'],
      });
    }
  });
});
