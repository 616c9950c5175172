import { describe, expect, it } from 'vitest';
import { eagerScripts } from '../bench/bundle.ts';
import { maxConcurrency, median, pairDelays, percentile, slope } from '../bench/stats.ts';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles and medians of finite values', () => {
    const xs = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(100);
    expect(percentile(xs, 99)).toBe(198);
    expect(percentile([5], 99)).toBe(5);
    expect(median([3, 1, 2, Number.POSITIVE_INFINITY, 4])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('pairs each stimulus with the first response before the next stimulus', () => {
    expect(pairDelays([0, 100, 200], [3, 104, 250], 1)).toEqual([3, 4, 50]);
    expect(pairDelays([0, 100], [150], 1)).toEqual([Number.POSITIVE_INFINITY, 50]);
    // A response a hair early (two readings of one clock) still pairs, within the tolerance.
    expect(pairDelays([10], [9.5], 1)).toEqual([-0.5]);
  });

  it('finds the most intervals open at once per key; touching ones do not overlap', () => {
    const result = maxConcurrency([
      { key: 'a', start: 0, end: 10 },
      { key: 'a', start: 10, end: 20 },
      { key: 'b', start: 0, end: 10 },
      { key: 'b', start: 5, end: 7 },
    ]);
    expect(result.get('a')).toBe(1);
    expect(result.get('b')).toBe(2);
  });

  it('fits a least-squares slope', () => {
    expect(
      slope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toBeCloseTo(2);
  });

  it('reads the module scripts and modulepreloads of built HTML', () => {
    const html = `<script type="module" crossorigin src="./assets/index-a.js"></script>
      <link rel="modulepreload" crossorigin href="./assets/lit-b.js"><link rel="stylesheet" href="./x.css">`;
    expect(eagerScripts(html)).toEqual(['assets/index-a.js', 'assets/lit-b.js']);
  });
});
