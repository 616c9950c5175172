/**
 * Machine log lines as the console shows them: normalised from the SDK's LogEntry, made inert,
 * scrubbed of secrets, de-duplicated, kept in a bounded window, filtered, counted and copied. Pure:
 * no SDK import, no DOM. A log line comes from the machine, and a machine (or whatever wrote to its
 * logs) may be hostile: every string here is treated as untrusted text, never as markup.
 */
import { scrub } from './connection-state.ts';
import { capText, inertText } from './inert-text.ts';
import type { ValueLike } from './proto-value.ts';
import { formatIso, timestampMs, type TimestampLike } from './time.ts';

export type { TimestampLike } from './time.ts';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Most severe first: the order of filter buttons and of what a flood keeps. */
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** google.protobuf.Struct as the SDK decodes it. */
export interface StructLike {
  readonly fields: Readonly<Record<string, ValueLike>>;
}

/** What the SDK's viam.common.v1.LogEntry carries; every field may be missing or odd. */
export interface RawLogEntry {
  readonly host?: string;
  readonly level?: string;
  readonly time?: TimestampLike | undefined;
  readonly loggerName?: string;
  readonly message?: string;
  readonly caller?: StructLike | undefined;
  readonly stack?: string;
  readonly fields?: readonly StructLike[];
}

/** A JSON tree (what a log line's fields become); numbers may be NaN or ±Infinity. */
export type JsonTree = null | boolean | number | string | readonly JsonTree[] | { [key: string]: JsonTree };

/** One log line, ready to show: every string inert, scrubbed and capped. */
export interface LogEntryView {
  /** Identity for de-duplication: time + logger + message. */
  readonly key: string;
  /** Epoch ms (sub-ms precision kept), or undefined when the line had no usable time. */
  readonly time: number | undefined;
  readonly level: LogLevel;
  /** The level as the machine wrote it, when it is not one of the four (e.g. "fatal"). */
  readonly levelLabel: string;
  readonly logger: string;
  /** The whole message as kept (up to MAX_MESSAGE_CHARS). */
  readonly message: string;
  /** Length of the message before it was capped; > message.length when truncated. */
  readonly messageLength: number;
  /** The message's first line, capped for a one-line row. */
  readonly summary: string;
  /** "file.go:123" when the machine said where the line was logged. */
  readonly caller: string;
  readonly stack: string;
  readonly host: string;
  /** The line's structured fields, one JSON tree per field. */
  readonly fields: readonly JsonTree[];
  /** The fields read as [key, value] (zap fields by their Key; anything else as ['', JSON]). */
  readonly fieldPairs: readonly (readonly [string, string])[];
  /** The fields as `key=value` text, for the row, search and copy. */
  readonly fieldsText: string;
  /** Characters this line holds, for the store's memory budget. */
  readonly size: number;
}

/** A line in the store: a view plus its place in time order. */
export interface LogLine extends LogEntryView {
  /** Unique and increasing within one store: a stable key for rendering. */
  readonly seq: number;
  /** Where it sorts: its time, or, without one, the time of the line it arrived beside. */
  readonly sortTime: number;
}

/** Kept of one message; a longer one is cut with a marker (100 KB lines fit whole). */
export const MAX_MESSAGE_CHARS = 128 * 1024;
/** A row shows at most this much of the first line (CSS ellipsis does the rest; a wide row fits ~200). */
const MAX_SUMMARY_CHARS = 240;
const MAX_LOGGER_CHARS = 200;
const MAX_LABEL_CHARS = 16;
const MAX_STACK_CHARS = 16 * 1024;
const MAX_FIELD_STRING_CHARS = 4 * 1024;
/** A line's fields keep at most this many nodes and this depth, so a hostile tree stays small. */
const MAX_FIELD_NODES = 500;
const MAX_FIELD_DEPTH = 12;
const MAX_FIELDS_TEXT_CHARS = 8 * 1024;
/** Text search looks at most this far into a message, so one regex cannot stall on a huge line. */
export const MAX_SEARCH_CHARS = 10_000;

/** Untrusted text -> inert, scrubbed, capped; in that order, so neither an escape sequence nor the cut can hide a secret. */
function safe(text: unknown, secrets: readonly string[], max: number): string {
  if (typeof text !== 'string' || text === '') return '';
  return capText(scrub(inertText(text), secrets), max);
}

