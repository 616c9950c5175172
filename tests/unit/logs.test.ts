import { describe, expect, it } from 'vitest';
import {
  FilteredView,
  LogStore,
  MAX_MESSAGE_CHARS,
  NO_FILTER,
  RateGate,
  compileFilter,
  lineText,
  linesText,
  normalizeEntry,
  toLevel,
  treeText,
  type LogEntryView,
  type LogLevel,
  type RawLogEntry,
  type StructLike,
} from '../../src/lib/logs.ts';
import { capText, inertText } from '../../src/lib/inert-text.ts';
import { countsText } from '../../src/lib/log-summary.ts';
import { formatAbsolute, formatIso, formatRelative, timestampMs } from '../../src/lib/time.ts';
import type { ValueLike } from '../../src/lib/proto-value.ts';

const SECRET = 'sk-live-9f8e7d6c5b4a';
const T0 = 1_780_000_000; // seconds

const str = (value: string): ValueLike => ({ kind: { case: 'stringValue', value } });
const num = (value: number): ValueLike => ({ kind: { case: 'numberValue', value } });
const struct = (fields: Record<string, ValueLike>): StructLike => ({ fields });
const nested = (value: StructLike): ValueLike => ({ kind: { case: 'structValue', value } });

function raw(message: string, at = 0, extra: Partial<RawLogEntry> = {}): RawLogEntry {
  return {
    host: 'rover',
    level: 'info',
    time: { seconds: BigInt(T0 + Math.floor(at)), nanos: Math.round((at % 1) * 1e9) },
    loggerName: 'rdk.resource_manager',
    message,
    ...extra,
  };
}

const view = (message: string, at = 0, extra: Partial<RawLogEntry> = {}): LogEntryView =>
  normalizeEntry(raw(message, at, extra), [SECRET]);

