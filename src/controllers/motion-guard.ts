import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { connectionContext, robotClientContext } from '../contexts.ts';
import { motionReady } from '../lib/connection-state.ts';
import { classifyRpcError } from '../lib/rpc-error.ts';
import { sessionStartPending } from '../lib/sdk-session.ts';
import { onStopAll, STOP_DRIVING_EVENT } from '../lib/stop-signal.ts';

/** Why motion was stopped (for the card's status line and the tests). */
export type StopReason =
  | 'release'
  | 'blur'
  | 'hidden'
  | 'pointer'
  | 'disconnected'
  | 'left-page'
  | 'stop-all'
  | 'button'
  | 'disarmed'
  /** The gamepad that was driving went away (unplugged, or another pad took over). */
  | 'gamepad-lost'
  /** The video the operator drives by is stale (drive view). */
  | 'video-stale'
  /** Fullscreen was left other than by its own button (the browser's Escape). */
  | 'fullscreen-left'
  /** The machine left a held motion's send or check unanswered too long (see LINK_STALE_MS). */
  | 'link-stale'
  /** Something else stopped it while this page held it: another client's StopAll, the machine. */
  | 'stopped-elsewhere';

/**
 * Why a control holds: a `press` is the operator starting anew (key down, pointer down); a `change`
 * is the same hold moving on (one of two keys let go, the joystick dragged). After a stop this page
 * did not ask for (STOP, another operator's StopAll, a dropped connection), a held control stays
 * stopped through changes and runs again only on a press.
 */
export type HoldCause = 'press' | 'change';

/** What a discrete command needs of a guard: to be tracked, so dead-man triggers stop it. */
export interface MotionTracker {
  track<T>(command: () => Promise<T>): Promise<T>;
}

export interface MotionGuardOptions<M> {
  /** Sends one motion command (re-sent at `rateHz` while held, unless `confirm` is given). */
  readonly send: (motion: M) => Promise<unknown>;
  /** Stops the resource. */
  readonly stop: () => Promise<unknown>;
  /** Re-send rate while a control is held; about 10 Hz, so a machine-side timeout could hold. */
  readonly rateHz?: number;
  /**
   * Whether the resource still moves as this page last told it. With it, a held motion is sent
   * once per change and never re-sent: each tick asks this instead, and when the answer is no
   * (another operator's StopAll, the machine's session stop) the hold ends and the operator has to
   * press again. A blind re-send would undo another operator's STOP within one tick.
   */
  readonly confirm?: (motion: M) => Promise<boolean>;
}

/**
 * A held motion's send or check left unanswered this long, with nothing else heard from the machine
 * meanwhile, stops it: the link is too poor to drive by (a flapping or badly lossy link, whose
 * retransmissions could hold a release's Stop back for seconds). Well above a slow link's round trip
 * (150 ± 50 ms each way answers in about 0.3 s) and a lossy link's usual retransmission.
 */
export const LINK_STALE_MS = 1000;

/** A motion that waited for a machine-session start and was not sent: a stop came meanwhile. */
class MotionWithdrawn extends Error {
  constructor() {
    super('Stopped before it was sent (the machine session was starting)');
  }
}

/**
 * The dead-man for one resource. A control *holds* a motion while the operator keeps it pressed; the
 * motion is re-sent at a fixed rate (or sent once per change and checked at that rate, see
 * `confirm`), and stops at once when the operator lets go, the window loses focus, the tab hides,
 * the connection drops, the card leaves the page or the global stop fires. A control still down
 * after such a stop stays stopped until it is pressed again (see HoldCause).
 * Discrete commands (go-for, move-to) are *tracked* and stopped by the same triggers.
 *
 * Ordering: a stop goes out immediately, and again after any motion command still in flight settles,
 * so a late reply can never leave the resource moving. A motion the SDK would hold back behind a
 * machine-session start (which Stop would overtake) waits for that start here and is not sent if a
 * stop came meanwhile. Nothing is sent while disconnected, and nothing held before a disconnect is
 * replayed after it: the operator has to act again.
 */
