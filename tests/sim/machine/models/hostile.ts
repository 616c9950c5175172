/**
 * Hostile readings for robustness tests, off unless a sensor is configured with `fixed_readings`.
 * JSON cannot spell everything a machine can send, so a few markers expand (all bounded):
 *   "$NaN", "$Infinity", "$-Infinity"        -> those doubles
 *   {"$repeat": "text", "times": n}           -> the text n times (at most MAX_CHARS characters)
 *   {"$deep": n, "leaf": value}               -> value nested n objects deep (n <= MAX_DEPTH)
 * Anything else is returned as is.
 */
import type { JsonObject, JsonValue } from '../config.ts';

const MAX_CHARS = 200_000;
const MAX_DEPTH = 500;

const SPECIAL: Readonly<Record<string, number>> = {
  $NaN: NaN,
  $Infinity: Infinity,
  '$-Infinity': -Infinity,
};

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function expandHostile(value: JsonValue, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) return null;
  if (typeof value === 'string') return Object.hasOwn(SPECIAL, value) ? (SPECIAL[value] ?? value) : value;
  if (Array.isArray(value)) return value.map((v) => expandHostile(v, depth + 1));
  if (!isObject(value)) return value;
  const repeat = value['$repeat'];
  if (typeof repeat === 'string') {
    const times = Math.max(0, Math.floor(Number(value['times'] ?? 1)));
    return repeat.repeat(Math.min(times, Math.floor(MAX_CHARS / Math.max(1, repeat.length))));
  }
  const deep = value['$deep'];
  if (typeof deep === 'number') {
    let out: JsonValue = expandHostile(value['leaf'] ?? null, depth + 1);
    for (let i = 0; i < Math.min(Math.max(0, deep), MAX_DEPTH); i++) out = { [`level${i}`]: out };
    return out;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandHostile(v, depth + 1)]));
}

/** The configured readings, expanded; undefined when the sensor has none configured. */
export function fixedReadings(attributes: JsonObject): JsonObject | undefined {
  const fixed = attributes['fixed_readings'];
  if (!isObject(fixed)) return undefined;
  const out = expandHostile(fixed);
  return isObject(out) ? out : undefined;
}
