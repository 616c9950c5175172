/**
 * Video first: a camera that will be on the first screen asks for its stream as soon as the
 * machine answers, before the other cards' first calls (which wait behind AddStream and the first
 * GetMachineStatus, for a bounded time); a camera off the first screen asks for nothing; and a
 * camera that never sends a frame, or whose AddStream never answers, holds nothing back for long.
 * Read off the simulated machine's call log.
 */
import type { Page } from '@playwright/test';
import { expect, openConnected, test, type SimCall, type SimControl } from './fixtures.ts';

const ADD_STREAM = '/proto.stream.v1.StreamService/AddStream';
const STATUS = '/viam.robot.v1.RobotService/GetMachineStatus';
const arrival = (c: SimCall) => c.t - c.durationMs;
/** A card's call: a component's or a service's API (not the robot's, the stream's or reflection). */
const isCardCall = (c: SimCall) => /^\/viam\.(component|service)\./.test(c.method);

const TALL = { width: 1280, height: 2400 };
const camera = (page: Page) => page.locator('machine-dashboard [data-card="cam"]');

async function callsOfOneLoad(page: Page, sim: SimControl): Promise<SimCall[]> {
  await sim.resetCalls();
  await openConnected(page);
  await expect(camera(page).locator('[data-camera-mode="live"]')).toBeVisible({ timeout: 15_000 });
  // The cards' first polls are in.
  await expect
    .poll(async () => (await sim.calls()).filter(isCardCall).length, { timeout: 10_000 })
    .toBeGreaterThan(3);
  return (await sim.calls()).sort((a, b) => arrival(a) - arrival(b));
}

