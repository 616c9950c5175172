/**
 * Fuzzing the pure modules that take data from the machine (readings, errors, DoCommand results) or
 * from storage (layout, card preferences, DoCommand memory): whatever they are handed, they return
 * a value of the promised shape and never throw. Fixed seed so a failure reproduces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  loadRefreshMode,
  readPref,
  rememberString,
  stringList,
  type StorageLike,
} from '../../src/lib/card-prefs.ts';
import { classifyConnectionError, grpcCode, scrub } from '../../src/lib/connection-state.ts';
import { explainConnectionProblem } from '../../src/lib/explanations.ts';
import {
  commandLabel,
  parseCommandList,
  pushHistory,
  toggleFavourite,
} from '../../src/lib/do-command-history.ts';
import { loadLayout, moveKey, orderKeys, parseLayout } from '../../src/lib/layout.ts';
import {
  asGeoPoint,
  formatLatLng,
  formatNumber,
  numericLeaves,
  plotGroups,
  readingTree,
  unitFor,
  type ReadingNode,
} from '../../src/lib/readings.ts';
import { errorMessage, summarize } from '../../src/lib/summarize.ts';

const seed = Number(process.env['FUZZ_SEED'] ?? 20240611);
const runs = (numRuns: number) => ({ numRuns, seed });

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '<img src=x onerror=window.__pwned=1>',
    '<script>window.__pwned=1</script>',
    '\u202e\u200b\u200f\ufeff',
    '__proto__',
    'constructor',
    'toString',
    '\ud800',
    '',
  ),
  fc.integer({ min: 1, max: 12_000 }).map((n) => 'y'.repeat(n)),
);

/** What a machine can send in a google.protobuf.Struct, plus the doubles JSON cannot spell. */
const machineJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.double(),
    fc.constantFrom(NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, Number.MIN_VALUE),
    hostileText,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 6 }),
    fc.record({
      _type: fc.constantFrom('geopoint', 'vector3', 'angular_velocity', 'orientation_vector_degrees', 'x'),
      lat: fc.oneof(fc.double(), hostileText),
      lng: fc.double(),
      x: fc.double(),
    }),
  ),
})).value;

/** Deeper than any limit: a chain of single-key objects. */
const deepJson = fc.integer({ min: 1, max: 2000 }).map((depth) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { [`k${i}`]: v } : [v];
  return v;
});

/** An object whose getter throws: summarize must survive even that (it is used on anything). */
const throwingGetter = fc.constant(
  Object.defineProperty({}, 'message', {
    get() {
      throw new Error('boom');
    },
    enumerable: true,
  }),
);
const cyclic = fc.constant(
  (() => {
    const a: Record<string, unknown> = { message: 'loop' };
    a['cause'] = a;
    a['self'] = [a];
    return a;
  })(),
);
const anything = (withSparseArray: boolean) =>
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray,
    maxDepth: 4,
  });
const anyValue: fc.Arbitrary<unknown> = fc.oneof(anything(true), machineJson, deepJson, cyclic);

