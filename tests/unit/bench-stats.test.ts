import { describe, expect, it } from 'vitest';
import { eagerScripts } from '../bench/bundle.ts';
import { maxConcurrency, median, pairDelays, percentile, slope } from '../bench/stats.ts';
import { simStalls, stalledWithin } from '../bench/phases/deadman-load.ts';

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

  it("measures how much of a release's time the simulated machine was stalled", () => {
    const stalls = [
      { at: 100, ms: 60, cpuMs: 6 },
      { at: 200, ms: 30, cpuMs: 30 },
      { at: 400, ms: 120, cpuMs: 12 },
    ];
    // Clipped to the window on both sides.
    expect(stalledWithin(stalls, 130, 210)).toBe(30 + 10);
    expect(stalledWithin(stalls, 0, 1000)).toBe(210);
    expect(stalledWithin(stalls, 170, 190)).toBe(0);
    const releases = [
      { at: 95, delay: 70 }, // stalled 60 of 70
      { at: 300, delay: 10 }, // fast
      { at: 380, delay: 90 }, // stalled 70 of 90
      { at: 600, delay: 80 }, // slow, no stall
      { at: 700, delay: Number.POSITIVE_INFINITY }, // missed: not counted as slow here
    ];
    expect(simStalls(stalls, releases)).toEqual({
      over50: 2,
      longestMs: 120,
      cpuShare: 18 / 180,
      slowReleases: 3,
      slowReleasesStalled: 2,
      slowestStalledMs: 70,
    });
  });
});
