/**
 * MotionGuard with `confirm` (sent once per change, checked while held), against a stand-in host and
 * context provider: what goes out on a press, a change, a release and a stop this page did not ask
 * for, and that a control still down after such a stop needs a new press.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { connectionContext, robotClientContext } from '../../src/contexts.ts';
import { LINK_STALE_MS, MotionGuard, type MotionGuardOptions } from '../../src/controllers/motion-guard.ts';
import { STOP_ALL_EVENT } from '../../src/lib/stop-signal.ts';

type Provide = (value: unknown) => void;

/** The least of a Lit element the guard's context consumers need, with the provider built in. */
class Host extends EventTarget {
  readonly controllers: ReactiveController[] = [];
  readonly #subscribers = new Map<unknown, Provide[]>();
  readonly #values = new Map<unknown, unknown>();

  constructor() {
    super();
    this.addEventListener('context-request', (event) => {
      const request = event as Event & { context: unknown; callback: (value: unknown) => void };
      const list = this.#subscribers.get(request.context) ?? [];
      list.push(request.callback);
      this.#subscribers.set(request.context, list);
      if (this.#values.has(request.context)) request.callback(this.#values.get(request.context));
    });
  }

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {}
  readonly updateComplete = Promise.resolve(true);

  provide(context: unknown, value: unknown): void {
    this.#values.set(context, value);
    for (const callback of this.#subscribers.get(context) ?? []) callback(value);
  }
  connect(): void {
    for (const c of this.controllers) c.hostConnected?.();
  }
}

interface Call {
  readonly kind: 'send' | 'stop' | 'confirm';
  readonly motion?: string;
}

/**
 * A client whose session manager has the shape of SDK 0.61.1's: `starting` while a session start
 * (and its reflection queries) is under way, which the SDK makes session-monitored calls wait for.
 */
function clientStartingSession() {
  let finish: (() => void) | undefined;
  let fail: ((error: Error) => void) | undefined;
  const manager: { starting: Promise<void> | undefined; sessionsSupported: boolean | undefined } & {
    getSessionMetadata(): Promise<Headers>;
    reset(): void;
  } = {
    starting: new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    }),
    sessionsSupported: undefined,
    async getSessionMetadata() {
      while (this.starting) await this.starting;
      return new Headers();
    },
    reset() {},
  };
  // A start that fails with nobody waiting for it is not an unhandled rejection.
  manager.starting?.catch(() => undefined);
  const started = (error?: Error) => {
    if (error) fail?.(error);
    else finish?.();
    manager.starting = undefined;
    manager.sessionsSupported = error ? undefined : true;
  };
  return { client: { sessionManager: manager }, started };
}

/** A guard whose send/stop/confirm are recorded and answered by hand (or at once, by default). */
function setup(options: { confirm?: boolean; manualSend?: boolean; client?: object } = {}) {
  const calls: Call[] = [];
  const pendingSends: (() => void)[] = [];
  const state = { moving: true, confirmFails: false, confirmHangs: false, sendFails: [] as Error[] };
  const host = new Host();
  const guardOptions: MotionGuardOptions<string> = {
    send: (motion) => {
      calls.push({ kind: 'send', motion });
      const failure = state.sendFails.shift();
      if (failure) return Promise.reject(failure);
      if (!options.manualSend) return Promise.resolve();
      return new Promise<void>((resolve) => pendingSends.push(resolve));
    },
    stop: () => {
      calls.push({ kind: 'stop' });
      return Promise.resolve();
    },
    ...(options.confirm === false
      ? {}
      : {
          confirm: (motion: string) => {
            calls.push({ kind: 'confirm', motion });
            if (state.confirmHangs) return new Promise<boolean>(() => undefined);
            return state.confirmFails ? Promise.reject(new Error('unknown')) : Promise.resolve(state.moving);
          },
        }),
  };
  const guard = new MotionGuard<string>(
    host as unknown as ReactiveControllerHost & HTMLElement,
    guardOptions,
  );
  host.connect();
  const client = options.client ?? {};
  host.provide(robotClientContext, client);
  host.provide(connectionContext, { phase: 'connected' });
  const sends = () => calls.filter((c) => c.kind === 'send').map((c) => c.motion);
  const count = (kind: Call['kind']) => calls.filter((c) => c.kind === kind).length;
  const settleOneSend = () => pendingSends.shift()?.();
  return { guard, host, calls, state, sends, count, settleOneSend, client };
}