// --- Normalisation --------------------------------------------------------------------------------

export function toLevel(raw: unknown): LogLevel {
  const level = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  switch (level) {
    case 'error':
    case 'err':
    case 'fatal':
    case 'panic':
    case 'dpanic':
    case 'critical':
      return 'error';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'debug':
    case 'trace':
      return 'debug';
    default:
      return 'info';
  }
}

/** A google.protobuf.Value -> JSON tree, every string made safe, within a node budget. */
function valueTree(
  value: ValueLike | undefined,
  secrets: readonly string[],
  budget: { nodes: number },
  depth: number,
): JsonTree {
  budget.nodes -= 1;
  if (!value || budget.nodes < 0) return null;
  if (depth > MAX_FIELD_DEPTH) return '… (nested too deep)';
  const kind = value.kind;
  switch (kind.case) {
    case 'numberValue':
      return typeof kind.value === 'number' ? kind.value : null;
    case 'boolValue':
      return kind.value;
    case 'stringValue':
      return safe(kind.value, secrets, MAX_FIELD_STRING_CHARS);
    case 'structValue':
      return structTree(kind.value, secrets, budget, depth + 1);
    case 'listValue': {
      const out: JsonTree[] = [];
      for (const item of kind.value.values) {
        if (budget.nodes <= 0) break;
        out.push(valueTree(item, secrets, budget, depth + 1));
      }
      return out;
    }
    default:
      return null;
  }
}

function structTree(
  struct: StructLike | undefined,
  secrets: readonly string[],
  budget: { nodes: number },
  depth: number,
): { [key: string]: JsonTree } {
  // No prototype: a key named "__proto__" is just a key.
  const out = Object.create(null) as { [key: string]: JsonTree };
  const fields = struct?.fields;
  if (!fields || typeof fields !== 'object') return out;
  for (const [key, value] of Object.entries(fields)) {
    if (budget.nodes <= 0) break;
    out[safe(key, secrets, 200) || '(empty)'] = valueTree(value, secrets, budget, depth);
  }
  return out;
}

/** JSON-like text of a tree; NaN and Infinity spelled out (JSON would say null). `indent` pretty-prints. */
export function treeText(tree: JsonTree, max = MAX_FIELDS_TEXT_CHARS, indent?: number): string {
  const text = JSON.stringify(
    tree,
    (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `__nonfinite__${String(v)}` : v),
    indent,
  ).replace(/"__nonfinite__(-?Infinity|NaN)"/g, '$1');
  return text.length > max ? `${capText(text, max - 1)}…` : text;
}

/** zapcore.FieldType values whose Integer means something other than a number. */
const ZAP_BOOL = 4;
const ZAP_DURATION = 8;

/**
 * viam-server writes each zap field as a Struct {Key, Type, Integer, String, Interface}: read it as
 * [Key, value]. Anything else is ['', its JSON].
 */
function fieldPair(tree: JsonTree): readonly [string, string] {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return ['', treeText(tree)];
  const record = tree as { [key: string]: JsonTree };
  const key = record['Key'];
  if (typeof key !== 'string') return ['', treeText(tree)];
  const type = record['Type'];
  const iface = record['Interface'];
  const str = record['String'];
  const int = record['Integer'];
  let value: string;
  if (iface !== undefined && iface !== null) value = treeText(iface);
  else if (typeof str === 'string' && str !== '') value = str;
  else if (typeof int === 'number' && type === ZAP_BOOL) value = int === 0 ? 'false' : 'true';
  else if (typeof int === 'number' && type === ZAP_DURATION) value = `${int / 1e6} ms`;
  else if (typeof int === 'number') value = String(int);
  else value = typeof str === 'string' ? str : '';
  return [key, value];
}

/** "file.go:42" from zap's caller Struct {Defined, File, Line, Function}. */
function callerText(caller: StructLike | undefined, secrets: readonly string[]): string {
  if (!caller) return '';
  const tree = structTree(caller, secrets, { nodes: 20 }, 0);
  const file = tree['File'];
  const line = tree['Line'];
  if (typeof file !== 'string' || file === '') return '';
  return capText(typeof line === 'number' && Number.isFinite(line) ? `${file}:${line}` : file, 300);
}

