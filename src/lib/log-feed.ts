/**
 * The life of a logs panel's data, without a DOM: one live tail at a time, the first page of
 * history, older pages on demand, the gap after a drop filled from history, a flood cut to a rate,
 * backoff while the cloud fails, and a calm stop where retrying cannot help. The panel only renders
 * what this holds and tells it what the operator does (follow, scroll up, filter, close, hide).
 */
import { backoffDelay } from './backoff.ts';
import { classifyCloudError, type CloudCredentialKind, type CloudProblem } from './cloud.ts';
import {
  DEFAULT_LIMITS,
  FilteredView,
  FLOOD_RATE_PER_S,
  LogStore,
  NO_FILTER,
  RateGate,
  compileFilter,
  normalizeEntry,
  type FilterError,
  type LogEntryView,
  type LogFilter,
  type RawLogEntry,
  type StoreChange,
  type StoreLimits,
} from './logs.ts';

export interface HistoryQuery {
  /** '' for the newest page. */
  readonly pageToken: string;
  /** Lines older than this (epoch ms) are wanted; a source that can ask the server for that does. */
  readonly before?: number;
  /** Lines wanted in the page (the cloud may give fewer); absent: the cloud's default. */
  readonly limit?: number;
}

export interface LogPage {
  /** Newest first, as GetRobotPartLogs pages them. */
  readonly entries: readonly RawLogEntry[];
  /** '' when there is nothing older. */
  readonly nextPageToken: string;
}

/** Where a logs panel gets its lines: Viam's cloud in the apps, a stand-in in unit tests. */
export interface LogSource {
  /** Which credential reads the logs (for the words of a refusal). */
  readonly credential: CloudCredentialKind;
  /** Strings that must never be shown: the key or token in use. */
  secrets(): readonly string[];
  /** One page of history. Rejects on failure, or when `signal` aborts. */
  history(query: HistoryQuery, signal: AbortSignal): Promise<LogPage>;
  /**
   * Streams new lines to `onBatch` until `signal` aborts (then resolves), the server ends the
   * stream (resolves) or it fails (rejects).
   */
  tail(onBatch: (entries: readonly RawLogEntry[]) => void, signal: AbortSignal): Promise<void>;
  /** Forget any client made so far, so the next call starts with a fresh credential. */
  renew?(): void;
}

/**
 * - idle: not started; connecting: opening the tail and reading history; live: tailing
 * - retrying: the cloud failed, waiting out a backoff; blocked: retrying cannot help (no access)
 * - paused: the tab is hidden (no stream open); stopped: the panel closed
 */
export type FeedPhase = 'idle' | 'connecting' | 'live' | 'retrying' | 'blocked' | 'paused' | 'stopped';

