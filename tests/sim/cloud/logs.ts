/**
 * One machine's logs as the cloud keeps them: bounded (entries and bytes), newest first by arrival,
 * paged with opaque tokens, filtered by level, text and time, and tailed by server streams.
 *
 * The slow background of routine lines costs nothing while nobody looks: it is written out only
 * when the logs are read, tailed (a 1 s tick while a tail is open) or when something else is logged,
 * for the time the machine was online. Only floods and open tails run timers.
 */
import { Code, ConnectError } from '@connectrpc/connect';
import type { MachineLogLine } from '../machine/index.ts';
import { prng } from '../machine/math.ts';
import {
  backgroundLine,
  bootLines,
  entryOf,
  hostileEntry,
  stopLine,
  type MachineFacts,
} from './log-lines.ts';
import { RawLogEntry } from './log-proto.ts';

export const LOG_CAPACITY = 20_000;
export const LOG_MAX_BYTES = 24 * 1024 * 1024;
export const BACKGROUND_PERIOD_MS = 4_000;
export const PAGE_SIZE = 100;
const MAX_PAGE = 1_000;
/** gRPC's default largest message is 4 MiB: pages and tail batches stay well under it. */
const MAX_BATCH_BYTES = 3 * 1024 * 1024;
const TAIL_BATCH = 100;
/** lines a slow tail reader may fall behind before the oldest are dropped */
const TAIL_QUEUE = 5_000;
const TAIL_TICK_MS = 1_000;
const FLOOD_TICK_MS = 50;
export const MAX_FLOOD_RATE = 5_000;
export const MAX_INJECT = 200_000;
const ERRORISH = new Set(['error', 'dpanic', 'panic', 'fatal']);

interface Stored {
  seq: number;
  /** ms since the epoch; NaN for a hostile time */
  t: number;
  level: string;
  /** the message, lowercased, for text filters */
  text: string;
  bytes: number;
  entry: RawLogEntry;
}

export interface LogQuery {
  levels?: readonly string[];
  filter?: string | undefined;
  errorsOnly?: boolean;
  pageToken?: string | undefined;
  limit?: number;
  startMs?: number | undefined;
  endMs?: number | undefined;
}

export interface InjectSpec {
  count: number;
  level: 'debug' | 'info' | 'warn' | 'error' | 'mixed';
  hostile: boolean;
  message?: string;
  logger?: string;
  /** lines per second; absent = all at once */
  rate?: number;
}

export interface LogStoreOptions {
  host: string;
  facts: () => MachineFacts;
  /** machine keys, for the hostile line that leaks one */
  secrets: readonly string[];
  seed: number;
  now: () => number;
  /** is the machine running now (routine lines are written only while it is) */
  running: () => boolean;
}

const decoder = new TextDecoder();
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

function sizeOf(e: RawLogEntry): number {
  return e.message.length + e.loggerName.length + e.stack.length + e.fields.length * 96 + 160;
}

function timeOf(e: RawLogEntry): number {
  if (!e.time) return NaN;
  const ms = Number(e.time.seconds) * 1000 + e.time.nanos / 1e6;
  return Number.isFinite(ms) ? ms : NaN;
}

export function encodePageToken(seq: number): string {
  return Buffer.from(`v1:${seq}`, 'utf8').toString('base64url');
}

function decodePageToken(token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^v1:(\d{1,15})$/u.exec(text);
  if (!match?.[1]) throw new ConnectError('invalid page token', Code.InvalidArgument);
  return Number(match[1]);
}

export class LogStore {
  /** items[first..] are live, oldest first; seq of items[i] is firstSeq + (i - first) */
  private items: (Stored | undefined)[] = [];
  private first = 0;
  private firstSeq = 0;
  private bytes = 0;
  /** routine lines are written up to here */
  private cursor: number;
  private lines = 0;
  private readonly random: () => number;
  private readonly listeners = new Set<(items: Stored[]) => void>();
  private tick: NodeJS.Timeout | undefined;
  private flood:
    { timer: NodeJS.Timeout; left: number; spec: InjectSpec; started: number; sent: number } | undefined;
  openTails = 0;

  constructor(private readonly opts: LogStoreOptions) {
    this.random = prng(opts.seed);
    this.cursor = opts.now();
  }

