import { ContextConsumer } from '@lit/context';
import type { RobotClient } from '@viamrobotics/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { connectionContext, robotClientContext } from '../contexts.ts';
import { nextPoll, PhaseSpreader } from '../lib/poll-schedule.ts';
import { classifyRpcError, type RpcErrorKind } from '../lib/rpc-error.ts';
import { errorMessage } from '../lib/summarize.ts';
import { firstTurn } from './video-first.ts';

export interface PollOptions<T> {
  /** The resource polled: at most one poll per key is in flight across the whole page. */
  readonly key: () => string;
  /**
   * Milliseconds from the start of one poll to the start of the next (never overlapping, and at least
   * a quarter of this after the previous answer); null = only on refresh().
   */
  readonly intervalMs: () => number | null;
  readonly task: (client: RobotClient, signal: AbortSignal) => Promise<T>;
  /**
   * Poll even while the host is off screen (the machine status, which the page needs at once and
   * which also feeds the cards' health). Default false: off-screen cards do not poll, and their
   * first poll on a connection waits its turn behind the camera's stream and the status (see
   * video-first.ts).
   */
  readonly offScreen?: boolean;
}

/** Polls in flight, by resource key, page-wide. */
const inFlight = new Set<string>();

/** The phases of the page's poll loops (see PhaseSpreader). */
const phases = new PhaseSpreader();

/**
 * Polls the machine answered Unimplemented, by connection and key: terminal for that connection, so a
 * card made anew (shown again, say) does not ask again either.
 */
const unsupportedPolls = new WeakMap<object, Map<string, string>>();

/**
 * A call for a resource answered NotFound: it was probably just removed. Bubbles out of the card so
 * the dashboard refetches the resource list at once, rather than at its next scheduled look.
 */