describe('inert text', () => {
  it('removes ANSI escapes (CSI, OSC, 8-bit CSI) and shows other control characters', () => {
    expect(inertText('\x1b[31mred\x1b[0m plain')).toBe('red plain');
    expect(inertText('\x1b]0;title\x07after')).toBe('after');
    expect(inertText('\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(inertText('\x9b2Jcleared')).toBe('cleared');
    expect(inertText('a\x00b\x07c\x7fd')).toBe('a\u2400b\u2407c\u2421d');
    expect(inertText('line1\r\nline2\rover')).toBe('line1\nline2\u240dover');
    expect(inertText('tab\there\nnext')).toBe('tab\there\nnext');
  });

  it('shows bidi controls by code point and replaces unpaired surrogates', () => {
    expect(inertText('admin\u202Etxt.exe')).toBe('admin<U+202E>txt.exe');
    expect(inertText('a\ud800b')).toBe('a\ufffdb');
    expect(inertText('a\udc00b')).toBe('a\ufffdb');
    expect(inertText('ok \ud83d\ude00')).toBe('ok \ud83d\ude00');
    // Protobuf already decoded invalid UTF-8 to U+FFFD: it passes as is.
    expect(inertText('bad \ufffd\ufffd bytes')).toBe('bad \ufffd\ufffd bytes');
  });

  it('caps without splitting a surrogate pair', () => {
    expect(capText('ab\ud83d\ude00', 3)).toBe('ab');
    expect(capText('abc', 5)).toBe('abc');
  });
});

describe('normalizeEntry', () => {
  it('reads level, time, logger, message, caller and zap fields', () => {
    const line = normalizeEntry(
      raw('motor stalled\nsecond line', 1.5, {
        level: 'ERROR',
        caller: struct({
          Defined: { kind: { case: 'boolValue', value: true } },
          File: str('base.go'),
          Line: num(42),
        }),
        fields: [
          struct({ Key: str('component'), Type: num(15), String: str('left'), Integer: num(0) }),
          struct({ Key: str('attempt'), Type: num(11), Integer: num(3), String: str('') }),
          struct({ Key: str('armed'), Type: num(4), Integer: num(1), String: str('') }),
          struct({ Key: str('took'), Type: num(8), Integer: num(1_500_000), String: str('') }),
        ],
      }),
      [],
    );
    expect(line.level).toBe('error');
    expect(line.levelLabel).toBe('');
    expect(line.time).toBe((T0 + 1.5) * 1000);
    expect(line.logger).toBe('rdk.resource_manager');
    expect(line.summary).toBe('motor stalled');
    expect(line.message).toBe('motor stalled\nsecond line');
    expect(line.caller).toBe('base.go:42');
    expect(line.fieldsText).toBe('component=left attempt=3 armed=true took=1.5 ms');
    expect(line.fieldPairs[0]).toEqual(['component', 'left']);
    expect(line.fields[0]).toEqual({ Key: 'component', Type: 15, String: 'left', Integer: 0 });
  });

  it('maps levels to four buckets and keeps odd labels', () => {
    const levels: [string, LogLevel][] = [
      ['warning', 'warn'],
      ['Fatal', 'error'],
      ['DPANIC', 'error'],
      ['trace', 'debug'],
      ['', 'info'],
      ['<script>', 'info'],
    ];
    for (const [input, level] of levels) expect(toLevel(input)).toBe(level);
    expect(view('x', 0, { level: 'Fatal' }).levelLabel).toBe('fatal');
    expect(view('x', 0, { level: '\x1b[1mwarn' }).level).toBe('info');
  });

  it('treats missing, zero, NaN and out-of-range times as no time', () => {
    expect(timestampMs(undefined)).toBeUndefined();
    expect(timestampMs({ seconds: 0n, nanos: 0 })).toBeUndefined();
    expect(timestampMs({ seconds: 10n, nanos: NaN })).toBeUndefined();
    expect(timestampMs({ seconds: 'NaN', nanos: 0 })).toBeUndefined();
    expect(timestampMs({ seconds: 2n ** 62n, nanos: 0 })).toBeUndefined();
    expect(timestampMs({ seconds: 1n, nanos: 500_000_000 })).toBe(1500);
    expect(timestampMs({ seconds: 10n ** 15n, nanos: 0 })).toBeUndefined();
    expect(timestampMs({ seconds: -62_135_596_900n, nanos: 2_000_000_000 })).toBeUndefined();
    expect(timestampMs({ seconds: 5n, nanos: -1 })).toBeUndefined();
    expect(timestampMs({ seconds: 1.5, nanos: 0 })).toBeUndefined();
    const line = normalizeEntry({ message: 'no time', time: { seconds: 0n, nanos: Number.NaN } }, []);
    expect(line.time).toBeUndefined();
    expect(formatAbsolute(line.time)).toBe('—');
    expect(formatRelative(line.time)).toBe('—');
    expect(lineText(line)).toMatch(/^-\tINFO\t-\tno time$/);
  });

  it('survives an entry with nothing in it, or wrong types', () => {
    const odd = {
      level: 7,
      message: { toString: () => 'x' },
      fields: [{ fields: null }],
    } as unknown as RawLogEntry;
    const line = normalizeEntry(odd, [SECRET]);
    expect(line.message).toBe('');
    expect(line.level).toBe('info');
    expect(normalizeEntry({}, []).key).toContain('-');
  });

  it('scrubs the key from message, logger, caller, stack, field keys and values', () => {
    const line = normalizeEntry(
      raw(`dialing with key ${SECRET}`, 0, {
        loggerName: `rdk.${SECRET}`,
        stack: `at auth(${SECRET})`,
        caller: struct({ File: str(`${SECRET}.go`), Line: num(1) }),
        fields: [struct({ Key: str('key'), String: str(SECRET), [SECRET]: str('x') })],
      }),
      [SECRET],
    );
    const all = JSON.stringify(line);
    expect(all).not.toContain(SECRET);
    expect(line.message).toBe('dialing with key •••');
    expect(lineText(line)).not.toContain(SECRET);
  });

  it('scrubs a key hidden by escape sequences, and never shows half of one at the cut', () => {
    const split = `${SECRET.slice(0, 6)}\x1b[0m${SECRET.slice(6)}`;
    expect(view(`key=${split}`).message).toBe('key=•••');
    const long = 'a'.repeat(MAX_MESSAGE_CHARS - 5) + SECRET;
    const line = view(long);
    expect(line.message).not.toContain(SECRET.slice(0, 5));
    expect(line.message.endsWith('a•••')).toBe(true);
  });

  it('keeps a 100 KB line whole, caps longer ones with a marker, and caps the row summary', () => {
    const hundredKb = 'x'.repeat(100 * 1024);
    const line = view(hundredKb);
    expect(line.message.length).toBe(100 * 1024);
    expect(line.messageLength).toBe(line.message.length);
    expect(line.summary.length).toBeLessThanOrEqual(240);
    const huge = view('y'.repeat(MAX_MESSAGE_CHARS + 1000));
    expect(huge.message.length).toBe(MAX_MESSAGE_CHARS);
    expect(lineText(huge)).toContain('[truncated: 1000 more characters]');
  });

  it('bounds a hostile field tree (deep, wide) and keeps NaN visible', () => {
    let deep: StructLike = struct({ leaf: num(Number.NaN) });
    for (let i = 0; i < 200; i++) deep = struct({ child: nested(deep) });
    const wide = struct(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, num(i)])));
    const line = view('tree', 0, { fields: [deep, wide, struct({ __proto__: str('p'), n: num(Infinity) })] });
    expect(line.fieldsText.length).toBeLessThanOrEqual(8 * 1024);
    expect(JSON.stringify(line.fields)).toContain('nested too deep');
    expect(treeText({ a: Number.NaN, b: -Infinity })).toBe('{"a":NaN,"b":-Infinity}');
    expect(Object.getPrototypeOf(line.fields[0])).toBeNull();
  });

  it('keys by time, logger and message', () => {
    expect(view('same', 1).key).toBe(view('same', 1).key);
    expect(view('same', 1).key).not.toBe(view('same', 2).key);
    expect(view('same', 1).key).not.toBe(view('other', 1).key);
    expect(view('same', 1).key).not.toBe(view('same', 1, { loggerName: 'rdk.x' }).key);
  });
});