describe('MotionGuard with confirm', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('document', doc);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('sends a held motion once, then checks it at the rate; a change is sent once; release stops at once', async () => {
    const t = setup();
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.sends()).toEqual(['fwd']);
    expect(t.count('confirm')).toBeGreaterThanOrEqual(9);
    t.guard.hold('keys', 'arc', 'change');
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sends()).toEqual(['fwd', 'arc']);
    const before = t.count('stop');
    t.guard.release('keys');
    expect(t.count('stop')).toBe(before + 1);
    const checks = t.count('confirm');
    await vi.advanceTimersByTimeAsync(500);
    expect(t.count('confirm')).toBe(checks);
    expect(t.guard.active).toBe(false);
  });

  it('blur and a hidden tab stop at once; an idle guard sends nothing on them', async () => {
    const t = setup();
    window.dispatchEvent(new Event('blur'));
    Object.assign(document, { visibilityState: 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.assign(document, { visibilityState: 'visible' });
    expect(t.calls).toEqual([]);

    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(0);
    window.dispatchEvent(new Event('blur'));
    expect(t.count('stop')).toBe(1);
    t.guard.hold('stick', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(0);
    Object.assign(document, { visibilityState: 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(t.count('stop')).toBe(2);
  });

  it('stopped elsewhere: the hold ends, a change does not resume it, a new press does', async () => {
    const t = setup();
    t.guard.hold('keys', 'arc', 'press');
    await vi.advanceTimersByTimeAsync(150);
    t.state.moving = false; // another operator's StopAll
    await vi.advanceTimersByTimeAsync(200);
    expect(t.guard.lastStop?.reason).toBe('stopped-elsewhere');
    expect(t.guard.active).toBe(false);
    // Nothing is sent to undo the other operator's stop, and nothing to "stop" it again.
    expect(t.sends()).toEqual(['arc']);
    expect(t.count('stop')).toBe(0);

    // One of two keys let go: a change of a control something else stopped.
    t.guard.hold('keys', 'fwd', 'change');
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sends()).toEqual(['arc']);
    // Letting go of everything sends no stop (this page is not driving); the next press drives.
    t.guard.release('keys');
    expect(t.count('stop')).toBe(0);
    t.state.moving = true;
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.sends()).toEqual(['arc', 'fwd']);
    expect(t.guard.active).toBe(true);
  });

  it('a page that was not driving sends no stop when its connection drops', async () => {
    const t = setup();
    t.host.provide(connectionContext, { phase: 'reconnecting' });
    t.host.provide(connectionContext, { phase: 'connected' });
    await vi.advanceTimersByTimeAsync(300);
    expect(t.count('stop')).toBe(0);
  });

  it('after the global stop and after a dropped connection, a change is not a press', async () => {
    const t = setup();
    t.guard.hold('keys', 'arc', 'press');
    await vi.advanceTimersByTimeAsync(0);
    window.dispatchEvent(new Event(STOP_ALL_EVENT));
    t.guard.hold('keys', 'fwd', 'change');
    await vi.advanceTimersByTimeAsync(300);
    expect(t.sends()).toEqual(['arc']);
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(0);
    expect(t.sends()).toEqual(['arc', 'fwd']);

    t.host.provide(connectionContext, { phase: 'reconnecting' });
    t.host.provide(robotClientContext, {});
    t.host.provide(connectionContext, { phase: 'connected' });
    t.guard.hold('keys', 'arc', 'change');
    await vi.advanceTimersByTimeAsync(300);
    expect(t.sends()).toEqual(['arc', 'fwd']);
    // Nothing was sent while the link was down; the drop sent one Stop on the client still there
    // (a missed check may be a slow link, and this page was driving).
    expect(t.count('stop')).toBe(1);
  });

  it('a press of the same motion right after a release, with the first send still in flight, is sent', async () => {
    const t = setup({ manualSend: true });
    const forward = 'fwd';
    t.guard.hold('pad', forward, 'press');
    t.guard.release('pad', 'pointer');
    expect(t.count('stop')).toBe(1);
    t.guard.hold('pad', forward, 'press'); // the same constant, as the pad's buttons hold
    // Sent at once: the machine sees SetPower, Stop, SetPower in turn (the channel is ordered), and the
    // new press is not checked (and ended) as the motion the stop ended.
    expect(t.sends()).toEqual(['fwd', 'fwd']);
    t.settleOneSend();
    await vi.advanceTimersByTimeAsync(300);
    expect(t.sends()).toEqual(['fwd', 'fwd']);
    expect(t.count('stop')).toBe(1); // the earlier send's late settling does not cut the new drive
    expect(t.guard.lastStop?.reason).toBe('pointer');
    expect(t.guard.active).toBe(true);
  });

  it('a check that fails is "unknown": the hold stands, nothing is re-sent, release still stops', async () => {
    const t = setup();
    t.state.confirmFails = true;
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.sends()).toEqual(['fwd']);
    expect(t.guard.active).toBe(true);
    t.guard.release('keys');
    expect(t.count('stop')).toBe(1);
  });

  it('a check lost with the link does not stop the holds after a reconnect from being checked', async () => {
    const t = setup();
    t.guard.hold('keys', 'fwd', 'press');
    t.state.confirmHangs = true;
    await vi.advanceTimersByTimeAsync(300);
    expect(t.count('confirm')).toBe(1); // one in flight, never answered: no second one
    t.host.provide(connectionContext, { phase: 'reconnecting' });
    t.host.provide(robotClientContext, {});
    t.host.provide(connectionContext, { phase: 'connected' });
    t.state.confirmHangs = false;
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(300);
    expect(t.sends()).toEqual(['fwd', 'fwd']);
    expect(t.count('confirm')).toBeGreaterThanOrEqual(3);
    t.state.moving = false; // and another operator's STOP is noticed again
    await vi.advanceTimersByTimeAsync(200);
    expect(t.guard.lastStop?.reason).toBe('stopped-elsewhere');
  });

  it('without confirm, a held motion is re-sent at the rate (the arm jog stream)', async () => {
    const t = setup({ confirm: false });
    t.guard.hold('jog-0', 'step', 'press');
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.sends().length).toBeGreaterThanOrEqual(9);
    t.guard.finish('jog-0');
    const n = t.sends().length;
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sends().length).toBe(n);
    expect(t.count('stop')).toBe(0);
  });

  it('a block stops what was driving, refuses holds while set, and needs a press after it lifts', async () => {
    const t = setup();
    t.guard.block('video-stale'); // not driving: nothing sent
    expect(t.count('stop')).toBe(0);
    t.guard.block(undefined);
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(50);
    t.guard.block('video-stale');
    expect(t.count('stop')).toBe(1);
    expect(t.guard.lastStop?.reason).toBe('video-stale');
    t.guard.hold('keys', 'fwd', 'press'); // pressed again while stale: refused
    await expect(t.guard.track(() => Promise.resolve('moved'))).rejects.toThrow(/Video stale/);
    t.guard.hold('pad', 'arc', 'press');
    await vi.advanceTimersByTimeAsync(200);
    expect(t.sends()).toEqual(['fwd']);
    t.guard.block(undefined);
    t.guard.hold('pad', 'left', 'change'); // held through the block: still not a press
    await vi.advanceTimersByTimeAsync(200);
    expect(t.sends()).toEqual(['fwd']);
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(50);
    expect(t.sends()).toEqual(['fwd', 'fwd']);
  });

  it('a held motion whose check goes unanswered for LINK_STALE_MS stops, and needs a new press', async () => {
    const t = setup();
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(300);
    t.state.confirmHangs = true; // the link is gone or flapping: the next check is never answered
    await vi.advanceTimersByTimeAsync(LINK_STALE_MS - 100);
    expect(t.count('stop')).toBe(0);
    expect(t.guard.active).toBe(true);
    await vi.advanceTimersByTimeAsync(400);
    expect(t.count('stop')).toBe(1);
    expect(t.guard.lastStop?.reason).toBe('link-stale');
    expect(t.guard.active).toBe(false);
    // Still held: changes are not presses; a new press drives (and is not judged by the lost check).
    t.state.confirmHangs = false;
    t.guard.hold('keys', 'arc', 'change');
    await vi.advanceTimersByTimeAsync(200);
    expect(t.sends()).toEqual(['fwd']);
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(1500);
    expect(t.sends()).toEqual(['fwd', 'fwd']);
    expect(t.count('stop')).toBe(1);
    expect(t.guard.active).toBe(true);
  });

  it('a send unanswered for LINK_STALE_MS stops too (no confirm: the re-send stream waits on it)', async () => {
    const t = setup({ confirm: false, manualSend: true });
    t.guard.hold('jog-0', 'step', 'press');
    await vi.advanceTimersByTimeAsync(LINK_STALE_MS + 200);
    expect(t.sends()).toEqual(['step']); // coalesced behind the unanswered one
    expect(t.guard.lastStop?.reason).toBe('link-stale');
    expect(t.count('stop')).toBe(1);
    // Its late answer settles the motion: one more Stop, since it may have taken effect after the first.
    t.settleOneSend();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.count('stop')).toBe(2);
  });

  it('a new press is sent at once even while the last press’s send is unanswered (a lossy link holds its reply)', async () => {
    const t = setup({ manualSend: true });
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(300);
    t.guard.release('keys');
    expect(t.count('stop')).toBe(1);
    await vi.advanceTimersByTimeAsync(400);
    t.guard.hold('keys', 'fwd', 'press');
    expect(t.sends()).toEqual(['fwd', 'fwd']);
    // Within the new hold, re-sends still coalesce behind its own send.
    t.guard.hold('keys', 'arc', 'change');
    await vi.advanceTimersByTimeAsync(300);
    expect(t.sends()).toEqual(['fwd', 'fwd']);
    // The first press's late reply settles while the second holds: no stop cuts the new drive.
    t.settleOneSend();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.count('stop')).toBe(1);
    t.settleOneSend();
    await vi.advanceTimersByTimeAsync(150);
    expect(t.sends()).toEqual(['fwd', 'fwd', 'arc']);
    t.guard.release('keys');
    expect(t.count('stop')).toBe(2);
  });

  it('a held motion refused because the session lapsed goes out again; any other refusal waits for a press', async () => {
    const t = setup();
    t.state.sendFails.push(new Error('SESSION_EXPIRED'));
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(250);
    expect(t.sends()).toEqual(['fwd', 'fwd']);
    expect(t.count('confirm')).toBeGreaterThan(0);
    t.guard.release('keys');
    t.state.sendFails.push(new Error('motor overheated'));
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(500);
    expect(t.sends()).toEqual(['fwd', 'fwd', 'fwd']);
    expect(t.guard.active).toBe(true);
    t.guard.release('keys');
    expect(t.count('stop')).toBe(2);
  });

  it('while a machine session starts, a new press is refused and needs another; a held motion goes on', async () => {
    const t = setup();
    t.host.provide(connectionContext, { phase: 'connected', session: { state: 'starting' } });
    expect(t.guard.ready).toBe(false);
    t.guard.hold('keys', 'fwd', 'press');
    await expect(t.guard.track(() => Promise.resolve('moved'))).rejects.toThrow(/session is starting/);
    await vi.advanceTimersByTimeAsync(300);
    expect(t.sends()).toEqual([]);
    expect(t.count('stop')).toBe(0);
    expect(t.guard.active).toBe(false);

    t.host.provide(connectionContext, { phase: 'connected', session: { state: 'active', id: 's1' } });
    expect(t.guard.ready).toBe(true);
    // Still down from before: a change of it is no press.
    t.guard.hold('keys', 'arc', 'change');
    expect(t.sends()).toEqual([]);
    t.guard.hold('keys', 'fwd', 'press');
    expect(t.sends()).toEqual(['fwd']);
    await vi.advanceTimersByTimeAsync(0);

    // A renewal (the machine let the session lapse) refuses a new press as well (the SDK would hold
    // it behind the start, where the release's Stop would overtake it); the held control goes on.
    t.host.provide(connectionContext, { phase: 'connected', session: { state: 'starting', renewing: true } });
    t.guard.hold('pad', 'right', 'press');
    expect(t.sends()).toEqual(['fwd']);
    t.guard.release('pad');
    t.host.provide(connectionContext, { phase: 'connected', session: { state: 'active', id: 's2' } });
    t.guard.hold('keys', 'arc', 'change');
    expect(t.sends()).toEqual(['fwd', 'arc']);
    await vi.advanceTimersByTimeAsync(0);
    t.guard.release('keys');
    t.guard.hold('pad', 'left', 'press');
    expect(t.sends()).toEqual(['fwd', 'arc', 'left']);

    // A new connection's first start does: a control already down (the pad) goes on, a new one waits.
    t.host.provide(connectionContext, { phase: 'connected', session: { state: 'starting' } });
    t.guard.hold('keys', 'fwd', 'press');
    expect(t.sends()).toEqual(['fwd', 'arc', 'left']);
    t.guard.release('pad');
    expect(t.count('stop')).toBe(2);
  });

  it('a slow machine that answers each call within LINK_STALE_MS keeps driving', async () => {
    const t = setup({ manualSend: true });
    t.guard.hold('keys', 'fwd', 'press');
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(LINK_STALE_MS - 200);
      t.settleOneSend();
      t.guard.hold('keys', i % 2 === 0 ? 'arc' : 'fwd', 'change');
    }
    expect(t.count('stop')).toBe(0);
    expect(t.guard.active).toBe(true);
  });

  it('a press while the SDK starts a session waits for it, and is not sent if released meanwhile (its Stop would arrive first)', async () => {
    const session = clientStartingSession();
    const t = setup({ client: session.client });
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(300);
    expect(t.sends()).toEqual([]);
    t.guard.release('keys');
    expect(t.count('stop')).toBe(1);
    session.started();
    await vi.advanceTimersByTimeAsync(500);
    // Never sent: handed to the SDK at the press, it would have reached the machine after the Stop.
    expect(t.sends()).toEqual([]);
    // Once the session is up a press goes out at once, in the same task.
    t.guard.hold('keys', 'fwd', 'press');
    expect(t.sends()).toEqual(['fwd']);
  });

  it('a press still held when the session start ends is sent then, and its release stops it', async () => {
    const session = clientStartingSession();
    const t = setup({ client: session.client });
    t.guard.hold('keys', 'fwd', 'press');
    await vi.advanceTimersByTimeAsync(200);
    session.started();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.sends()).toEqual(['fwd']);
    t.guard.release('keys');
    expect(t.count('stop')).toBe(1);
  });

  it('a session start that fails fails the held motion (as the SDK call would), sending nothing', async () => {
    const session = clientStartingSession();
    const t = setup({ client: session.client });
    t.guard.hold('keys', 'fwd', 'press');
    session.started(new Error('start failed'));
    await vi.advanceTimersByTimeAsync(300);
    expect(t.sends()).toEqual([]);
    t.guard.release('keys');
    expect(t.count('stop')).toBe(1);
  });

  it('with no session start under way (one failed, or none yet) a press goes out at once', async () => {
    const session = clientStartingSession();
    session.started(new Error('start failed'));
    await vi.advanceTimersByTimeAsync(0);
    const t = setup({ client: session.client });
    t.guard.hold('keys', 'fwd', 'press');
    expect(t.sends()).toEqual(['fwd']);
  });

  it('a tracked command waits for the session start, and is not run if stopped meanwhile', async () => {
    const session = clientStartingSession();
    const t = setup({ client: session.client });
    const ran: string[] = [];
    const first = t.guard.track(() => {
      ran.push('go-for');
      return Promise.resolve('done');
    });
    await vi.advanceTimersByTimeAsync(100);
    t.guard.stopNow('button');
    session.started();
    await expect(first).rejects.toThrow(/Stopped before it was sent/);
    expect(ran).toEqual([]);
    expect(t.count('stop')).toBe(2);
    await expect(t.guard.track(() => Promise.resolve(ran.push('go-for')))).resolves.toBe(1);
    expect(ran).toEqual(['go-for']);
  });
});