test.describe('video first', () => {
  test.describe.configure({ retries: 0 });

  test.afterEach(async ({ sim }) => {
    await sim.request('DELETE', 'faults');
    await sim.request('POST', 'video', { camera: 'cam' });
  });

  test('a camera on the first screen asks for its stream before any other card calls the machine', async ({
    page,
    sim,
  }) => {
    await page.setViewportSize(TALL);
    // Counts the streams handed to a <video>: the card adopts the player that has decoded the stream
    // since its opening keyframe, rather than starting a second one that waits for the next frame.
    await page.addInitScript(() => {
      const property = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
      const record = window as unknown as { mediaGiven: number };
      record.mediaGiven = 0;
      Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
        configurable: true,
        get(this: HTMLMediaElement) {
          return property?.get?.call(this) as MediaProvider | null;
        },
        set(this: HTMLMediaElement, value: MediaProvider | null) {
          if (value) record.mediaGiven += 1;
          property?.set?.call(this, value);
        },
      });
    });
    await sim.request('DELETE', 'cloud/calls');
    const calls = await callsOfOneLoad(page, sim);
    const adds = calls.filter((c) => c.method === ADD_STREAM);
    expect(adds, 'one stream for the one camera').toHaveLength(1);
    const add = adds[0] as SimCall;
    const cards = calls.filter(isCardCall);
    const early = cards.filter((c) => arrival(c) < arrival(add)).map((c) => c.method);
    expect(early, 'card calls that went before AddStream').toEqual([]);
    // Nor the dashboard's own first calls, which wait for the same turn.
    const dashboardFirst = calls.filter((c) => /\/(GetVersion|ResourceRPCSubtypes)$/.test(c.method));
    expect(dashboardFirst.length).toBeGreaterThan(0);
    expect(dashboardFirst.filter((c) => arrival(c) < arrival(add)).map((c) => c.method)).toEqual([]);
    // The status went out first of all, not held behind anything.
    const status = calls.find((c) => c.method === STATUS);
    expect(status && arrival(status)).toBeLessThanOrEqual(arrival(add));
    // And the card plays that stream: frames arrive, no second AddStream follows.
    await expect
      .poll(async () => Number(await camera(page).locator('[data-frames]').getAttribute('data-frames')))
      .toBeGreaterThan(2);
    expect((await sim.calls()).filter((c) => c.method === ADD_STREAM)).toHaveLength(1);
    expect(await page.evaluate(() => (window as unknown as { mediaGiven: number }).mediaGiven)).toBe(1);
    // The cloud (its code the largest chunk) waits until the video has started: its first call comes
    // after the machine answered AddStream.
    const cloudCalls = async () =>
      (await sim.request<{ calls: SimCall[] }>('GET', 'cloud/calls')).calls.filter((c) =>
        c.method.startsWith('/viam.app.v1.'),
      );
    await expect.poll(async () => (await cloudCalls()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const firstCloud = Math.min(...(await cloudCalls()).map(arrival));
    expect(firstCloud).toBeGreaterThan(add.t);
  });

  test('the other cards are made once the camera has shown its first frame', async ({ page, sim }) => {
    await page.setViewportSize(TALL);
    // At the page's first video frame: when (on the epoch clock the machine logs calls with), and
    // how many cards other than the camera had been made by then.
    await page.addInitScript(() => {
      let offset = 0;
      for (let i = 0; i < 50; i++) offset += Date.now() - (performance.timeOrigin + performance.now());
      offset /= 50;
      const record = window as unknown as { firstFrame?: { at: number; otherCards: number } };
      const all = (root: Document | ShadowRoot, selector: string): Element[] => {
        const found = [...root.querySelectorAll(selector)];
        for (const el of root.querySelectorAll('*'))
          if (el.shadowRoot) found.push(...all(el.shadowRoot, selector));
        return found;
      };
      const seen = new WeakSet<Element>();
      const tick = () => {
        for (const video of all(document, 'video')) {
          if (!(video instanceof HTMLVideoElement) || seen.has(video)) continue;
          seen.add(video);
          video.requestVideoFrameCallback((now) => {
            record.firstFrame ??= {
              at: performance.timeOrigin + now + offset,
              otherCards: all(document, 'resource-card[data-loaded]').filter(
                (card) => card.getAttribute('data-api') !== 'rdk:component:camera',
              ).length,
            };
          });
        }
        if (record.firstFrame === undefined) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // Measured on a second load: the cards' code is cached, so they could be made at once.
    await openConnected(page);
    const calls = await callsOfOneLoad(page, sim);
    const first = await page.evaluate(
      () => (window as unknown as { firstFrame?: { at: number; otherCards: number } }).firstFrame,
    );
    expect(first, 'a frame was shown').toBeDefined();
    const add = calls.find((c) => c.method === ADD_STREAM) as SimCall;
    // Made while the first frame was on its way, the cards held it back. Only a frame slower than
    // the cap (START_CAP_MS after the stream was asked for) finds them made.
    if ((first?.at ?? 0) < arrival(add) + 450) expect(first?.otherCards).toBe(0);
    expect(calls.filter(isCardCall).length).toBeGreaterThan(0);
  });

  test('the drive view asks for its camera first, the stream then belongs to the card as before', async ({
    page,
    sim,
  }) => {
    await openConnected(page);
    await page.getByRole('button', { name: 'Drive view' }).click();
    const driveCam = page.locator('drive-view [data-card="cam"]');
    await expect(driveCam.locator('[data-camera-mode="live"]')).toBeVisible({ timeout: 15_000 });
    // A fresh load with the drive view remembered, the operator's camera chosen.
    await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('mc.drive:')) ?? '';
      const layout = JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, unknown>;
      localStorage.setItem(key, JSON.stringify({ ...layout, cameras: ['rdk:component:camera/cam'] }));
    });
    // The resource list (asked at connecting, beside the status) slowed down: the remembered camera
    // must not wait for it.
    await sim.request('POST', 'faults', {
      method: 'ResourceNames',
      latencyMs: 1500,
      durationMs: 5000,
    });
    await sim.resetCalls();
    await page.reload();
    await expect(driveCam.locator('[data-camera-mode="live"]')).toBeVisible({ timeout: 15_000 });
    await expect
      .poll(async () => (await sim.calls()).filter(isCardCall).length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const calls = (await sim.calls()).sort((a, b) => arrival(a) - arrival(b));
    const add = calls.find((c) => c.method === ADD_STREAM);
    expect(add).toBeDefined();
    const early = calls.filter((c) => isCardCall(c) && arrival(c) < arrival(add as SimCall));
    expect(early.map((c) => c.method)).toEqual([]);
    // The remembered camera is asked for without waiting for the resource list.
    const names = calls.find((c) => c.method === '/viam.robot.v1.RobotService/ResourceNames');
    expect(arrival(add as SimCall)).toBeLessThan((names as SimCall).t);
    // Leaving the drive view takes the card away, and its stream with it.
    const t = Date.now();
    await page.getByRole('button', { name: 'Back to all cards' }).click();
    await expect
      .poll(async () => (await sim.calls()).some((c) => c.method.endsWith('/RemoveStream') && c.t >= t))
      .toBe(true);
  });

  test('a camera below the fold asks for no stream until scrolled to', async ({ page, sim }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await sim.resetCalls();
    await openConnected(page);
    await expect
      .poll(async () => (await sim.calls()).filter(isCardCall).length, { timeout: 10_000 })
      .toBeGreaterThan(3);
    await page.waitForTimeout(1500);
    expect((await sim.calls()).filter((c) => c.method === ADD_STREAM)).toHaveLength(0);
    await camera(page).scrollIntoViewIfNeeded();
    await expect(camera(page).locator('[data-camera-mode="live"]')).toBeVisible({ timeout: 15_000 });
  });

  test('a camera that never sends a frame holds the other cards back no longer than the cap', async ({
    page,
    sim,
  }) => {
    await sim.request('POST', 'video', { camera: 'cam', frozen: true });
    await page.setViewportSize(TALL);
    const calls = await callsOfOneLoad(page, sim);
    const add = calls.find((c) => c.method === ADD_STREAM) as SimCall;
    const first = calls.find(isCardCall) as SimCall;
    // The stream is up (answered) without a frame, and the cards went on once it answered.
    expect(arrival(first) - add.t).toBeLessThan(1000);
    await expect(page.locator('machine-dashboard [data-card="env-sensor"]')).toContainText(/\d/, {
      timeout: 10_000,
    });
  });

  test('an AddStream the machine never answers holds the other cards back no longer than the cap', async ({
    page,
    sim,
  }) => {
    await sim.request('POST', 'faults', { method: 'AddStream', latencyMs: 8000 });
    await page.setViewportSize(TALL);
    await sim.resetCalls();
    await openConnected(page);
    await expect
      .poll(async () => (await sim.calls()).filter(isCardCall).length, { timeout: 10_000 })
      .toBeGreaterThan(3);
    const calls = (await sim.calls()).sort((a, b) => arrival(a) - arrival(b));
    // AddStream is still unanswered: it is not in the log yet (calls are logged when done).
    expect(calls.filter((c) => c.method === ADD_STREAM)).toHaveLength(0);
    const status = calls.find((c) => c.method === STATUS) as SimCall;
    const first = calls.find(isCardCall) as SimCall;
    // 500 ms cap, with a wide margin for a loaded machine.
    expect(arrival(first) - arrival(status)).toBeLessThan(2000);
  });
});