/** A fast, well-spread 53-bit hash (two 32-bit FNV-1a style lanes), for keys of long messages. */
export function hash53(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function timeKey(t: TimestampLike | undefined, ms: number | undefined): string {
  if (ms === undefined || !t) return '-';
  return `${String(t.seconds)}.${String(t.nanos)}`;
}

/** One SDK LogEntry -> a line the UI can show. Never throws, whatever the entry holds. */
export function normalizeEntry(entry: RawLogEntry, secrets: readonly string[]): LogEntryView {
  const time = timestampMs(entry.time);
  const rawLevel = typeof entry.level === 'string' ? entry.level : '';
  const level = toLevel(rawLevel);
  const fullMessage = scrub(inertText(typeof entry.message === 'string' ? entry.message : ''), secrets);
  const message = capText(fullMessage, MAX_MESSAGE_CHARS);
  const newline = message.indexOf('\n');
  const summary = capText(newline < 0 ? message : message.slice(0, newline), MAX_SUMMARY_CHARS);
  const logger = safe(entry.loggerName, secrets, MAX_LOGGER_CHARS);
  const budget = { nodes: MAX_FIELD_NODES };
  const fields: JsonTree[] = [];
  for (const struct of entry.fields ?? []) {
    if (budget.nodes <= 0) break;
    fields.push(structTree(struct, secrets, budget, 0));
  }
  const fieldPairs = fields.map(fieldPair);
  const fieldsText = capText(
    fieldPairs.map(([key, value]) => (key === '' ? value : `${key}=${value}`)).join(' '),
    MAX_FIELDS_TEXT_CHARS,
  );
  const label = capText(inertText(rawLevel.trim()), MAX_LABEL_CHARS).toLowerCase();
  const stack = safe(entry.stack, secrets, MAX_STACK_CHARS);
  const caller = callerText(entry.caller, secrets);
  const host = safe(entry.host, secrets, 300);
  return {
    key: `${timeKey(entry.time, time)}\u0000${logger}\u0000${hash53(fullMessage)}:${fullMessage.length}`,
    time,
    level,
    levelLabel: label === level || label === '' ? '' : label,
    logger,
    message,
    messageLength: fullMessage.length,
    summary,
    caller,
    stack,
    host,
    fields,
    fieldPairs,
    fieldsText,
    size: message.length + stack.length + fieldsText.length * 3 + logger.length + 64,
  };
}

// --- The bounded store ------------------------------------------------------------------------

export interface LevelCounts {
  error: number;
  warn: number;
  info: number;
  debug: number;
}

/** What one add() changed, so a filtered view can follow without re-filtering everything. */
export interface StoreChange {
  /** New lines in time order, and whether they all went after (or all before) the old lines. */
  readonly added: readonly LogLine[];
  readonly placement: 'end' | 'start' | 'mixed' | 'none';
  /** Lines dropped to stay within bounds: the oldest ones, or the newest ones. */
  readonly evictedOldest: readonly LogLine[];
  readonly evictedNewest: readonly LogLine[];
  /** Entries already present (same time, logger and message). */
  readonly duplicates: number;
}

export interface StoreLimits {
  /** Lines kept at most. */
  readonly maxLines: number;
  /** Characters kept at most, over all lines (a few hostile 100 KB lines must not hold 1 GB). */
  readonly maxChars: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxLines: 10_000, maxChars: 12_000_000 };

/**
 * The lines the panel holds: time order, no duplicates, within a line and a character budget.
 * When full, the caller says which end gives way: the oldest lines while the operator follows the
 * tail, the newest while they read older history (those are re-fetched when they come back).
 */
export class LogStore {
  readonly limits: StoreLimits;
  #lines: LogLine[] = [];
  readonly #byKey = new Map<string, LogLine>();
  #chars = 0;
  #nextSeq = 1;
  #prevSeq = 0;
  readonly #counts: LevelCounts = { error: 0, warn: 0, info: 0, debug: 0 };
  readonly #loggers = new Map<string, number>();
  /** Bumped on every change. */
  version = 0;

  constructor(limits: StoreLimits = DEFAULT_LIMITS) {
    this.limits = limits;
  }

  get lines(): readonly LogLine[] {
    return this.#lines;
  }

  get length(): number {
    return this.#lines.length;
  }

  get counts(): Readonly<LevelCounts> {
    return this.#counts;
  }

  get chars(): number {
    return this.#chars;
  }

  /** Logger names present, with how many lines each has. */
  get loggers(): ReadonlyMap<string, number> {
    return this.#loggers;
  }

  get oldest(): LogLine | undefined {
    return this.#lines[0];
  }

  get newest(): LogLine | undefined {
    return this.#lines[this.#lines.length - 1];
  }

  /** The newest line that has a real time (what a reconnect fills the gap back to). */
  newestTimed(): LogLine | undefined {
    for (let i = this.#lines.length - 1; i >= 0; i--) {
      const line = this.#lines[i];
      if (line?.time !== undefined) return line;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  clear(): void {
    this.#lines = [];
    this.#byKey.clear();
    this.#loggers.clear();
    this.#chars = 0;
    for (const level of LOG_LEVELS) this.#counts[level] = 0;
    this.version += 1;
  }

  /**
   * Adds entries given in time order (oldest first). A line without a time sorts beside the line
   * before it in the batch (or at `fallbackTime` when it is first). `older`: the entries are history
   * from before everything held (a page further back). Returns what changed.
   */
  add(
    entries: readonly LogEntryView[],
    evict: 'oldest' | 'newest',
    fallbackTime?: number,
    older = false,
  ): StoreChange {
    const fresh: LogLine[] = [];
    let duplicates = 0;
    let previous = fallbackTime ?? (evict === 'oldest' ? this.newest?.sortTime : this.oldest?.sortTime) ?? 0;
    const batchKeys = new Set<string>();
    for (const entry of entries) {
      const sortTime = entry.time ?? previous;
      previous = sortTime;
      if (this.#byKey.has(entry.key) || batchKeys.has(entry.key)) {
        duplicates += 1;
        continue;
      }
      batchKeys.add(entry.key);
      fresh.push({ ...entry, seq: older ? 0 : this.#nextSeq++, sortTime });
    }
    if (fresh.length === 0) {
      return { added: [], placement: 'none', evictedOldest: [], evictedNewest: [], duplicates };
    }
    // Older history sorts before every line of the same time already held (pages come newest
    // first), so its order numbers count down, keeping the batch's own order.
    if (older)
      for (let i = fresh.length - 1; i >= 0; i--) (fresh[i] as { seq: number }).seq = this.#prevSeq--;
    // Stable: equal times keep arrival order.
    fresh.sort(compareLines);
    const first = this.#lines[0];
    const last = this.#lines[this.#lines.length - 1];
    const freshFirst = fresh[0] as LogLine;
    const freshLast = fresh[fresh.length - 1] as LogLine;
    let placement: StoreChange['placement'];
    if (!last || compareLines(freshFirst, last) >= 0) {
      placement = 'end';
      for (const line of fresh) this.#lines.push(line);
    } else if (first && compareLines(freshLast, first) < 0) {
      placement = 'start';
      this.#lines = fresh.concat(this.#lines);
    } else {
      placement = 'mixed';
      this.#lines = mergeSorted(this.#lines, fresh);
    }
    for (const line of fresh) this.#account(line, 1);
    const evictedOldest: LogLine[] = [];
    const evictedNewest: LogLine[] = [];
    while (this.#lines.length > this.limits.maxLines || this.#chars > this.limits.maxChars) {
      const gone = evict === 'oldest' ? this.#lines.shift() : this.#lines.pop();
      if (!gone) break;
      this.#account(gone, -1);
      (evict === 'oldest' ? evictedOldest : evictedNewest).push(gone);
    }
    this.version += 1;
    const goneSeqs =
      evictedOldest.length + evictedNewest.length === 0
        ? undefined
        : new Set([...evictedOldest, ...evictedNewest].map((l) => l.seq));
    return {
      added: goneSeqs ? fresh.filter((l) => !goneSeqs.has(l.seq)) : fresh,
      placement,
      evictedOldest,
      evictedNewest: evictedNewest.reverse(),
      duplicates,
    };
  }

  #account(line: LogLine, sign: 1 | -1): void {
    this.#chars += sign * line.size;
    this.#counts[line.level] += sign;
    if (sign > 0) {
      this.#byKey.set(line.key, line);
      this.#loggers.set(line.logger, (this.#loggers.get(line.logger) ?? 0) + 1);
    } else {
      this.#byKey.delete(line.key);
      const n = (this.#loggers.get(line.logger) ?? 1) - 1;
      if (n <= 0) this.#loggers.delete(line.logger);
      else this.#loggers.set(line.logger, n);
    }
  }
}

export function compareLines(a: LogLine, b: LogLine): number {
  return a.sortTime - b.sortTime || a.seq - b.seq;
}

function mergeSorted(a: readonly LogLine[], b: readonly LogLine[]): LogLine[] {
  const out: LogLine[] = new Array<LogLine>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as LogLine;
    const y = b[j] as LogLine;
    if (compareLines(x, y) <= 0) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++] as LogLine;
  while (j < b.length) out[k++] = b[j++] as LogLine;
  return out;
}

// --- Filters -----------------------------------------------------------------------------------

export interface LogFilter {
  /** Levels shown; all four when none is excluded. */
  readonly levels: ReadonlySet<LogLevel>;
  /** A logger name: shows it and its children (`rdk.components` shows `rdk.components.base`); '' for all. */
  readonly logger: string;
  readonly text: string;
  readonly regex: boolean;
}

export const ALL_LEVELS: ReadonlySet<LogLevel> = new Set(LOG_LEVELS);

export const NO_FILTER: LogFilter = { levels: ALL_LEVELS, logger: '', text: '', regex: false };

export interface FilterError {
  readonly kind: 'invalid-regex';
  /** What is wrong with the pattern, as the browser says it. */
  readonly message: string;
}

export type CompiledFilter =
  | { readonly ok: true; readonly match: (line: LogEntryView) => boolean; readonly active: boolean }
  | { readonly ok: false; readonly error: FilterError };

/**
 * Text search looks at the message (its first MAX_SEARCH_CHARS), the logger and the fields, each on
 * its own: `^` and `$` anchor to the message's start and end, as an operator reads them.
 */
function searchable(line: LogEntryView): readonly string[] {
  const message =
    line.message.length > MAX_SEARCH_CHARS ? capText(line.message, MAX_SEARCH_CHARS) : line.message;
  return line.fieldsText === '' ? [message, line.logger] : [message, line.logger, line.fieldsText];
}

/** Compiles a filter once; an invalid regular expression is a typed error, never an exception. */
export function compileFilter(filter: LogFilter): CompiledFilter {
  const levels = filter.levels;
  const allLevels = LOG_LEVELS.every((l) => levels.has(l));
  const logger = filter.logger;
  const loggerPrefix = `${logger}.`;
  let textMatch: ((text: string) => boolean) | undefined;
  if (filter.text !== '') {
    if (filter.regex) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(filter.text, 'i');
      } catch (error: unknown) {
        // The browser's message repeats "Invalid regular expression:", which the UI already says.
        const message = (error instanceof Error ? error.message : 'invalid pattern').replace(
          /^Invalid regular expression:\s*/i,
          '',
        );
        return { ok: false, error: { kind: 'invalid-regex', message: capText(inertText(message), 200) } };
      }
      textMatch = (text) => pattern.test(text);
    } else {
      const needle = filter.text.toLowerCase();
      textMatch = (text) => text.toLowerCase().includes(needle);
    }
  }
  const active = !allLevels || logger !== '' || textMatch !== undefined;
  return {
    ok: true,
    active,
    match: (line) =>
      (allLevels || levels.has(line.level)) &&
      (logger === '' || line.logger === logger || line.logger.startsWith(loggerPrefix)) &&
      (textMatch === undefined || searchable(line).some(textMatch)),
  };
}

/**
 * The store seen through a filter, kept in step with each StoreChange (a tail line is filtered
 * once, not on every update).
 */
export class FilteredView {
  #match: (line: LogEntryView) => boolean = () => true;
  #lines: LogLine[] = [];

  get lines(): readonly LogLine[] {
    return this.#lines;
  }

  /** Re-filters everything (a new filter, or a cleared store). */
  reset(store: LogStore, match: (line: LogEntryView) => boolean = this.#match): void {
    this.#match = match;
    this.#lines = store.lines.filter(match);
  }

  /** Follows one change of the store; returns how many shown lines were added at the end. */
  apply(change: StoreChange, store: LogStore): { appendedAtEnd: number } {
    if (change.placement === 'mixed') {
      const before = this.#lines[this.#lines.length - 1];
      this.reset(store);
      const shown = change.added.filter(this.#match);
      return {
        appendedAtEnd: before ? shown.filter((l) => compareLines(l, before) > 0).length : shown.length,
      };
    }
    if (change.evictedOldest.length > 0) {
      const gone = new Set(change.evictedOldest.map((l) => l.seq));
      let drop = 0;
      while (drop < this.#lines.length && gone.has((this.#lines[drop] as LogLine).seq)) drop++;
      if (drop > 0) this.#lines.splice(0, drop);
    }
    if (change.evictedNewest.length > 0) {
      const gone = new Set(change.evictedNewest.map((l) => l.seq));
      let keep = this.#lines.length;
      while (keep > 0 && gone.has((this.#lines[keep - 1] as LogLine).seq)) keep--;
      this.#lines.length = keep;
    }
    const shown = change.added.filter(this.#match);
    if (shown.length === 0) return { appendedAtEnd: 0 };
    if (change.placement === 'start') {
      this.#lines = shown.concat(this.#lines);
      return { appendedAtEnd: 0 };
    }
    for (const line of shown) this.#lines.push(line);
    return { appendedAtEnd: shown.length };
  }

  /** Where a line is in the view (binary search by time order), or -1. */
  indexOf(line: LogLine): number {
    let lo = 0;
    let hi = this.#lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareLines(this.#lines[mid] as LogLine, line);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The index of the first line at or after `line` in time order (for anchoring a scroll position). */
  lowerBound(line: LogLine): number {
    let lo = 0;
    let hi = this.#lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareLines(this.#lines[mid] as LogLine, line) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// --- Flood control ---------------------------------------------------------------------------

/** Tail lines per second the panel takes; above it, lines are dropped and counted. */
export const FLOOD_RATE_PER_S = 200;

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * A token bucket: `rate` lines a second, bursts up to `burst`. A flood costs a count, not a frozen
 * page; within a batch the most severe lines are the ones kept.
 */
export class RateGate {
  readonly rate: number;
  readonly burst: number;
  #tokens: number;
  #at: number | undefined;
  dropped = 0;
  droppedErrors = 0;

  constructor(rate = FLOOD_RATE_PER_S, burst = rate) {
    this.rate = rate;
    this.burst = burst;
    this.#tokens = burst;
  }

  /** The entries admitted (time order kept); the rest are counted as dropped. */
  admit<T extends { readonly level?: string }>(entries: readonly T[], now: number): T[] {
    if (this.#at !== undefined)
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    const room = Math.floor(this.#tokens);
    if (entries.length <= room) {
      this.#tokens -= entries.length;
      return [...entries];
    }
    const ranked = entries
      .map((entry, index) => ({ entry, index, severity: SEVERITY[toLevel(entry.level)] }))
      .sort((a, b) => a.severity - b.severity || a.index - b.index);
    const kept = ranked.slice(0, Math.max(0, room)).sort((a, b) => a.index - b.index);
    for (const r of ranked.slice(Math.max(0, room))) {
      this.dropped += 1;
      if (r.severity === 0) this.droppedErrors += 1;
    }
    this.#tokens -= kept.length;
    return kept.map((r) => r.entry);
  }

  reset(): void {
    this.#tokens = this.burst;
    this.#at = undefined;
    this.dropped = 0;
    this.droppedErrors = 0;
  }
}

// --- Text ---------------------------------------------------------------------------------

/** Copy stops after this many characters, with a note (the clipboard is not a file). */
export const MAX_COPY_CHARS = 4_000_000;

/** One line as text: time, level, logger, message (continuation lines indented), fields. */
export function lineText(line: LogEntryView): string {
  const level = (line.levelLabel || line.level).toUpperCase();
  const cut =
    line.messageLength > line.message.length
      ? ` … [truncated: ${line.messageLength - line.message.length} more characters]`
      : '';
  const message = `${line.message}${cut}`.replace(/\n/g, '\n    ');
  const fields = line.fieldsText === '' ? '' : `\t${line.fieldsText}`;
  return `${formatIso(line.time)}\t${level}\t${line.logger || '-'}\t${message}${fields}`;
}

/** The lines as text for the clipboard, oldest first, within MAX_COPY_CHARS. */
export function linesText(lines: readonly LogEntryView[], max = MAX_COPY_CHARS): string {
  const out: string[] = [];
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lineText(lines[i] as LogEntryView);
    if (total + text.length + 1 > max) {
      out.push(`… ${lines.length - i} more lines not copied`);
      break;
    }
    out.push(text);
    total += text.length + 1;
  }
  return out.join('\n');
}