export interface FeedStatus {
  readonly phase: FeedPhase;
  /** Epoch ms the current phase began. */
  readonly since: number;
  readonly problem?: CloudProblem;
  readonly nextRetryAt?: number;
  /** Failed attempts in a row. */
  readonly attempt: number;
  /** Older history: 'end' when there is none left. */
  readonly older: 'idle' | 'loading' | 'end' | 'error';
  readonly olderProblem?: CloudProblem;
  /** Newer lines were let go while the operator read older ones: "jump to latest" reloads. */
  readonly newerMissing: boolean;
  readonly following: boolean;
  /** New lines since the operator stopped following. */
  readonly newLines: number;
  /** Tail lines dropped because they came faster than the flood rate. */
  readonly dropped: number;
  readonly droppedErrors: number;
  readonly filterError?: FilterError;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface FeedOptions {
  readonly limits?: StoreLimits;
  readonly floodRate?: number;
  /** A history call slower than this counts as a failure ("the cloud is slow"). */
  readonly historyTimeoutMs?: number;
  /** After a drop, at most this many pages are read to fill the gap; beyond, the window restarts. */
  readonly maxGapPages?: number;
  /** Pages skipped at most while looking for lines older than the window. */
  readonly maxSkipPages?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Tail lines are taken in together at most this often. */
  readonly flushMs?: number;
  readonly clock?: Clock;
}

/**
 * Older history is asked for in pages of this many lines: scrolling back through thousands of lines
 * takes a few round trips, not dozens (the first page stays the cloud's default size, for a quick
 * first screen).
 */
const OLDER_PAGE_LINES = 500;
/** Entries kept from one page at most, whatever a cloud sends. */
const MAX_PAGE_ENTRIES = 2000;

class CloudTimeout extends Error {
  constructor(ms: number) {
    super(`no answer from the cloud in ${ms / 1000} s`);
  }
}

class StreamEnded extends Error {
  constructor() {
    super('the cloud ended the log stream');
  }
}

type Listener = () => void;

export class LogFeed {
  readonly store: LogStore;
  readonly view = new FilteredView();
  readonly #source: LogSource;
  readonly #clock: Clock;
  readonly #gate: RateGate;
  readonly #historyTimeoutMs: number;
  readonly #maxGapPages: number;
  readonly #maxSkipPages: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #flushMs: number;
  readonly #listeners = new Set<Listener>();

  #status: FeedStatus;
  #filter: LogFilter = NO_FILTER;
  /** Bumped whenever the connection is dropped: late results of an old one are ignored. */
  #generation = 0;
  #abort: AbortController | undefined;
  #retryTimer: unknown;
  #flushTimer: unknown;
  #pending: RawLogEntry[] = [];
  #renewed = false;
  /**
   * The token of the page after the oldest history page read: the way on to older lines. Pages are
   * followed by token, never by time, so a cloud that pages by arrival (not time) loses nothing.
   */
  #olderToken: string | undefined;
  /** The oldest lines were let go (the window was full): older lines are found again by time. */
  #olderLost = false;
  #olderAbort: AbortController | undefined;

  constructor(source: LogSource, options: FeedOptions = {}) {
    this.#source = source;
    this.#clock = options.clock ?? realClock;
    this.store = new LogStore(options.limits ?? DEFAULT_LIMITS);
    this.#gate = new RateGate(options.floodRate ?? FLOOD_RATE_PER_S);
    this.#historyTimeoutMs = options.historyTimeoutMs ?? 10_000;
    this.#maxGapPages = options.maxGapPages ?? 10;
    this.#maxSkipPages = options.maxSkipPages ?? 20;
    this.#retryBaseMs = options.retryBaseMs ?? 1000;
    this.#retryMaxMs = options.retryMaxMs ?? 30_000;
    this.#flushMs = options.flushMs ?? 50;
    this.#status = {
      phase: 'idle',
      since: this.#clock.now(),
      attempt: 0,
      older: 'idle',
      newerMissing: false,
      following: true,
      newLines: 0,
      dropped: 0,
      droppedErrors: 0,
    };
  }

  get status(): FeedStatus {
    return this.#status;
  }

  get credential(): CloudCredentialKind {
    return this.#source.credential;
  }