  get size(): number {
    return this.items.length - this.first;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  // ---- writing ----

  /** viam-server started at `t`: its boot lines, and routine lines from then on. */
  started(t: number): void {
    const boot = bootLines(this.opts.facts());
    boot.forEach((line, i) => this.push(entryOf(this.opts.host, t - (boot.length - i) * 40, line)));
    this.cursor = t;
    this.flush();
  }

  /** The machine stops at `t` (its last routine lines first, then the line it leaves). */
  stopped(t: number, why: 'offline' | 'awaiting_setup' | 'down'): void {
    this.catchUp(t);
    this.push(entryOf(this.opts.host, t, stopLine(why)));
    this.flush();
  }

  /** Writes the routine lines due up to `until` (while running), then advances the cursor. */
  catchUp(until = this.opts.now()): void {
    if (!this.opts.running()) {
      this.cursor = Math.max(this.cursor, until);
      return;
    }
    this.routine(until);
  }

  /** A machine that ran from `boot` to `lastSeen` and has been gone since. */
  ranUntil(boot: number, lastSeen: number): void {
    this.started(boot);
    this.routine(lastSeen);
    this.push(entryOf(this.opts.host, lastSeen, stopLine('offline')));
    this.cursor = Math.max(lastSeen, this.opts.now());
    this.flush();
  }

  private routine(until: number): void {
    // Never more than the store keeps.
    this.cursor = Math.max(this.cursor, until - LOG_CAPACITY * BACKGROUND_PERIOD_MS);
    const facts = this.opts.facts();
    for (;;) {
      const next = this.cursor + BACKGROUND_PERIOD_MS * (0.5 + this.random());
      if (next > until) break;
      this.cursor = next;
      this.lines += 1;
      this.push(entryOf(this.opts.host, next, backgroundLine(facts, this.random, this.lines)));
    }
    this.flush();
  }

  /** A line the machine logs now. */
  add(line: MachineLogLine): void {
    const now = this.opts.now();
    this.catchUp(now);
    this.push(entryOf(this.opts.host, now, line));
    this.flush();
  }

  /** Test lines: at once, or at `rate` per second (a flood; one per machine, a new one replaces it). */
  inject(spec: InjectSpec): { injected: number; flooding: boolean } {
    this.stopFlood();
    if (spec.rate === undefined) {
      this.catchUp();
      this.writeInjected(spec, 0, spec.count);
      return { injected: spec.count, flooding: false };
    }
    const rate = spec.rate;
    const started = this.opts.now();
    const flood = {
      spec,
      left: spec.count,
      started,
      sent: 0,
      timer: setInterval(() => {
        const due = Math.min(
          flood.left,
          Math.floor(((this.opts.now() - started) / 1000) * rate) - flood.sent,
        );
        if (due > 0) {
          this.writeInjected(spec, flood.sent, due);
          flood.sent += due;
          flood.left -= due;
        }
        if (flood.left <= 0) this.stopFlood();
      }, FLOOD_TICK_MS),
    };
    flood.timer.unref();
    this.flood = flood;
    return { injected: 0, flooding: true };
  }

  stopFlood(): boolean {
    if (!this.flood) return false;
    clearInterval(this.flood.timer);
    this.flood = undefined;
    return true;
  }

  floodState(): { left: number; sent: number; rate: number | undefined } | null {
    return this.flood ? { left: this.flood.left, sent: this.flood.sent, rate: this.flood.spec.rate } : null;
  }

  /** Forgets every line so far (routine lines resume from now). */
  clear(): void {
    this.cursor = Math.max(this.cursor, this.opts.now());
    this.firstSeq += this.size;
    this.items = [];
    this.first = 0;
    this.bytes = 0;
  }

  /** Lines `from + 1` to `from + count` of an injection, numbered within it. */
  private writeInjected(spec: InjectSpec, from: number, count: number): void {
    const now = this.opts.now();
    for (let k = 0; k < count; k++) {
      const n = from + k + 1;
      if (spec.hostile) {
        this.push(hostileEntry(this.opts.host, now, n - 1, this.opts.secrets));
        continue;
      }
      const level = spec.level === 'mixed' ? (LEVELS[n % LEVELS.length] ?? 'info') : spec.level;
      this.push(
        entryOf(this.opts.host, now, {
          level,
          logger: spec.logger ?? 'rdk.sim.injected',
          message: `${spec.message ?? 'injected line'} #${n}`,
          fields: { n, of: spec.count },
          caller: { file: 'sim/control.go', line: 1, fn: 'sim.Inject' },
        }),
      );
    }
    this.flush();
  }

  private pending: Stored[] = [];

  private push(entry: RawLogEntry): void {
    const stored: Stored = {
      seq: this.firstSeq + this.size,
      t: timeOf(entry),
      level: entry.level.toLowerCase(),
      text: decoder.decode(entry.message).toLowerCase(),
      bytes: sizeOf(entry),
      entry,
    };
    this.items.push(stored);
    this.bytes += stored.bytes;
    while (this.size > LOG_CAPACITY || (this.bytes > LOG_MAX_BYTES && this.size > 1)) this.evictOldest();
    this.pending.push(stored);
  }

  private evictOldest(): void {
    const old = this.items[this.first];
    this.items[this.first] = undefined;
    this.first += 1;
    this.firstSeq += 1;
    this.bytes -= old?.bytes ?? 0;
    if (this.first > 4096) {
      this.items = this.items.slice(this.first);
      this.first = 0;
    }
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const listener of this.listeners) listener(batch);
  }