/** A storage whose getItem returns the generated text, or throws (blocked storage). */
const storageWith = (text: string | null, throws: boolean): StorageLike => ({
  getItem: () => {
    if (throws) throw new DOMException('blocked', 'SecurityError');
    return text;
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
});

/** Text as storage would hold it: JSON of anything, cut JSON, or junk. */
function safeJson(v: unknown): string {
  try {
    // JSON.stringify gives undefined for undefined and functions, whatever its type says.
    const text = JSON.stringify(v) as string | undefined;
    return text ?? 'undefined';
  } catch {
    return '{'; // cyclic or bigint: storage would never hold it, so stand in with broken JSON
  }
}

const storedText = fc.oneof(
  anyValue.map(safeJson),
  machineJson.map((v) => JSON.stringify(v)).chain((t) => fc.nat({ max: t.length }).map((n) => t.slice(0, n))),
  fc
    .record({
      order: fc.oneof(fc.array(hostileText), anyValue),
      collapsed: anyValue,
      hidden: fc.array(fc.oneof(hostileText, fc.integer())),
    })
    .map(safeJson),
  hostileText,
);

function checkTree(nodes: readonly ReadingNode[], depth = 0): void {
  expect(Array.isArray(nodes)).toBe(true);
  expect(depth).toBeLessThan(20);
  for (const n of nodes) {
    expect(typeof n.key).toBe('string');
    expect(typeof n.path).toBe('string');
    if (n.kind === 'group') checkTree(n.children, depth + 1);
    else expect(typeof n.text).toBe('string');
    if (n.kind === 'value') {
      expect(n.text.length).toBeLessThanOrEqual(500);
      expect(typeof n.unit).toBe('string'); // a reading named `constructor` has no unit, not a function
    }
  }
}

describe('fuzz: machine data', () => {
  // Readings arrive as a decoded google.protobuf.Struct: JSON values, where numbers may be NaN or
  // +-Infinity (doubles on the wire). Values a Struct cannot hold (undefined, bigint, cycles) are out of
  // scope: readingTree would throw on them, and the SDK never hands them over.
  it('readings: tree, numeric leaves and plot groups for any Struct a machine can send', () => {
    fc.assert(
      fc.property(fc.dictionary(hostileText, fc.oneof(machineJson, deepJson), { maxKeys: 8 }), (readings) => {
        checkTree(readingTree(readings));
        const leaves = numericLeaves(readings);
        for (const v of Object.values(leaves)) expect(Number.isFinite(v)).toBe(true);
        for (const g of plotGroups(Object.keys(leaves))) {
          expect(typeof g.title).toBe('string');
          expect(g.keys.length).toBeGreaterThan(0);
        }
      }),
      runs(1000),
    );
  });

  it('number, unit and coordinate formatting is total', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), hostileText, anyValue, (a, b, key, v) => {
        expect(typeof formatNumber(a)).toBe('string');
        expect(formatNumber(a)).not.toBe('');
        expect(typeof formatLatLng(a, b)).toBe('string');
        expect(typeof unitFor(key)).toBe('string');
        const geo = asGeoPoint(v);
        if (geo) expect(typeof geo.lat).toBe('number');
      }),
      runs(1500),
    );
  });

  it('connection errors: classified, scrubbed of the secret, explained, whatever was thrown', () => {
    const SECRET = 'SeCrEt-fuzz-key-123456';
    const errorArb = fc.oneof(
      anyValue,
      fc
        .tuple(fc.integer({ min: -1, max: 20 }), hostileText, fc.array(anyValue, { maxLength: 3 }))
        .map(([code, message, causes]) =>
          Object.assign(new Error(`${message} ${SECRET}`, { cause: causes }), { code, rawMessage: SECRET }),
        ),
    );
    fc.assert(
      fc.property(errorArb, hostileText, (error, host) => {
        const problem = classifyConnectionError(error, [SECRET]);
        expect(['auth', 'not-found', 'unreachable', 'unknown']).toContain(problem.kind);
        expect(problem.detail).not.toContain(SECRET);
        const e = explainConnectionProblem(problem, host);
        for (const t of [e.title, e.what, ...e.steps]) expect(typeof t).toBe('string');
        const code = grpcCode(error);
        expect(code === undefined || typeof code === 'number').toBe(true);
      }),
      runs(1500),
    );
  });

  it('summarize survives a value whose getter throws', () => {
    fc.assert(
      fc.property(throwingGetter, (v) => {
        expect(typeof summarize(v)).toBe('string');
      }),
      runs(10),
    );
  });

  it('scrub removes every occurrence of every secret of 4+ characters', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 4 }), fc.string(), (a, secret, b) => {
        expect(scrub(`${a}${secret}${b}${secret}`, [secret])).not.toContain(secret);
      }),
      runs(1000),
    );
  });

  it('summarize and errorMessage: one short line for anything, even cyclic or throwing values', () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: 2, max: 300 }), (v, max) => {
        const s = summarize(v, max);
        expect(typeof s).toBe('string');
        expect(s.length).toBeLessThanOrEqual(max);
        expect(s).not.toMatch(/[\n\r\t]/);
        expect(typeof errorMessage(v)).toBe('string');
      }),
      runs(1500),
    );
  });
});

describe('fuzz: storage data', () => {
  it('layout: any stored text gives a layout of bounded string lists; ordering stays a permutation', () => {
    fc.assert(
      fc.property(
        fc.oneof(storedText, fc.constant(null)),
        fc.boolean(),
        fc.uniqueArray(hostileText, { maxLength: 8 }),
        fc.integer({ min: -10, max: 10 }),
        (text, throws, keys, delta) => {
          const layout = parseLayout(text);
          for (const list of [layout.order, layout.collapsed, layout.hidden]) {
            expect(Array.isArray(list)).toBe(true);
            for (const k of list) expect(typeof k).toBe('string');
          }
          expect(loadLayout(storageWith(text, throws), 'm')).toBeDefined();
          const ordered = orderKeys(keys, layout);
          expect([...ordered].sort()).toEqual([...keys].sort());
          const key = keys[0];
          if (key !== undefined) {
            expect([...orderKeys(keys, moveKey(layout, ordered, key, delta))].sort()).toEqual(
              [...keys].sort(),
            );
          }
        },
      ),
      runs(1500),
    );
  });

  it('card prefs: any stored value reads back as a valid refresh mode and bounded string lists', () => {
    fc.assert(
      fc.property(storedText, fc.boolean(), anyValue, hostileText, (text, throws, v, s) => {
        const storage = storageWith(text, throws);
        expect(readPref(storage, 'k')).not.toBeInstanceOf(Error);
        expect(['off', 'manual', '500', '1000', '5000']).toContain(loadRefreshMode(storage, 'k', '1000'));
        const list = stringList(v);
        expect(list.length).toBeLessThanOrEqual(50);
        for (const x of list) expect(typeof x).toBe('string');
        expect(rememberString(list, s).length).toBeLessThanOrEqual(12);
      }),
      runs(1500),
    );
  });

  it('DoCommand memory: only JSON-object strings survive, bounded, without repeats', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyValue, fc.array(fc.oneof(hostileText, storedText, anyValue), { maxLength: 30 })),
        fc.integer({ min: 1, max: 25 }),
        hostileText,
        (stored, limit, command) => {
          const list = parseCommandList(stored, limit);
          expect(list.length).toBeLessThanOrEqual(limit);
          expect(new Set(list).size).toBe(list.length);
          for (const c of list) {
            const parsed = JSON.parse(c) as unknown;
            expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
          }
          expect(pushHistory(list, command).length).toBeLessThanOrEqual(20);
          expect(toggleFavourite(list, command).length).toBeLessThanOrEqual(Math.max(20, list.length));
          expect(commandLabel(command).length).toBeLessThanOrEqual(60);
        },
      ),
      runs(1500),
    );
  });
});
