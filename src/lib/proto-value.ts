/**
 * google.protobuf.Value -> plain JS, keeping what JSON cannot spell. The SDK's conversion goes
 * through JSON and throws on NaN or ±Infinity ("google.protobuf.Value cannot be NaN or Infinity"),
 * which would cost a sensor card every reading for one odd value; here NaN stays NaN.
 */

export interface ValueLike {
  readonly kind:
    | { readonly case: 'nullValue'; readonly value: unknown }
    | { readonly case: 'numberValue'; readonly value: number }
    | { readonly case: 'stringValue'; readonly value: string }
    | { readonly case: 'boolValue'; readonly value: boolean }
    | {
        readonly case: 'structValue';
        readonly value: { readonly fields: Readonly<Record<string, ValueLike>> };
      }
    | { readonly case: 'listValue'; readonly value: { readonly values: readonly ValueLike[] } }
    | { readonly case: undefined; readonly value?: undefined };
}

/** Deeper than this is cut off (shown as a note), so a hostile machine cannot exhaust the stack. */
const MAX_DEPTH = 64;

export function valueToJs(value: ValueLike | undefined, depth = 0): unknown {
  if (!value) return null;
  if (depth > MAX_DEPTH) return '… (nested too deep)';
  const kind = value.kind;
  switch (kind.case) {
    case 'numberValue':
    case 'stringValue':
    case 'boolValue':
      return kind.value;
    case 'structValue':
      return fieldsToJs(kind.value.fields, depth + 1);
    case 'listValue':
      return kind.value.values.map((v) => valueToJs(v, depth + 1));
    default:
      return null;
  }
}

/** A map of Values (a Struct's fields, a readings map) -> a plain object without a prototype trap. */
export function fieldsToJs(fields: Readonly<Record<string, ValueLike>>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(fields)) {
    Object.defineProperty(out, key, {
      value: valueToJs(v, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