describe('LogStore', () => {
  it('keeps time order, drops duplicates, counts levels and loggers', () => {
    const store = new LogStore({ maxLines: 100, maxChars: 1e9 });
    const first = store.add([view('a', 1), view('b', 2, { level: 'error' })], 'oldest');
    expect(first.placement).toBe('end');
    const again = store.add([view('b', 2, { level: 'error' }), view('c', 3, { level: 'warn' })], 'oldest');
    expect(again.duplicates).toBe(1);
    const older = store.add([view('z', 0)], 'oldest');
    expect(older.placement).toBe('start');
    const middle = store.add([view('m', 1.5)], 'oldest');
    expect(middle.placement).toBe('mixed');
    expect(store.lines.map((l) => l.message)).toEqual(['z', 'a', 'm', 'b', 'c']);
    expect(store.counts).toEqual({ error: 1, warn: 1, info: 3, debug: 0 });
    expect(store.loggers.get('rdk.resource_manager')).toBe(5);
    expect(countsText(store.counts)).toBe('1 error · 1 warning');
  });

  it('evicts the oldest while following and the newest while reading history', () => {
    const store = new LogStore({ maxLines: 3, maxChars: 1e9 });
    store.add([view('1', 1), view('2', 2), view('3', 3)], 'oldest');
    const tail = store.add([view('4', 4)], 'oldest');
    expect(tail.evictedOldest.map((l) => l.message)).toEqual(['1']);
    expect(store.has(view('1', 1).key)).toBe(false);
    const history = store.add([view('0', 0)], 'newest');
    expect(history.evictedNewest.map((l) => l.message)).toEqual(['4']);
    expect(store.lines.map((l) => l.message)).toEqual(['0', '2', '3']);
    // A line dropped to make room can come back later (it is no longer a duplicate).
    store.add([view('1', 1)], 'newest');
    expect(store.lines.map((l) => l.message)).toEqual(['0', '1', '2']);
  });

  it('stays within its character budget', () => {
    const store = new LogStore({ maxLines: 1000, maxChars: 300_000 });
    for (let i = 0; i < 10; i++) store.add([view('x'.repeat(100 * 1024) + String(i), i)], 'oldest');
    expect(store.chars).toBeLessThanOrEqual(300_000);
    expect(store.length).toBe(2);
    expect(store.newest?.message.endsWith('9')).toBe(true);
  });

  it('sorts a line without time beside its neighbour in the batch', () => {
    const store = new LogStore();
    const timeless = normalizeEntry({ message: 'no time', loggerName: 'x' }, []);
    store.add([view('a', 1), timeless, view('b', 2)], 'oldest');
    expect(store.lines.map((l) => l.message)).toEqual(['a', 'no time', 'b']);
    expect(store.newestTimed()?.message).toBe('b');
  });
});

