/**
 * The geometry of a small time-series chart, as plain numbers and SVG path strings: scales, "nice"
 * ticks on both axes and one path per series (broken where a sample lacks the series). Pure, so the
 * plot element only lays it out; see reading-plot.ts for why the plots are SVG.
 */
import type { AlignedColumns } from './ring-buffer.ts';

/** Room around the plot area, in px: the y labels on the left, the time labels below. */
export const PLOT_MARGIN = { left: 52, right: 8, top: 6, bottom: 20 } as const;

export interface Tick {
  readonly value: number;
  /** Position along its axis, in px from the chart's origin. */
  readonly at: number;
}

export interface PlotLayout {
  readonly width: number;
  readonly height: number;
  /** The plot area. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  /** The time span across the plot area, seconds since the epoch. */
  readonly t0: number;
  readonly t1: number;
  /** Time ticks (seconds since the epoch) and value ticks. */
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  /** One path per series, in the columns' order ('' when it has no finite value). */
  readonly paths: readonly string[];
}

/**
 * Ticks at 1, 2 or 5 times a power of ten covering [min, max], at most `count` + 1 of them (min and
 * max as given: callers pad a flat range first).
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  return stepTicks(min, max, niceStep(min, max, count));
}

function stepTicks(min: number, max: number, step: number): number[] {
  if (!(step > 0)) return [];
  const ticks: number[] = [];
  // Integer multiples of the step, so 0.1 + 0.2 never shows up as a label.
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++)
    ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** 1, 2 or 5 times a power of ten, about (max - min) / count; 0 for an empty or unusable range. */
export function niceStep(min: number, max: number, count: number): number {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min || count < 1) return 0;
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5].map((m) => m * power).find((s) => s >= rough * (1 - 1e-9)) ?? 10 * power;
}

/** Steps a time axis may take, in seconds: round clock values. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400];

/** Time ticks (seconds) at a round clock step, at most about `count` of them over [min, max]. */
export function timeTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min || count < 1) return [];
  const rough = (max - min) / count;
  const step = TIME_STEPS.find((s) => s >= rough) ?? Math.ceil(rough / 86_400) * 86_400;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t);
  return ticks;
}

/** The finite values' range, widened when flat so a constant series sits mid-chart. */
export function valueRange(columns: readonly (readonly (number | null)[])[]): [number, number] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const column of columns)
    for (const v of column) {
      if (v === null || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (lo > hi) return undefined;
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.05;
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * Lays out a chart of `data` (x in seconds, then one column per series) in width × height px. A
 * series' line is broken where it has no value, and never drawn through a gap of time.
 */
export function layoutPlot(data: AlignedColumns, width: number, height: number): PlotLayout {
  const [xs, ...series] = data;
  const left = PLOT_MARGIN.left;
  const right = Math.max(left + 1, width - PLOT_MARGIN.right);
  const top = PLOT_MARGIN.top;
  const bottom = Math.max(top + 1, height - PLOT_MARGIN.bottom);
  const empty = { width, height, left, right, top, bottom, t0: 0, t1: 1, xTicks: [], yTicks: [] };
  const x0 = xs[0];
  const x1 = xs.at(-1);
  const range = valueRange(series);
  if (x0 === undefined || x1 === undefined || range === undefined)
    return { ...empty, paths: series.map(() => '') };

  // One sample still gets a second of axis, so it has somewhere to be.
  const [t0, t1] = x1 > x0 ? [x0, x1] : [x0 - 1, x0];
  // The value axis widened to whole steps, so the outermost grid lines frame the data.
  const step = niceStep(range[0], range[1], 3);
  const lo = step > 0 ? Math.floor(range[0] / step + 1e-9) * step : range[0];
  const hi = step > 0 ? Math.ceil(range[1] / step - 1e-9) * step : range[1];

  const sx = (right - left) / (t1 - t0);
  const sy = (bottom - top) / (hi - lo);
  // Values no scale can hold (a span past the largest double, or below the smallest) draw nothing:
  // the card's table still shows them.
  if (!Number.isFinite(sx) || !Number.isFinite(sy) || sy <= 0)
    return { ...empty, paths: series.map(() => '') };
  const px = (t: number): number => left + (t - t0) * sx;
  const py = (v: number): number => bottom - (v - lo) * sy;
  // A gap in time longer than a few typical intervals breaks the line (a pause, a reconnect).
  const gap = Math.max(1, medianStep(xs) * 4);

  const paths = series.map((column) => {
    let d = '';
    let pen = false;
    let previous = Number.NaN;
    for (let i = 0; i < xs.length; i++) {
      const v = column[i];
      const t = xs[i] as number;
      if (v === null || v === undefined || !Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const move = !pen || t - previous > gap;
      d += `${move ? 'M' : 'L'}${round(px(t))} ${round(py(v))}`;
      pen = true;
      previous = t;
    }
    return d;
  });
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    t0,
    t1,
    xTicks: timeTicks(t0, t1, Math.max(1, Math.floor((right - left) / 80))).map((value) => ({
      value,
      at: round(px(value)),
    })),
    yTicks: stepTicks(lo, hi, step).map((value) => ({ value, at: round(py(value)) })),
    paths,
  };
}

/** Where time t (seconds) is across a layout, in px. */
export function xOf(layout: PlotLayout, t: number): number {
  return layout.left + ((t - layout.t0) / (layout.t1 - layout.t0)) * (layout.right - layout.left);
}

/** The sample of `xs` (the layout's times) nearest to x px, or -1 when there is none. */
export function nearestSample(xs: readonly number[], layout: PlotLayout, x: number): number {
  if (xs.length === 0) return -1;
  const t = layout.t0 + ((x - layout.left) / (layout.right - layout.left)) * (layout.t1 - layout.t0);
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < t) lo = mid;
    else hi = mid;
  }
  return Math.abs((xs[lo] as number) - t) <= Math.abs((xs[hi] as number) - t) ? lo : hi;
}

function medianStep(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const steps: number[] = [];
  for (let i = 1; i < xs.length; i++) steps.push((xs[i] as number) - (xs[i - 1] as number));
  steps.sort((a, b) => a - b);
  return steps[steps.length >> 1] as number;
}

/** A clock label for a time tick: HH:MM, with seconds when the step needs them. */
export function timeLabel(seconds: number, withSeconds: boolean): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return withSeconds ? `${hm}:${two(d.getSeconds())}` : hm;
}
