/** Small pure statistics for the benchmark: no dependencies, plain numbers in and out. */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p99: number;
}

/** Nearest-rank percentile (p in 0..100) of the finite values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const finite = values.filter(Number.isFinite);
  return {
    n: finite.length,
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    p99: percentile(finite, 99),
  };
}

/** Least-squares slope of y over x (units of y per unit of x); NaN with fewer than two points. */
export function slope(points: readonly (readonly [number, number])[]): number {
  if (points.length < 2) return Number.NaN;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/**
 * The most intervals open at once, per key: a sweep over [start, end] intervals. An interval that
 * ends exactly when another starts does not overlap it.
 */
export function maxConcurrency(
  intervals: readonly { readonly key: string; readonly start: number; readonly end: number }[],
): Map<string, number> {
  const byKey = new Map<string, { at: number; delta: number }[]>();
  for (const { key, start, end } of intervals) {
    const events = byKey.get(key) ?? [];
    events.push({ at: start, delta: 1 }, { at: Math.max(start, end), delta: -1 });
    byKey.set(key, events);
  }
  const result = new Map<string, number>();
  for (const [key, events] of byKey) {
    // Ends before starts at the same instant.
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let open = 0;
    let most = 0;
    for (const e of events) {
      open += e.delta;
      most = Math.max(most, open);
    }
    result.set(key, most);
  }
  return result;
}

/**
 * Pairs each stimulus time with the first response at or after it (minus `tolerance`) and before the
 * next stimulus; returns the delays (Infinity where no response came).
 */
export function pairDelays(
  stimuli: readonly number[],
  responses: readonly number[],
  tolerance = 0,
): number[] {
  const s = [...stimuli].sort((a, b) => a - b);
  const r = [...responses].sort((a, b) => a - b);
  let j = 0;
  return s.map((at, i) => {
    const next = s[i + 1] ?? Number.POSITIVE_INFINITY;
    while (j < r.length && (r[j] ?? 0) < at - tolerance) j++;
    const hit = r[j];
    if (hit === undefined || hit >= next - tolerance) return Number.POSITIVE_INFINITY;
    j++;
    return hit - at;
  });
}
