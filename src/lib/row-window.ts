/**
 * Which rows of a long list of equal-height rows are drawn: those within the viewport and a margin
 * beyond both of its edges. Pure, so the list element only measures and renders.
 */

/** Rows [start, end) of a list are drawn; the others are space of the right height. */
export interface RowWindow {
  readonly start: number;
  readonly end: number;
}

export const EMPTY_WINDOW: RowWindow = { start: 0, end: 0 };

export interface RowGeometry {
  /** The top of the list's first row, relative to the viewport's top (px; negative when scrolled past). */
  readonly listTop: number;
  readonly count: number;
  /** Every row's height (px), > 0. */
  readonly rowHeight: number;
  readonly viewportHeight: number;
  /** Drawn beyond each edge of the viewport (px), so a scroll or a Tab finds the next rows there. */
  readonly marginPx: number;
}

/** The rows of a list that intersect the viewport grown by the margin; EMPTY_WINDOW when none do. */
export function rowWindow(g: RowGeometry): RowWindow {
  if (!(g.count > 0) || !(g.rowHeight > 0) || !Number.isFinite(g.listTop)) return EMPTY_WINDOW;
  const top = -g.marginPx - g.listTop;
  const bottom = g.viewportHeight + g.marginPx - g.listTop;
  const start = Math.max(0, Math.floor(top / g.rowHeight));
  const end = Math.min(g.count, Math.ceil(bottom / g.rowHeight));
  return end > start ? { start, end } : EMPTY_WINDOW;
}

/**
 * Before anything is measured: the rows that fill `budget` rows' worth of screen from the top of a
 * run of lists of these lengths, in order (the first lists get rows, the later none).
 */
export function initialWindows(counts: readonly number[], budget: number): RowWindow[] {
  let left = Math.max(0, Math.floor(budget));
  return counts.map((count) => {
    const end = Math.min(Math.max(0, count), left);
    left -= end;
    return end > 0 ? { start: 0, end } : EMPTY_WINDOW;
  });
}

export const sameWindow = (a: RowWindow, b: RowWindow): boolean => a.start === b.start && a.end === b.end;

/** Every row of `needed` is among the rows of `drawn` (an empty `needed` is covered by anything). */
export const coversWindow = (drawn: RowWindow, needed: RowWindow): boolean =>
  needed.end <= needed.start || (drawn.start <= needed.start && drawn.end >= needed.end);

/** A window kept within a list that now has `count` rows (it shrank on a refresh or a filter). */
export function clampWindow(w: RowWindow, count: number): RowWindow {
  const end = Math.min(w.end, Math.max(0, count));
  const start = Math.min(w.start, end);
  return end > start ? { start, end } : EMPTY_WINDOW;
}

/**
 * A CSS length written in px or rem (as a stylesheet declares a row's height), in px; undefined for
 * anything else (another unit, a calc(), nothing), or a length that is not a positive finite one.
 */
export function lengthInPx(value: string, rootFontPx: number): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)(px|rem)\s*$/.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]) * (match[2] === 'rem' ? rootFontPx : 1);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