export class ResourceGoneEvent extends Event {
  static readonly type = 'resource-gone';
  constructor(readonly key: string) {
    super(ResourceGoneEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * A call answered SESSION_EXPIRED: the machine let this page's session lapse (its heartbeats were
 * held back by a poor link, say) while the connection stayed up. Bubbles out of the card so the
 * console starts a new session at once, rather than at its next periodic check: until then every
 * motion call fails.
 */
export class SessionLapsedEvent extends Event {
  static readonly type = 'session-lapsed';
  constructor() {
    super(SessionLapsedEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * One 1 s clock for every poller's age text, rather than a timer per card (a 300-resource machine
 * would otherwise run 300 timers).
 */
const ageListeners = new Set<() => void>();
let ageClock: ReturnType<typeof setInterval> | undefined;

function onAgeTick(listener: () => void): () => void {
  ageListeners.add(listener);
  ageClock ??= setInterval(() => {
    if (document.visibilityState === 'visible') for (const l of ageListeners) l();
  }, 1000);
  return () => {
    ageListeners.delete(listener);
    if (ageListeners.size === 0 && ageClock !== undefined) {
      clearInterval(ageClock);
      ageClock = undefined;
    }
  };
}

/**
 * A polled card answered for the first time (a value, an error, or "unsupported"): it now shows
 * something definite. Its frame records when, for the benchmark.
 */
export class PollDataEvent extends Event {
  static readonly type = 'poll-data';
  constructor() {
    super(PollDataEvent.type, { bubbles: true, composed: true });
  }
}

/** After this many failures in a row the interval doubles per failure, up to MAX_BACKOFF_MS. */
const MAX_BACKOFF_MS = 30_000;

/**
 * The one polling loop every card uses. A poll never overlaps itself or another poll of the same
 * resource; it runs only while the tab is visible, the host is on screen and the machine is
 * connected; it backs off on repeated errors; and it remembers when its value arrived, so the UI can
 * show the value's age and mark it stale.
 */
export class PollController<T> implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: PollOptions<T>;
  readonly #client: ContextConsumer<typeof robotClientContext, ReactiveControllerHost & HTMLElement>;
  readonly #connection: ContextConsumer<typeof connectionContext, ReactiveControllerHost & HTMLElement>;
  #observer: IntersectionObserver | undefined;
  #onScreen = false;
  #attached = false;
  /** The next tick, when one is scheduled. */
  #timer: { cancel: () => void } | undefined;
  /** When the scheduled tick is due on the loop's rate (performance.now() ms); unset: at once. */
  #dueAt: number | undefined;
  #stopTicking: (() => void) | undefined;
  #abort: AbortController | undefined;
  #running = false;
  /** The client the poll in flight was sent on. */
  #runningClient: RobotClient | undefined;
  /** The client the current value came from; a new client (reconnect) restarts the loop. */
  #valueClient: RobotClient | undefined;

  /** The latest value, kept through errors and disconnects (it turns stale instead). */
  value: T | undefined;
  /** Epoch ms when `value` arrived. */
  updatedAt: number | undefined;
  /** The last poll's error message, cleared by the next success. */
  error: string | undefined;
  /** What kind of failure `error` is (see rpc-error.ts). */
  errorKind: RpcErrorKind | undefined;
  /** Failures in a row. */
  errorCount = 0;
  /** Whether the first answer was announced (PollDataEvent). */
  #announced = false;

  constructor(host: ReactiveControllerHost & HTMLElement, options: PollOptions<T>) {
    this.#host = host;
    this.#options = options;
    this.#client = new ContextConsumer(host, {
      context: robotClientContext,
      subscribe: true,
      callback: () => this.#reconsider(),
    });
    this.#connection = new ContextConsumer(host, {
      context: connectionContext,
      subscribe: true,
      callback: () => this.#reconsider(),
    });
    host.addController(this);
  }

  /** True while a poll of this controller is in flight. */
  get pending(): boolean {
    return this.#running;
  }

  get connected(): boolean {
    return this.#connection.value?.phase === 'connected' && this.#client.value !== undefined;
  }

  /**
   * The machine's words when it answered this poll Unimplemented on the current connection (the
   * model does not implement what the poll reads): the loop has stopped for this connection.
   */
  get unsupported(): string | undefined {
    const client = this.#client.value;
    return client === undefined ? undefined : unsupportedPolls.get(client)?.get(this.#options.key());
  }

  /** Why the loop is not polling right now, or undefined if it is. */
  get pausedReason(): 'hidden' | 'off-screen' | 'disconnected' | 'off' | 'unsupported' | undefined {
    if (!this.connected) return 'disconnected';
    if (this.unsupported !== undefined) return 'unsupported';
    if (document.visibilityState === 'hidden') return 'hidden';
    if (!this.#onScreen && this.#options.offScreen !== true) return 'off-screen';
    if (this.#options.intervalMs() === null) return 'off';
    return undefined;
  }

  /** Age of the value in ms, or undefined without one. */
  get ageMs(): number | undefined {
    return this.updatedAt === undefined ? undefined : Math.max(0, Date.now() - this.updatedAt);
  }

  /** Older than twice its interval, or the machine is not connected. */
  get stale(): boolean {
    if (this.updatedAt === undefined) return false;
    if (!this.connected) return true;
    const interval = this.#options.intervalMs();
    return interval !== null && Date.now() - this.updatedAt > 2 * Math.max(interval, 500);
  }

  hostConnected(): void {
    this.#attached = true;
    // Tells the card's frame that "showing data" means this poll's first answer, not a first render.
    this.#host.toggleAttribute('data-polls', true);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#observer = new IntersectionObserver(
      (entries) => {
        const entry = entries.at(-1);
        if (!entry) return;
        this.#onScreen = entry.isIntersecting;
        this.#reconsider();
      },
      { rootMargin: '200px' },
    );
    this.#observer.observe(this.#host);
    this.#stopTicking = onAgeTick(() => {
      // An off-screen card's age text is not seen: it is brought up to date when it comes back.
      if (this.updatedAt !== undefined && (this.#onScreen || this.#options.offScreen === true))
        this.#host.requestUpdate();
    });
    // The context may already hold a client: poll right away, before the host's first render sends
    // its own requests, rather than at the first observer report.
    if (this.#timer === undefined && !this.#running) void this.#tick(false);
  }

  hostDisconnected(): void {
    this.#attached = false;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#stopTicking?.();
    this.#stopTicking = undefined;
    this.#clearTimer();
    this.#abort?.abort();
  }

  /** Poll once now (unless hidden or disconnected), e.g. after a command or on a manual refresh. */
  refresh(): void {
    this.#clearTimer();
    this.#schedule(0, true);
  }

  /** Re-evaluates after the interval setting changed. */
  intervalChanged(): void {
    this.#clearTimer();
    this.#schedule(0);
  }

  readonly #onVisibility = (): void => {
    this.#reconsider();
    this.#host.requestUpdate();
  };

  #reconsider(): void {
    if (!this.#attached) return;
    if (this.#running && this.#runningClient !== this.#client.value) {
      // The connection it was sent on is gone. On a machine that died without a goodbye that call may
      // never settle, and waiting for it would keep this loop from ever polling the new connection.
      this.#abort?.abort();
    }
    if (this.#client.value !== this.#valueClient && this.#client.value !== undefined) {
      // A new connection: forget the backoff of the old one and poll at once.
      this.errorCount = 0;
    }
    if (this.#timer === undefined && !this.#running) this.#schedule(0);
    this.#host.requestUpdate();
  }

  #clearTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#dueAt = undefined;
  }

  #schedule(delayMs: number, manual = false, dueAt?: number): void {
    if (!this.#attached || this.#timer !== undefined) return;
    this.#dueAt = dueAt;
    let cancelled = false;
    const run = () => {
      if (cancelled) return;
      this.#timer = undefined;
      void this.#tick(manual);
    };
    if (delayMs <= 0) {
      // "Now" means before the next render or task: the first status then goes out with the
      // dashboard's first requests, not after them.
      queueMicrotask(run);
      this.#timer = { cancel: () => (cancelled = true) };
    } else {
      // A timer per poll, not one shared wheel: polls due together sent in one task came back and
      // rendered together, and measured worse on the bench's 100 sensors (longest task while
      // polling 139 vs 55 ms, main thread 87 vs 73 % busy, quiet machine, same run).
      const timer = setTimeout(run, delayMs);
      this.#timer = {
        cancel: () => {
          cancelled = true;
          clearTimeout(timer);
        },
      };
    }
  }

  async #tick(manual: boolean): Promise<void> {
    // A poll that was not due on the loop's schedule (the first, a refresh, one after an error) starts
    // the loop afresh: its next poll takes a phase of its own (see PhaseSpreader).
    const fresh = this.#dueAt === undefined;
    const dueAt = this.#dueAt ?? performance.now();
    this.#dueAt = undefined;
    const paused = this.pausedReason;
    // Paused loops are restarted by #reconsider when what paused them changes. An explicit refresh
    // (after a command, or the refresh button) runs even when off or scrolled away.
    if (paused !== undefined && !(manual && (paused === 'off' || paused === 'off-screen'))) return;
    if (this.#running) return;
    const client = this.#client.value;
    if (!client) return;
    const key = this.#options.key();
    if (inFlight.has(key)) {
      this.#schedule(50);
      return;
    }
    inFlight.add(key);
    this.#running = true;
    this.#runningClient = client;
    const abort = new AbortController();
    this.#abort = abort;
    try {
      if (this.#options.offScreen !== true) await untilAborted(firstTurn(client), abort.signal);
      const value = await untilAborted(this.#options.task(client, abort.signal), abort.signal);
      if (abort.signal.aborted || client !== this.#client.value) return;
      this.value = value;
      this.updatedAt = Date.now();
      this.#valueClient = client;
      this.error = undefined;
      this.errorKind = undefined;
      this.errorCount = 0;
    } catch (error: unknown) {
      if (abort.signal.aborted || client !== this.#client.value) return;
      const { kind } = classifyRpcError(error);
      if (kind === 'unimplemented') {
        // Not an error to show or retry: what this poll reads does not exist on this model.
        const polls = unsupportedPolls.get(client) ?? new Map<string, string>();
        unsupportedPolls.set(client, polls);
        polls.set(key, errorMessage(error));
        this.error = undefined;
        this.errorKind = undefined;
        this.#announce();
        return;
      }
      this.error = errorMessage(error);
      this.errorKind = kind;
      this.errorCount += 1;
      if (kind === 'not-found') this.#host.dispatchEvent(new ResourceGoneEvent(key));
      if (kind === 'session-expired') this.#host.dispatchEvent(new SessionLapsedEvent());
    } finally {
      inFlight.delete(key);
      this.#running = false;
      this.#runningClient = undefined;
      if (this.#abort === abort) this.#abort = undefined;
      // Rendered in the task the answer came in: batching every card's answer into one
      // animation-frame pass measured worse on the bench's 100 sensors (0.75 vs 1.66 Hz each, 76 % vs
      // 15 % of the main thread in long tasks): each pass became a long task of its own.
      this.#host.requestUpdate();
      // Dropped with its connection: start over on the current one (a no-op once detached).
      if (abort.signal.aborted) this.#schedule(0);
    }
    this.#announce();
    const interval = this.#options.intervalMs();
    if (interval === null) return;
    if (this.errorCount > 1) {
      this.#schedule(Math.min(MAX_BACKOFF_MS, interval * 2 ** (this.errorCount - 1)));
      return;
    }
    // Start to start on the operator's rate, from when this poll was due (see poll-schedule.ts).
    const next = nextPoll(dueAt + (fresh ? phases.take(interval) : 0), performance.now(), interval);
    this.#schedule(next.delayMs, false, next.dueAt);
  }

  #announce(): void {
    if (this.#announced) return;
    this.#announced = true;
    this.#host.dispatchEvent(new PollDataEvent());
  }
}

/** The promise, or a rejection as soon as the signal aborts (whichever comes first). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('poll abandoned'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

declare global {
  interface HTMLElementEventMap {
    'resource-gone': ResourceGoneEvent;
    'session-lapsed': SessionLapsedEvent;
  }
}
