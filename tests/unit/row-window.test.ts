import { describe, expect, it } from 'vitest';
import {
  clampWindow,
  coversWindow,
  EMPTY_WINDOW,
  initialWindows,
  lengthInPx,
  rowWindow,
  sameWindow,
} from '../../src/lib/row-window.ts';

const geometry = { count: 500, rowHeight: 60, viewportHeight: 900, marginPx: 600 };

describe('rowWindow', () => {
  it('draws the rows on screen and a margin below when the list starts on screen', () => {
    // The list starts 300 px down: rows 0.. reach 900 + 600 - 300 = 1200 px, 20 rows.
    expect(rowWindow({ ...geometry, listTop: 300 })).toEqual({ start: 0, end: 20 });
  });

  it('draws the margin above once the list is scrolled past', () => {
    // Scrolled 6,000 px into the list: rows from (6000 - 600) / 60 = 90 to (6000 + 1500) / 60 = 125.
    expect(rowWindow({ ...geometry, listTop: -6000 })).toEqual({ start: 90, end: 125 });
  });

  it('keeps partly visible rows at both edges', () => {
    expect(rowWindow({ ...geometry, listTop: -6030, marginPx: 0 })).toEqual({ start: 100, end: 116 });
  });

  it('ends at the last row at the bottom of the list', () => {
    expect(rowWindow({ ...geometry, listTop: -29_500 })).toEqual({ start: 481, end: 500 });
  });

  it('draws nothing for a list far above or below the viewport', () => {
    expect(rowWindow({ ...geometry, listTop: 5000 })).toEqual(EMPTY_WINDOW);
    expect(rowWindow({ ...geometry, count: 10, listTop: -5000 })).toEqual(EMPTY_WINDOW);
  });

  it('draws nothing for an empty list, a zero or unmeasured row height, or a position that is not a number', () => {
    expect(rowWindow({ ...geometry, count: 0, listTop: 0 })).toEqual(EMPTY_WINDOW);
    expect(rowWindow({ ...geometry, rowHeight: 0, listTop: 0 })).toEqual(EMPTY_WINDOW);
    expect(rowWindow({ ...geometry, rowHeight: Number.NaN, listTop: 0 })).toEqual(EMPTY_WINDOW);
    expect(rowWindow({ ...geometry, listTop: Number.NaN })).toEqual(EMPTY_WINDOW);
    expect(rowWindow({ ...geometry, listTop: Number.POSITIVE_INFINITY })).toEqual(EMPTY_WINDOW);
  });
});

describe('initialWindows', () => {
  it('fills the budget from the first list on, and gives the later lists nothing', () => {
    expect(initialWindows([3, 10, 4], 8)).toEqual([{ start: 0, end: 3 }, { start: 0, end: 5 }, EMPTY_WINDOW]);
  });

  it('copes with empty lists and a budget that is not a whole or positive number', () => {
    expect(initialWindows([0, 2], 1.7)).toEqual([EMPTY_WINDOW, { start: 0, end: 1 }]);
    expect(initialWindows([5], -3)).toEqual([EMPTY_WINDOW]);
  });
});

describe('clampWindow and sameWindow', () => {
  it('keeps a window inside a list that shrank', () => {
    expect(clampWindow({ start: 10, end: 40 }, 25)).toEqual({ start: 10, end: 25 });
    expect(clampWindow({ start: 30, end: 40 }, 25)).toEqual(EMPTY_WINDOW);
    expect(clampWindow({ start: 10, end: 40 }, 100)).toEqual({ start: 10, end: 40 });
  });

  it('compares by the rows drawn', () => {
    expect(sameWindow({ start: 1, end: 2 }, { start: 1, end: 2 })).toBe(true);
    expect(sameWindow({ start: 1, end: 2 }, { start: 1, end: 3 })).toBe(false);
  });
});

describe('coversWindow', () => {
  it('is true when every needed row is drawn', () => {
    expect(coversWindow({ start: 0, end: 15 }, { start: 0, end: 11 })).toBe(true);
    expect(coversWindow({ start: 5, end: 20 }, { start: 5, end: 20 })).toBe(true);
  });

  it('is false when a needed row is missing at either end', () => {
    expect(coversWindow({ start: 0, end: 15 }, { start: 0, end: 16 })).toBe(false);
    expect(coversWindow({ start: 3, end: 15 }, { start: 2, end: 10 })).toBe(false);
    expect(coversWindow(EMPTY_WINDOW, { start: 0, end: 1 })).toBe(false);
  });

  it('needs nothing drawn for a list off screen', () => {
    expect(coversWindow(EMPTY_WINDOW, EMPTY_WINDOW)).toBe(true);
    expect(coversWindow({ start: 4, end: 9 }, EMPTY_WINDOW)).toBe(true);
  });
});

describe('lengthInPx', () => {
  it('reads px as it is and rem against the root font size', () => {
    expect(lengthInPx('60px', 16)).toBe(60);
    expect(lengthInPx(' 3.75rem', 16)).toBe(60);
    expect(lengthInPx('7.5rem', 20)).toBe(150);
    expect(lengthInPx('.5rem', 16)).toBe(8);
  });

  it('gives nothing for what it cannot turn into px without a layout', () => {
    for (const value of ['', 'auto', '3.75em', '50%', 'calc(2rem + 4px)', '-60px', '0px', '1e3px', '60'])
      expect(lengthInPx(value, 16), value).toBeUndefined();
    expect(lengthInPx('3.75rem', Number.NaN)).toBeUndefined();
    expect(lengthInPx('3.75rem', 0)).toBeUndefined();
  });
});