export class MotionGuard<M> implements ReactiveController, MotionTracker {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: MotionGuardOptions<M>;
  readonly #connection: ContextConsumer<typeof connectionContext, ReactiveControllerHost & HTMLElement>;
  readonly #client: ContextConsumer<typeof robotClientContext, ReactiveControllerHost & HTMLElement>;
  /** Held motion by control id (keyboard, pad, joystick…): the newest hold wins. */
  readonly #holds = new Map<string, M>();
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Motion commands not yet settled, whatever hold sent them (and tracked commands). */
  #inFlight = 0;
  /**
   * Held-motion sends of the current hold not yet settled: what a re-send coalesces behind. A send
   * of an earlier hold (its reply held back by a lossy link) never holds a new press's send back:
   * the channel is ordered, so that send, the stop after it and the new one reach the machine in turn.
   */
  #holdInFlight = 0;
  /** Bumped by every end of the holds, so a send's settling is counted against its own hold only. */
  #holdEpoch = 0;
  /** Set when a stop is due once in-flight motion settles. */
  #stopAfterSettle = false;
  /** True from the first motion command until a stop. */
  #active = false;
  #unsubscribeStop: (() => void) | undefined;
  #wasConnected = false;
  /** With `confirm`: the held motion last handed to `send`, and whether its send succeeded. */
  #sent: { motion: M; ok: boolean } | undefined;
  /** Bumped by every hold change and stop, so a late `confirm` answer about older motion is ignored. */
  #holdSeq = 0;
  /**
   * The check in flight, if any. A stop forgets it: an answer that never comes (a call lost with the
   * link) must not keep the holds after a reconnect from being checked.
   */
  #confirming: object | undefined;
  /** Controls still down when something stopped them: their changes are ignored until a press. */
  readonly #latched = new Set<string>();
  /** The held motion's sends and checks not yet answered, with when each left (performance.now). */
  readonly #unanswered = new Map<object, number>();
  /** When the machine last answered one of them, however late (performance.now). */
  #answeredAt = 0;

  /** While set, nothing may move: see block(). */
  #blocked: StopReason | undefined;

