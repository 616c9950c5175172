import { describe, expect, it } from 'vitest';
import {
  PLOT_MARGIN,
  layoutPlot,
  nearestSample,
  niceStep,
  niceTicks,
  timeLabel,
  timeTicks,
  valueRange,
  xOf,
} from '../../src/lib/plot-geometry.ts';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten, inside the range', () => {
    expect(niceTicks(0, 10, 3)).toEqual([0, 5, 10]);
    expect(niceTicks(0.3, 0.9, 3)).toEqual([0.4, 0.6, 0.8]);
    expect(niceTicks(-7, 13, 4)).toEqual([-5, 0, 5, 10]);
    expect(niceStep(0, 1000, 3)).toBe(500);
    expect(niceStep(0, 0.001, 3)).toBe(0.0005);
  });

  it('never shows floating-point dust', () => {
    for (const t of niceTicks(0.1, 0.7, 6)) expect(String(t).length).toBeLessThanOrEqual(4);
  });

  it('gives nothing for an empty, reversed or unusable range', () => {
    expect(niceTicks(1, 1, 3)).toEqual([]);
    expect(niceTicks(2, 1, 3)).toEqual([]);
    expect(niceTicks(0, Number.NaN, 3)).toEqual([]);
    expect(niceTicks(0, Number.POSITIVE_INFINITY, 3)).toEqual([]);
  });
});

describe('timeTicks', () => {
  it('falls on round clock values', () => {
    expect(timeTicks(1003, 1062, 4)).toEqual([1005, 1020, 1035, 1050]);
    expect(timeTicks(0, 300, 3)).toEqual([0, 120, 240]);
    for (const t of timeTicks(1_700_000_003, 1_700_003_700, 4)) expect(t % 900).toBe(0);
  });

  it('gives nothing for an empty range', () => {
    expect(timeTicks(5, 5, 3)).toEqual([]);
  });
});

describe('valueRange', () => {
  it('spans the finite values of every column', () => {
    expect(
      valueRange([
        [1, null, 3],
        [-2, Number.NaN],
      ]),
    ).toEqual([-2, 3]);
  });
  it('widens a flat series so it sits mid-chart, and has none without values', () => {
    expect(valueRange([[5, 5]])).toEqual([4.75, 5.25]);
    expect(valueRange([[0]])).toEqual([-1, 1]);
    expect(valueRange([[null, null]])).toBeUndefined();
  });
});

describe('layoutPlot', () => {
  const width = 300;
  const height = 120;

  it('maps the time span across the plot area and the values onto whole ticks', () => {
    const layout = layoutPlot(
      [
        [100, 101, 102],
        [0.3, 0.5, 0.9],
      ],
      width,
      height,
    );
    expect(layout.left).toBe(PLOT_MARGIN.left);
    expect(layout.right).toBe(width - PLOT_MARGIN.right);
    expect(layout.yTicks.map((t) => t.value)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    // The lowest tick on the bottom edge, the highest on the top one.
    expect(layout.yTicks[0]?.at).toBe(layout.bottom);
    expect(layout.yTicks.at(-1)?.at).toBe(layout.top);
    expect(layout.paths[0]?.startsWith(`M${layout.left} `)).toBe(true);
    expect(layout.paths[0]?.match(/L/g)).toHaveLength(2);
    expect(xOf(layout, 102)).toBe(layout.right);
    for (const t of layout.xTicks) expect(t.at).toBeGreaterThanOrEqual(layout.left);
  });

  it('breaks a line where a sample lacks the series and across a gap in time', () => {
    const xs = [0, 1, 2, 3, 4, 5, 60, 61];
    const layout = layoutPlot([xs, [1, 2, null, 4, 5, 6, 7, 8]], width, height);
    // Segments: 0-1, 3-5, then 60-61 after the pause.
    expect(layout.paths[0]?.match(/M/g)).toHaveLength(3);
  });

  it('draws one sample, and nothing for a series without values', () => {
    const layout = layoutPlot([[50], [3], [null]], width, height);
    expect(layout.paths[0]).toMatch(/^M[\d.]+ [\d.]+$/);
    expect(layout.paths[1]).toBe('');
  });

  it('has no ticks or lines without data, and survives a tiny width', () => {
    const empty = layoutPlot([[], []], width, height);
    expect(empty.paths).toEqual(['']);
    expect(empty.xTicks).toEqual([]);
    const narrow = layoutPlot(
      [
        [1, 2],
        [1, 2],
      ],
      10,
      10,
    );
    expect(narrow.right).toBeGreaterThan(narrow.left);
    expect(narrow.bottom).toBeGreaterThan(narrow.top);
    expect(narrow.paths[0]).not.toMatch(/NaN|Infinity/);
  });

  it('draws nothing rather than NaN for spans no scale can hold', () => {
    for (const values of [
      [-1e308, 1e308],
      [0, 5e-324],
    ]) {
      const layout = layoutPlot([[0, 1], values], width, height);
      expect(layout.paths).toEqual(['']);
      expect(JSON.stringify(layout)).not.toMatch(/NaN|null/);
    }
  });

  it('keeps hostile values out of the path', () => {
    const layout = layoutPlot(
      [
        [0, 1, 2, 3],
        [1, Number.NaN, Number.POSITIVE_INFINITY, 2],
      ],
      width,
      height,
    );
    expect(layout.paths[0]).not.toMatch(/NaN|Infinity/);
    expect(layout.paths[0]?.match(/M/g)).toHaveLength(2);
  });
});

describe('nearestSample', () => {
  it('finds the sample under the pointer', () => {
    const xs = [10, 11, 12, 13, 14];
    const layout = layoutPlot([xs, [1, 2, 3, 4, 5]], 300, 120);
    expect(nearestSample(xs, layout, layout.left)).toBe(0);
    expect(nearestSample(xs, layout, layout.right)).toBe(4);
    expect(nearestSample(xs, layout, xOf(layout, 12.4))).toBe(2);
    expect(nearestSample(xs, layout, xOf(layout, 12.6))).toBe(3);
    expect(nearestSample(xs, layout, -50)).toBe(0);
    expect(nearestSample([], layout, 100)).toBe(-1);
  });
});

describe('timeLabel', () => {
  it('is a clock time, with seconds when asked', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5).getTime() / 1000;
    expect(timeLabel(t, false)).toBe('03:04');
    expect(timeLabel(t, true)).toBe('03:04:05');
  });
});