describe('filters', () => {
  const lines = [
    view('starting', 1, { loggerName: 'rdk', level: 'info' }),
    view('base stalled', 2, { loggerName: 'rdk.components.base', level: 'error' }),
    view('wheel slip', 3, { loggerName: 'rdk.components.base.left', level: 'warn' }),
    view('reconfigure', 4, { loggerName: 'rdk.resource_manager', level: 'debug' }),
    view('Temperature 40C', 5, {
      loggerName: 'rdk.components.sensor',
      fields: [struct({ Key: str('unit'), String: str('celsius') })],
    }),
  ];
  const messages = (filter: Parameters<typeof compileFilter>[0]) => {
    const compiled = compileFilter(filter);
    if (!compiled.ok) throw new Error(compiled.error.message);
    return lines.filter(compiled.match).map((l) => l.message);
  };

  it('filters by level set, logger (with children) and text (plain, case-insensitive, fields too)', () => {
    expect(messages(NO_FILTER)).toHaveLength(5);
    expect(compileFilter(NO_FILTER)).toMatchObject({ ok: true, active: false });
    expect(messages({ ...NO_FILTER, levels: new Set<LogLevel>(['error', 'warn']) })).toEqual([
      'base stalled',
      'wheel slip',
    ]);
    expect(messages({ ...NO_FILTER, logger: 'rdk.components.base' })).toEqual(['base stalled', 'wheel slip']);
    expect(messages({ ...NO_FILTER, logger: 'rdk.comp' })).toEqual([]);
    expect(messages({ ...NO_FILTER, text: 'STALL' })).toEqual(['base stalled']);
    expect(messages({ ...NO_FILTER, text: 'celsius' })).toEqual(['Temperature 40C']);
    expect(messages({ ...NO_FILTER, text: '(.*' })).toEqual([]);
  });

  it('filters by regular expression and says what is wrong with an invalid one', () => {
    expect(messages({ ...NO_FILTER, text: '^(base|wheel)\\s', regex: true })).toEqual([
      'base stalled',
      'wheel slip',
    ]);
    expect(messages({ ...NO_FILTER, text: 'C$', regex: true })).toEqual(['Temperature 40C']);
    expect(messages({ ...NO_FILTER, text: '^rdk\\.components\\.sensor$', regex: true })).toEqual([
      'Temperature 40C',
    ]);
    expect(messages({ ...NO_FILTER, text: 'stall|slip', regex: true })).toEqual([
      'base stalled',
      'wheel slip',
    ]);
    const bad = compileFilter({ ...NO_FILTER, text: '(unclosed', regex: true });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.kind).toBe('invalid-regex');
      expect(bad.error.message).toMatch(/unterminated|invalid/i);
    }
  });

  it('keeps a filtered view in step with the store', () => {
    const store = new LogStore({ maxLines: 4, maxChars: 1e9 });
    const viewOf = new FilteredView();
    const compiled = compileFilter({ ...NO_FILTER, levels: new Set<LogLevel>(['error']) });
    if (!compiled.ok) throw new Error('filter');
    viewOf.reset(store, compiled.match);
    const apply = (entries: LogEntryView[], evict: 'oldest' | 'newest') =>
      viewOf.apply(store.add(entries, evict), store);
    expect(apply([view('e1', 1, { level: 'error' }), view('i1', 2)], 'oldest').appendedAtEnd).toBe(1);
    expect(apply([view('e2', 3, { level: 'error' }), view('i2', 4)], 'oldest').appendedAtEnd).toBe(1);
    apply([view('i3', 5)], 'oldest'); // evicts e1
    expect(viewOf.lines.map((l) => l.message)).toEqual(['e2']);
    apply([view('e0', 0.5, { level: 'error' })], 'newest'); // prepends e0, evicts i3
    expect(viewOf.lines.map((l) => l.message)).toEqual(['e0', 'e2']);
    apply([view('e9', 2.5, { level: 'error' })], 'newest');
    expect(viewOf.lines.map((l) => l.message)).toEqual(['e0', 'e9', 'e2']);
    expect(viewOf.lines.map((l) => l.message)).toEqual(
      store.lines.filter(compiled.match).map((l) => l.message),
    );
    const e2 = store.lines.find((l) => l.message === 'e2');
    expect(e2 && viewOf.indexOf(e2)).toBe(2);
  });
});