  // ---- reading ----

  private matcher(q: LogQuery): (s: Stored) => boolean {
    const levels = new Set((q.levels ?? []).map((l) => l.toLowerCase()));
    const errorsOnly = levels.size === 0 && q.errorsOnly === true;
    const filter = (q.filter ?? '').toLowerCase();
    return (s) =>
      (levels.size === 0 || levels.has(s.level)) &&
      (!errorsOnly || ERRORISH.has(s.level)) &&
      (filter === '' || s.text.includes(filter)) &&
      (q.startMs === undefined || s.t >= q.startMs) &&
      (q.endMs === undefined || s.t <= q.endMs);
  }

  /** Newest first; the token continues below the last entry returned. */
  page(q: LogQuery): { logs: RawLogEntry[]; nextPageToken: string } {
    this.catchUp();
    const limit = Math.min(MAX_PAGE, q.limit !== undefined && q.limit > 0 ? q.limit : PAGE_SIZE);
    const newest = this.firstSeq + this.size - 1;
    const start = q.pageToken ? Math.min(decodePageToken(q.pageToken) - 1, newest) : newest;
    const matches = this.matcher(q);
    const logs: RawLogEntry[] = [];
    let bytes = 0;
    for (let seq = start; seq >= this.firstSeq; seq--) {
      const s = this.items[this.first + (seq - this.firstSeq)];
      if (!s || !matches(s)) continue;
      if (logs.length >= limit || (logs.length > 0 && bytes + s.bytes > MAX_BATCH_BYTES)) {
        return { logs, nextPageToken: encodePageToken(seq + 1) };
      }
      logs.push(s.entry);
      bytes += s.bytes;
    }
    return { logs, nextPageToken: '' };
  }

  /** New lines from now on, in batches, until `signal` aborts (the client went away). */
  async *tail(q: LogQuery, signal: AbortSignal): AsyncGenerator<RawLogEntry[]> {
    const matches = this.matcher(q);
    const queue: Stored[] = [];
    let wake: (() => void) | undefined;
    const listener = (items: Stored[]): void => {
      for (const s of items) if (matches(s)) queue.push(s);
      if (queue.length > TAIL_QUEUE) queue.splice(0, queue.length - TAIL_QUEUE);
      wake?.();
    };
    const onAbort = (): void => wake?.();
    this.catchUp();
    this.listeners.add(listener);
    this.openTails += 1;
    this.tick ??= setInterval(() => this.catchUp(), TAIL_TICK_MS);
    this.tick.unref();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        const batch: RawLogEntry[] = [];
        let bytes = 0;
        while (queue.length > 0 && batch.length < TAIL_BATCH) {
          const next = queue[0];
          if (!next || (batch.length > 0 && bytes + next.bytes > MAX_BATCH_BYTES)) break;
          queue.shift();
          batch.push(next.entry);
          bytes += next.bytes;
        }
        yield batch;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.listeners.delete(listener);
      this.openTails -= 1;
      if (this.listeners.size === 0) {
        clearInterval(this.tick);
        this.tick = undefined;
      }
    }
  }

  dispose(): void {
    this.stopFlood();
    clearInterval(this.tick);
    this.tick = undefined;
  }
}

/** Reads a POST .../logs body; a message on bad input. */
export function parseInject(body: Record<string, unknown>): InjectSpec | string {
  const count = body['count'] ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_INJECT) {
    return `"count" must be an integer from 1 to ${MAX_INJECT}`;
  }
  const level = body['level'] ?? 'info';
  if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error' && level !== 'mixed') {
    return '"level" must be debug, info, warn, error or mixed';
  }
  const rate = body['rate'];
  if (
    rate !== undefined &&
    (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_FLOOD_RATE)
  ) {
    return `"rate" must be a number of lines per second up to ${MAX_FLOOD_RATE}`;
  }
  const message = body['message'];
  const logger = body['logger'];
  if (message !== undefined && (typeof message !== 'string' || message.length > 10_000)) {
    return '"message" must be a string of at most 10,000 characters';
  }
  if (logger !== undefined && (typeof logger !== 'string' || logger.length > 500)) {
    return '"logger" must be a string of at most 500 characters';
  }
  return {
    count,
    level,
    hostile: body['hostile'] === true,
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof logger === 'string' ? { logger } : {}),
    ...(typeof rate === 'number' ? { rate } : {}),
  };
}
