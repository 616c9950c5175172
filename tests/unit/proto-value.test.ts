import { describe, expect, it } from 'vitest';
import { fieldsToJs, valueToJs, type ValueLike } from '../../src/lib/proto-value.ts';

const num = (value: number): ValueLike => ({ kind: { case: 'numberValue', value } });
const str = (value: string): ValueLike => ({ kind: { case: 'stringValue', value } });
const struct = (fields: Record<string, ValueLike>): ValueLike => ({
  kind: { case: 'structValue', value: { fields } },
});
const list = (values: ValueLike[]): ValueLike => ({ kind: { case: 'listValue', value: { values } } });

describe('protobuf Value decoding', () => {
  it('keeps NaN and infinities that JSON cannot spell', () => {
    expect(fieldsToJs({ bad: num(Number.NaN), far: num(Infinity), low: num(-Infinity), ok: num(1) })).toEqual(
      {
        bad: Number.NaN,
        far: Infinity,
        low: -Infinity,
        ok: 1,
      },
    );
  });

  it('decodes every kind, nested', () => {
    const value = struct({
      s: str('x'),
      b: { kind: { case: 'boolValue', value: true } },
      n: { kind: { case: 'nullValue', value: 0 } },
      l: list([num(1), struct({ y: num(2) })]),
      empty: { kind: { case: undefined } },
    });
    expect(valueToJs(value)).toEqual({ s: 'x', b: true, n: null, l: [1, { y: 2 }], empty: null });
  });

  it('cuts off hostile nesting instead of exhausting the stack', () => {
    let deep: ValueLike = num(1);
    for (let i = 0; i < 10_000; i++) deep = list([deep]);
    expect(() => valueToJs(deep)).not.toThrow();
    expect(JSON.stringify(valueToJs(deep))).toContain('nested too deep');
  });

  it('treats __proto__ and friends as plain keys', () => {
    const out = fieldsToJs({ ['__proto__']: num(1), constructor: str('c') });
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out['constructor']).toBe('c');
  });
});