describe('RateGate', () => {
  it('passes a normal rate, drops a flood with a count and keeps errors first', () => {
    const gate = new RateGate(200);
    const batch = (n: number, level = 'info') => Array.from({ length: n }, (_, i) => ({ level, i }));
    expect(gate.admit(batch(150), 0)).toHaveLength(150);
    expect(gate.admit(batch(40), 200)).toHaveLength(40); // refilled 40 tokens in 200 ms
    let kept = 0;
    for (let t = 1000; t < 6000; t += 100) kept += gate.admit(batch(100), t).length; // 1,000 lines/s
    // At most a full bucket plus 200 a second, whatever arrives.
    expect(kept).toBeGreaterThan(1000);
    expect(kept).toBeLessThanOrEqual(200 + 5 * 200);
    expect(gate.dropped).toBe(5000 - kept);
    const mixed = [...batch(300), { level: 'error', i: 999 }];
    const admitted = gate.admit(mixed, 7000);
    expect(admitted.some((e) => e.level === 'error')).toBe(true);
    expect(admitted.length).toBeLessThanOrEqual(200);
    expect(admitted.map((e) => e.i)).toEqual([...admitted.map((e) => e.i)].sort((a, b) => a - b));
  });
});

describe('time and copy', () => {
  it('formats relative and absolute times', () => {
    const now = new Date(2026, 10, 26, 12, 0, 0, 0).getTime();
    expect(formatAbsolute(now - 1500, now)).toBe('11:59:58.500');
    expect(formatAbsolute(new Date(2026, 10, 25, 9, 5, 7, 9).getTime(), now)).toBe('2026-11-25 09:05:07.009');
    expect(formatRelative(now - 4000, now)).toBe('4 s ago');
    expect(formatRelative(now + 2000, now)).toBe('just now');
    expect(formatRelative(now + 3_600_000, now)).toBe(formatAbsolute(now + 3_600_000, now));
    expect(formatIso(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02T03:04:05.006Z');
  });

  it('copies lines as text, indented continuation lines, within a cap', () => {
    const lines = [view('one', 1, { level: 'warn' }), view('two\nthree', 2)];
    const text = linesText(lines);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain('\tWARN\trdk.resource_manager\tone');
    expect(text).toContain('two\n    three');
    const capped = linesText(
      Array.from({ length: 100 }, (_, i) => view(`line ${i}`, i)),
      500,
    );
    expect(capped.length).toBeLessThan(600);
    expect(capped).toMatch(/more lines not copied$/);
  });
});