  /** The last stop, for display. */
  lastStop: { reason: StopReason; at: number } | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: MotionGuardOptions<M>) {
    this.#host = host;
    this.#options = options;
    this.#connection = new ContextConsumer(host, {
      context: connectionContext,
      subscribe: true,
      callback: (state) => {
        const connected = state.phase === 'connected';
        if (this.#wasConnected && !connected) {
          const driving = this.#holds.size > 0 || this.#active || this.#inFlight > 0;
          this.#dropEverything();
          // A missed check: the link may be gone or only slow. Where the client is still there, a
          // Stop on it reaches a machine that is there (late, if the link is slow); one that is
          // not is stopped by its session. Only a page that was driving sends it.
          if (driving && this.#client.value !== undefined) this.#sendStop();
        }
        this.#wasConnected = connected;
      },
    });
    // A new client (reconnect) must never inherit motion: drop holds when the client changes.
    this.#client = new ContextConsumer(host, {
      context: robotClientContext,
      subscribe: true,
      callback: () => this.#dropEverything(),
    });
    host.addController(this);
  }

  get connected(): boolean {
    return this.#connection.value?.phase === 'connected' && this.#client.value !== undefined;
  }

  /**
   * Connected, and not while the connection's first machine session starts (see motionReady): a hold
   * or a tracked command waits for it. (A renewal holds nothing back.)
   */
  get ready(): boolean {
    return this.connected && motionReady(this.#connection.value);
  }

  /** True while any control holds a motion. */
  get holding(): boolean {
    return this.#holds.size > 0;
  }

  /** True while the resource may be moving because of this page. */
  get active(): boolean {
    return this.#active || this.#holds.size > 0;
  }

  hostConnected(): void {
    window.addEventListener('blur', this.#onBlur);
    window.addEventListener(STOP_DRIVING_EVENT, this.#onStopDriving);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#unsubscribeStop = onStopAll(() => {
      // StopAll goes to the machine separately; here only local loops end. A motion command this
      // page already sent may still take effect after StopAll (it was in flight, or the SDK's
      // session interceptor held it back): once it settles, this resource is stopped once more.
      this.#endHolds();
      if (this.#inFlight > 0 && this.connected) this.#stopAfterSettle = true;
      this.lastStop = { reason: 'stop-all', at: Date.now() };
      this.#host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    window.removeEventListener('blur', this.#onBlur);
    window.removeEventListener(STOP_DRIVING_EVENT, this.#onStopDriving);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#unsubscribeStop?.();
    this.#unsubscribeStop = undefined;
    this.stopNow('left-page');
  }

  /**
   * A control starts (`press`) or changes (`change`) holding `motion`. Sends at once, then re-sends
   * at the fixed rate, or (with `confirm`) checks at that rate.
   */
  hold(control: string, motion: M, cause: HoldCause): void {
    if (!this.connected) return;
    if (this.#blocked !== undefined || !this.ready) {
      // Refused, and latched: held on through the unblock (or the session start), it still needs a
      // new press.
      this.#latched.add(control);
      return;
    }
    if (cause === 'change' && this.#latched.has(control)) return;
    this.#latched.delete(control);
    this.#holds.set(control, motion);
    this.#active = true;
    this.#holdSeq += 1;
    this.#sendLatest();
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), 1000 / (this.#options.rateHz ?? 10));
    }
    this.#host.requestUpdate();
  }

  /** A control lets go. When nothing holds any more, the resource stops. */
  release(control: string, reason: StopReason = 'release'): void {
    this.#latched.delete(control);
    if (!this.#holds.delete(control)) return;
    this.#holdSeq += 1;
    if (this.#holds.size > 0) {
      this.#sendLatest();
      return;
    }
    this.stopNow(reason);
  }

  /**
   * A control lets go without stopping: the last command sent (a bounded step, such as one jog)
   * finishes, nothing more is sent, and every dead-man trigger still stops it.
   */
  finish(control: string): void {
    this.#latched.delete(control);
    if (!this.#holds.delete(control) || this.#holds.size > 0) return;
    this.#holdSeq += 1;
    this.#clearTimer();
  }

  /**
   * Runs a discrete motion command (go-for, move-to…): tracked, so dead-man triggers stop it too.
   * Resolves with the command's result.
   */
  async track<T>(command: () => Promise<T>): Promise<T> {
    if (!this.connected) throw new Error('Not connected');
    if (this.#blocked === 'video-stale')
      throw new Error('Video stale: driving is locked until frames are fresh');
    if (this.#blocked !== undefined) throw new Error(`Driving is locked (${this.#blocked})`);
    if (!this.ready) throw new Error('The machine session is starting: try again in a moment');
    this.#active = true;
    this.#inFlight += 1;
    const epoch = this.#holdEpoch;
    try {
      const starting = sessionStartPending(this.#client.value);
      if (starting !== undefined) {
        await starting;
        if (epoch !== this.#holdEpoch) throw new MotionWithdrawn();
      }
      return await command();
    } finally {
      this.#settled();
    }
  }

  /**
   * Stops now, whatever holds: every held control is dropped. With `send: false` the caller sends
   * the stop itself (a stop button that shows its own result); the stop after in-flight motion
   * settles still goes out from here.
   */
  stopNow(reason: StopReason, options: { send?: boolean } = {}): void {
    const wasActive = this.active || this.#inFlight > 0;
    this.#endHolds();
    if (!wasActive) return;
    this.lastStop = { reason, at: Date.now() };
    if (this.connected) {
      if (options.send !== false) this.#sendStop();
      if (this.#inFlight > 0) this.#stopAfterSettle = true;
    }
    this.#host.requestUpdate();
  }

  /**
   * Blocks motion (`reason`) or lifts the block (undefined). Blocking stops what this page was
   * driving (and sends nothing if it was not); while blocked every hold is refused; after the block
   * is lifted, a control held through it runs only on a new press.
   */
  block(reason: StopReason | undefined): void {
    if (reason === this.#blocked) return;
    this.#blocked = reason;
    if (reason !== undefined) this.stopNow(reason);
    this.#host.requestUpdate();
  }

  get blocked(): StopReason | undefined {
    return this.#blocked;
  }

  /** A tick while holding: re-send, or (with `confirm`) send what changed, else check. */
  #tick(): void {
    if (this.#linkStale()) {
      this.stopNow('link-stale');
      return;
    }
    const latest = [...this.#holds.values()].at(-1);
    if (!this.#options.confirm || latest === undefined || this.#sent?.motion !== latest) this.#sendLatest();
    else this.#check();
  }

  #sendLatest(): void {
    if (!this.connected) {
      this.#dropEverything();
      return;
    }
    const motion = [...this.#holds.values()].at(-1);
    if (motion === undefined) return;
    // Coalesce: while one send of this hold is in flight, the next tick sends the newest motion instead.
    if (this.#holdInFlight > 0) return;
    this.#inFlight += 1;
    this.#holdInFlight += 1;
    const epoch = this.#holdEpoch;
    const sent = { motion, ok: false };
    this.#sent = sent;
    const settle = (ok: boolean) => {
      sent.ok = ok;
      if (epoch === this.#holdEpoch) this.#holdInFlight -= 1;
      this.#settled();
    };
    // A motion the SDK would hold back behind a session start waits here instead, and is dropped
    // if the hold ends meanwhile: handed to the SDK, it would reach the machine after the release's
    // Stop (which the SDK does not hold back) and move the resource after its release.
    const starting = sessionStartPending(this.#client.value);
    const call =
      starting === undefined
        ? this.#options.send(motion)
        : starting.then(() => {
            if (epoch !== this.#holdEpoch || !this.connected) throw new MotionWithdrawn();
            return this.#options.send(motion);
          });
    this.#awaitAnswer(call).then(
      () => settle(true),
      (error: unknown) => {
        // The machine let this page's session lapse while the link stayed up: the console starts a
        // new one (see SessionLapsedEvent), and the motion still held goes out again on the next
        // tick. Any other failure is shown, and the hold waits for the operator.
        if (this.#sent === sent && classifyRpcError(error).kind === 'session-expired') this.#sent = undefined;
        settle(false);
      },
    );
  }

  /** Asks whether the held motion still stands; ends the hold when something else stopped it. */
  #check(): void {
    const confirm = this.#options.confirm;
    const sent = this.#sent;
    // Only about a motion that reached the machine and has no command behind it still in flight.
    if (!confirm || this.#confirming !== undefined || this.#holdInFlight > 0 || !sent?.ok || !this.connected)
      return;
    const seq = this.#holdSeq;
    const token = {};
    this.#confirming = token;
    this.#awaitAnswer(confirm(sent.motion)).then(
      (still) => {
        if (this.#confirming === token) this.#confirming = undefined;
        if (still || seq !== this.#holdSeq || this.#holds.size === 0 || this.#holdInFlight > 0) return;
        this.#endHolds();
        this.lastStop = { reason: 'stopped-elsewhere', at: Date.now() };
        this.#host.requestUpdate();
      },
      () => {
        // Unknown is not stopped: the dead-man triggers and the session still cover this page.
        if (this.#confirming === token) this.#confirming = undefined;
      },
    );
  }

  /** Counts `call` as unanswered until it settles (either way: an error is an answer too). */
  #awaitAnswer<T>(call: Promise<T>): Promise<T> {
    const token = {};
    this.#unanswered.set(token, performance.now());
    const answered = () => {
      this.#unanswered.delete(token);
      this.#answeredAt = performance.now();
    };
    call.then(answered, answered);
    return call;
  }

  /** True when the oldest unanswered send or check has waited LINK_STALE_MS with nothing heard. */
  #linkStale(): boolean {
    const [oldest] = this.#unanswered.values();
    if (oldest === undefined) return false;
    return performance.now() - Math.max(oldest, this.#answeredAt) > LINK_STALE_MS;
  }

  #settled(): void {
    this.#inFlight -= 1;
    if (this.#inFlight === 0 && this.#stopAfterSettle && this.#holds.size === 0) {
      this.#stopAfterSettle = false;
      // The reply of a motion sent before the stop may have arrived after it: stop once more.
      if (this.connected) this.#sendStop();
    }
  }

  #sendStop(): void {
    this.#options.stop().catch(() => {
      // The stop's failure is shown by the command log; the session safety net stays armed.
    });
  }

  #dropEverything(): void {
    if (this.#holds.size === 0 && !this.#active) return;
    this.#endHolds();
    this.#stopAfterSettle = false;
    this.lastStop = { reason: 'disconnected', at: Date.now() };
    this.#host.requestUpdate();
  }

  /**
   * Ends every hold. Controls still down are latched (a release has already left the map), and what
   * was last sent is forgotten: a new press of the very same motion is sent, never taken for a
   * check of the motion this stop ended.
   */
  #endHolds(): void {
    for (const control of this.#holds.keys()) this.#latched.add(control);
    this.#holds.clear();
    this.#sent = undefined;
    this.#confirming = undefined;
    // What this hold waits for no longer matters to the next one: a call lost with the link must
    // not count against a press made after the stop.
    this.#unanswered.clear();
    this.#holdEpoch += 1;
    this.#holdInFlight = 0;
    this.#clearTimer();
    this.#active = false;
    this.#holdSeq += 1;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  readonly #onBlur = (): void => this.stopNow('blur');

  readonly #onStopDriving = (): void => this.stopNow('fullscreen-left');

  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'hidden') this.stopNow('hidden');
  };
}