  get filter(): LogFilter {
    return this.#filter;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens the tail and reads history. Does nothing while already open or waiting to retry. */
  start(): void {
    const phase = this.#status.phase;
    if (phase === 'idle' || phase === 'stopped' || phase === 'paused') void this.#open();
  }

  /** Ends the stream and every call; nothing is kept running. The lines stay for a later start(). */
  stop(): void {
    this.#close('stopped');
  }

  /** Ends the stream while the tab is hidden; resume() reopens it and fills the gap. */
  pause(): void {
    const phase = this.#status.phase;
    if (phase === 'connecting' || phase === 'live' || phase === 'retrying') this.#close('paused');
  }

  resume(): void {
    if (this.#status.phase === 'paused') void this.#open();
  }

  /** Retry now (the operator asked), skipping the rest of a backoff. */
  retryNow(): void {
    const phase = this.#status.phase;
    if (phase === 'retrying' || phase === 'blocked') {
      this.#renewed = false;
      void this.#open();
    }
  }

  /** The operator scrolled to the newest line (true) or away from it (false). */
  setFollowing(following: boolean): void {
    if (following === this.#status.following) return;
    this.#set({ following, ...(following ? { newLines: 0 } : {}) });
    if (following && this.#status.newerMissing) this.jumpToLatest();
  }

  /** Back to the newest lines; reloads them when they were let go while reading older ones. */
  jumpToLatest(): void {
    this.#set({ following: true, newLines: 0 });
    if (!this.#status.newerMissing) return;
    this.#olderAbort?.abort();
    this.store.clear();
    this.view.reset(this.store);
    this.#olderToken = undefined;
    this.#olderLost = false;
    this.#set({ newerMissing: false, older: 'idle', olderProblem: undefined });
    const phase = this.#status.phase;
    if (phase === 'live' || phase === 'connecting') {
      const generation = this.#generation;
      const signal = this.#abort?.signal;
      if (!signal) return;
      this.#catchUp(signal).catch((error: unknown) => this.#fail(generation, error));
    }
  }

  /** Applies a filter; an invalid regular expression leaves the previous one in force and says why. */
  setFilter(filter: LogFilter): FilterError | undefined {
    this.#filter = filter;
    const compiled = compileFilter(filter);
    if (!compiled.ok) {
      this.#set({ filterError: compiled.error });
      return compiled.error;
    }
    this.view.reset(this.store, compiled.match);
    this.#set({ filterError: undefined, newLines: 0 });
    return undefined;
  }

  /**
   * Loads the next older page of history: by the page token where the window's oldest page left
   * off, or, when the oldest lines were let go, by time (GetRobotPartLogs' `end`). Pages holding only
   * lines already held are skipped (up to maxSkipPages).
   */
  async loadOlder(): Promise<void> {
    const status = this.#status;
    if (status.older === 'loading' || status.older === 'end') return;
    if (status.phase === 'blocked' || status.phase === 'stopped') return;
    const controller = new AbortController();
    this.#olderAbort = controller;
    this.#set({ older: 'loading', olderProblem: undefined });
    const byTime = this.#olderLost || this.#olderToken === undefined;
    const before = byTime ? this.store.oldest?.time : undefined;
    try {
      let token = byTime ? '' : (this.#olderToken ?? '');
      let next = '';
      for (let i = 0; i < this.#maxSkipPages; i++) {
        const page = await this.#history(
          token === '' && before !== undefined
            ? { pageToken: '', before, limit: OLDER_PAGE_LINES }
            : { pageToken: token, limit: OLDER_PAGE_LINES },
          controller.signal,
        );
        if (controller.signal.aborted) return;
        next = page.nextPageToken;
        const added = this.#add(
          this.#normalize(chronological(page.entries)),
          'newest',
          this.store.oldest?.sortTime,
          true,
        );
        if (added.added.length > 0 || next === '') break;
        token = next;
      }
      this.#olderToken = next;
      this.#olderLost = false;
      this.#set({ older: next === '' ? 'end' : 'idle' });
    } catch (error: unknown) {
      if (controller.signal.aborted) return;
      this.#set({
        older: 'error',
        olderProblem: classifyCloudError(error, this.#source.secrets(), error instanceof CloudTimeout),
      });
    } finally {
      if (this.#olderAbort === controller) this.#olderAbort = undefined;
      if (this.#status.older === 'loading') this.#set({ older: 'idle' });
    }
  }

  // --- Connection -------------------------------------------------------------------------

  async #open(): Promise<void> {
    this.#drop();
    const generation = this.#generation;
    const controller = new AbortController();
    this.#abort = controller;
    this.#set({ phase: 'connecting', since: this.#clock.now(), nextRetryAt: undefined });
    let tail: Promise<void>;
    try {
      tail = this.#source.tail((entries) => {
        if (generation === this.#generation) this.#receive(entries);
      }, controller.signal);
    } catch (error: unknown) {
      tail = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    tail.then(
      () => {
        if (generation === this.#generation && !controller.signal.aborted)
          this.#fail(generation, new StreamEnded());
      },
      (error: unknown) => {
        if (generation === this.#generation && !controller.signal.aborted) this.#fail(generation, error);
      },
    );
    try {
      await this.#catchUp(controller.signal);
      if (generation !== this.#generation) return;
      this.#renewed = false;
      this.#set({ phase: 'live', since: this.#clock.now(), attempt: 0, problem: undefined });
    } catch (error: unknown) {
      if (generation === this.#generation && !controller.signal.aborted) this.#fail(generation, error);
    }
  }

  /**
   * Reads history down to the lines held: the first page when there are none, else the pages since
   * (the gap of a drop or a hidden tab), until a page holds a line the window has (by key, so a
   * cloud that pages by arrival rather than time is read right too). A gap wider than maxGapPages
   * restarts the window at the newest lines.
   */
  async #catchUp(signal: AbortSignal): Promise<void> {
    const hadLines = this.store.length > 0;
    const pages: { views: LogEntryView[]; next: string }[] = [];
    let token = '';
    let reached = !hadLines;
    for (let i = 0; i < (hadLines ? this.#maxGapPages : 1); i++) {
      const page = await this.#history({ pageToken: token }, signal);
      if (signal.aborted) return;
      const views = this.#normalize(chronological(page.entries));
      pages.push({ views, next: page.nextPageToken });
      if (hadLines && views.some((v) => this.store.has(v.key))) reached = true;
      if (reached || page.nextPageToken === '') {
        reached = true;
        break;
      }
      token = page.nextPageToken;
    }
    const last = pages[pages.length - 1];
    if (!reached) {
      // Too much happened while away: start the window again at the newest lines.
      this.store.clear();
      this.view.reset(this.store);
      this.#olderToken = undefined;
      this.#olderLost = false;
      this.#set({ newerMissing: false });
    }
    for (const page of pages.slice().reverse()) {
      this.#add(page.views, this.#status.following ? 'oldest' : 'newest');
    }
    if (last && this.#olderToken === undefined) {
      this.#olderToken = last.next;
      this.#set({ older: last.next === '' ? 'end' : 'idle' });
    }
  }

  #fail(generation: number, error: unknown): void {
    if (generation !== this.#generation) return;
    this.#drop();
    const problem = classifyCloudError(error, this.#source.secrets(), error instanceof CloudTimeout);
    if (problem.kind === 'unauthenticated' && !this.#renewed && this.#source.renew) {
      // A token the platform has since refreshed: one more try with a fresh client.
      this.#renewed = true;
      this.#source.renew();
      this.#retryTimer = this.#clock.setTimeout(() => void this.#open(), 0);
      this.#set({ phase: 'retrying', since: this.#clock.now(), problem, nextRetryAt: this.#clock.now() });
      return;
    }
    if (!problem.retry) {
      this.#set({ phase: 'blocked', since: this.#clock.now(), problem, nextRetryAt: undefined });
      return;
    }
    const attempt = this.#status.attempt + 1;
    const delay = backoffDelay(attempt - 1, this.#retryBaseMs, this.#retryMaxMs);
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#open();
    }, delay);
    this.#set({
      phase: 'retrying',
      since: this.#clock.now(),
      problem,
      attempt,
      nextRetryAt: this.#clock.now() + delay,
    });
  }

  #close(phase: 'stopped' | 'paused'): void {
    this.#drop();
    this.#olderAbort?.abort();
    this.#olderAbort = undefined;
    this.#flush();
    this.#set({
      phase,
      since: this.#clock.now(),
      nextRetryAt: undefined,
      ...(this.#status.older === 'loading' ? { older: 'idle' as const } : {}),
    });
  }

  /** Ends the open stream and calls, and any wait for a retry. */
  #drop(): void {
    this.#generation += 1;
    this.#abort?.abort();
    this.#abort = undefined;
    if (this.#retryTimer !== undefined) this.#clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /** A history call within the deadline: slower counts as a failure, and the call is abandoned. */
  async #history(query: HistoryQuery, signal: AbortSignal): Promise<LogPage> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const deadline = { passed: false };
    const timer = this.#clock.setTimeout(() => {
      deadline.passed = true;
      controller.abort();
    }, this.#historyTimeoutMs);
    try {
      return await this.#source.history(query, controller.signal);
    } catch (error: unknown) {
      if (deadline.passed) throw new CloudTimeout(this.#historyTimeoutMs);
      throw error;
    } finally {
      this.#clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  // --- Lines ------------------------------------------------------------------------------

  /** Tail lines are only queued here: one flush takes them in (and tells listeners) per flushMs. */
  #receive(entries: readonly RawLogEntry[]): void {
    const admitted = this.#gate.admit(entries, this.#clock.now());
    for (const entry of admitted) this.#pending.push(entry);
    const dropped = this.#gate.dropped !== this.#status.dropped;
    if ((this.#pending.length > 0 || dropped) && this.#flushTimer === undefined) {
      this.#flushTimer = this.#clock.setTimeout(() => {
        this.#flushTimer = undefined;
        this.#flush();
      }, this.#flushMs);
    }
  }

  #flush(): void {
    if (this.#flushTimer !== undefined) this.#clock.clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#gate.dropped !== this.#status.dropped) {
      this.#set({ dropped: this.#gate.dropped, droppedErrors: this.#gate.droppedErrors });
    }
    if (this.#pending.length === 0) return;
    const entries = this.#pending;
    this.#pending = [];
    this.#add(this.#normalize(entries), this.#status.following ? 'oldest' : 'newest');
  }

  #normalize(entries: readonly RawLogEntry[]): LogEntryView[] {
    const secrets = this.#source.secrets();
    return entries.map((e) => normalizeEntry(e, secrets));
  }

  #add(
    views: readonly LogEntryView[],
    evict: 'oldest' | 'newest',
    fallbackTime?: number,
    older = false,
  ): StoreChange {
    const change = this.store.add(views, evict, fallbackTime, older);
    const { appendedAtEnd } = this.view.apply(change, this.store);
    const fresh = views.length - change.duplicates;
    const freshLost = Math.max(0, fresh - change.added.length);
    const patch: { -readonly [K in keyof FeedStatus]?: FeedStatus[K] } = {};
    if (change.evictedNewest.length > 0) patch.newerMissing = true;
    if (change.evictedOldest.length > 0) {
      this.#olderLost = true;
      if (this.#status.older === 'end') patch.older = 'idle';
    }
    if (!this.#status.following && !older) {
      patch.newLines = this.#status.newLines + appendedAtEnd + freshLost;
    }
    this.#set(patch);
    return change;
  }

  #set(patch: { -readonly [K in keyof FeedStatus]?: FeedStatus[K] }): void {
    if (Object.keys(patch).length === 0) {
      this.#emit();
      return;
    }
    // Undefined in a patch clears the field.
    const merged: Record<string, unknown> = { ...this.#status, ...patch };
    const defined = Object.entries(merged).filter(([, value]) => value !== undefined);
    this.#status = Object.fromEntries(defined) as unknown as FeedStatus;
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** A page's entries oldest first, at most MAX_PAGE_ENTRIES of the newest. */
function chronological(entries: readonly RawLogEntry[]): RawLogEntry[] {
  const kept = entries.length > MAX_PAGE_ENTRIES ? entries.slice(0, MAX_PAGE_ENTRIES) : entries;
  return kept.slice().reverse();
}
