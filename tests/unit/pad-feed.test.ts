/**
 * PadFeed against a scripted navigator.getGamepads and a recording send: what reaches the input
 * controller per sample, and that every stop sends rest at once and needs a fresh enable.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PadFeed } from '../../src/controllers/pad-feed.ts';
import type { EventTime, FeedEvent } from '../../src/lib/input-feed.ts';
import { FEED_CONTROLS } from '../../src/lib/input-feed.ts';

class Host extends EventTarget {
  readonly controllers: ReactiveController[] = [];
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(): void {}
  requestUpdate(): void {}
  readonly updateComplete = Promise.resolve(true);
}

const LB = 4;
/** Lets the answered sends settle (the feed counts unanswered ones). */
const settle = () => new Promise((r) => setTimeout(r, 0));
const pad = { axes: [0, 0, 0, 0], pressed: Array.from({ length: 17 }, () => false), connected: true };

interface Sent {
  event: FeedEvent;
  us: number;
}

function setup(options: { hang?: boolean; fail?: boolean } = {}) {
  const host = new Host();
  const sent: Sent[] = [];
  const failures: unknown[] = [];
  const feed = new PadFeed(host as unknown as ReactiveControllerHost & HTMLElement, {
    ready: () => true,
    send: (event: FeedEvent, time: EventTime) => {
      sent.push({ event, us: Number(time.seconds) * 1e6 + time.nanos / 1000 });
      if (options.fail) return Promise.reject(new Error('not of type Triggerable'));
      return options.hang ? new Promise<void>(() => undefined) : Promise.resolve();
    },
    failed: (e) => failures.push(e),
  });
  for (const c of host.controllers) c.hostConnected?.();
  const since = (n: number) =>
    sent.slice(n).map((s) => `${s.event.control} ${s.event.event} ${s.event.value}`);
  return { feed, sent, failures, since };
}

describe('PadFeed', () => {
  beforeEach(() => {
    pad.axes = [0, 0, 0, 0];
    pad.pressed = Array.from({ length: 17 }, () => false);
    pad.connected = true;
    vi.stubGlobal('window', Object.assign(new EventTarget(), { localStorage: undefined }));
    vi.stubGlobal('document', Object.assign(new EventTarget(), { hidden: false }));
    vi.stubGlobal('navigator', {
      getGamepads: () => [
        pad.connected
          ? {
              index: 0,
              id: 'pad',
              mapping: 'standard',
              connected: true,
              axes: pad.axes,
              buttons: pad.pressed.map((p) => ({ pressed: p, value: p ? 1 : 0 })),
            }
          : null,
      ],
    });
    vi.stubGlobal('requestAnimationFrame', () => 0);
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('Connect to every control, then nothing without LB, then only changes while LB is held', async () => {
    const { feed, sent, since } = setup();
    feed.turnOn();
    await settle();
    expect(sent.map((s) => s.event.event)).toEqual(FEED_CONTROLS.map(() => 'Connect'));
    pad.axes = [0, -1, 0, 0];
    feed.sample();
    expect(sent).toHaveLength(FEED_CONTROLS.length);
    pad.pressed[LB] = true;
    feed.sample();
    feed.sample();
    expect(since(FEED_CONTROLS.length)).toEqual(['AbsoluteY PositionChangeAbs -1']);
    feed.turnOff('off');
  });

  it('blur, a hidden tab and STOP send rest at once; held on, nothing resumes until LB is pressed anew', async () => {
    const { feed, sent, since } = setup();
    feed.turnOn();
    await settle();
    pad.pressed[LB] = true;
    feed.sample();
    pad.axes = [0.5, -1, 0, 0];
    feed.sample();
    await settle();
    for (const trigger of [
      () => window.dispatchEvent(new Event('blur')),
      () => {
        (document as unknown as { hidden: boolean }).hidden = true;
        document.dispatchEvent(new Event('visibilitychange'));
        (document as unknown as { hidden: boolean }).hidden = false;
      },
      () => window.dispatchEvent(new Event('mc-stop-all')),
    ]) {
      await settle();
      const n = sent.length;
      trigger();
      expect(since(n)).toEqual(['AbsoluteX PositionChangeAbs 0', 'AbsoluteY PositionChangeAbs 0']);
      feed.sample();
      feed.sample();
      expect(sent).toHaveLength(n + 2);
      expect(feed.blocked).toBe(true);
      pad.pressed[LB] = false;
      feed.sample();
      pad.pressed[LB] = true;
      await settle();
      feed.sample();
      expect(since(n + 2)).toEqual(['AbsoluteX PositionChangeAbs 0.5', 'AbsoluteY PositionChangeAbs -1']);
    }
    const times = sent.map((s) => s.us);
    for (let i = 1; i < times.length; i += 1) expect(times[i]).toBeGreaterThan(times[i - 1] ?? Infinity);
    feed.turnOff('off');
  });

  it('the pad going away sends rest, then Disconnect to every control, and the feed is off', async () => {
    const { feed, sent, since } = setup();
    feed.turnOn();
    await settle();
    pad.pressed[LB] = true;
    pad.axes = [0, -1, 0, 0];
    feed.sample();
    await settle();
    const n = sent.length;
    pad.connected = false;
    feed.sample();
    expect(since(n)).toEqual([
      'AbsoluteY PositionChangeAbs 0',
      ...FEED_CONTROLS.map((c) => `${c} Disconnect 0`),
    ]);
    expect(feed.on).toBe(false);
    expect(feed.lastStop).toBe('pad-lost');
  });

  it('with events unanswered, moves wait but a return to rest goes out at once', () => {
    const { feed, sent, since } = setup({ hang: true });
    feed.turnOn(); // 17 Connects never answered
    pad.pressed[LB] = true;
    pad.axes = [0, -1, 0, 0];
    feed.sample();
    expect(sent).toHaveLength(FEED_CONTROLS.length);
    pad.pressed[LB] = false;
    feed.sample();
    expect(sent).toHaveLength(FEED_CONTROLS.length);
    feed.turnOff('off');
    // Already at rest: only the Disconnects.
    expect(since(FEED_CONTROLS.length)).toEqual(FEED_CONTROLS.map((c) => `${c} Disconnect 0`));
  });

  it('a controller that refuses events turns the feed off and says why', async () => {
    const { feed, failures } = setup({ fail: true });
    feed.turnOn();
    await Promise.resolve();
    await Promise.resolve();
    expect(feed.on).toBe(false);
    expect(String(failures[0])).toContain('Triggerable');
  });
});
