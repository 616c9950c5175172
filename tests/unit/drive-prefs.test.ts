import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STALE,
  isStale,
  loadDriveLayout,
  loadStale,
  resolveDrive,
  sanitizeLayout,
  sanitizeStale,
  saveDriveLayout,
  saveStale,
} from '../../src/lib/drive-prefs.ts';

function memoryStore(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  };
}

describe('drive view preferences', () => {
  it('are remembered per machine and read back as written', () => {
    const store = memoryStore();
    saveDriveLayout(store, 'm1', { on: true, cameras: ['c:a', 'c:b'], base: 'b:x' });
    expect(loadDriveLayout(store, 'm1')).toEqual({ on: true, cameras: ['c:a', 'c:b'], base: 'b:x' });
    expect(loadDriveLayout(store, 'm2')).toEqual({ on: false, cameras: [], base: undefined });
  });

  it('read anything stored calmly: junk, wrong types, too many or repeated cameras', () => {
    expect(loadDriveLayout(memoryStore({ 'mc.drive:m': '{not json' }), 'm').on).toBe(false);
    expect(sanitizeLayout({ on: 'yes', cameras: 'cam', base: 7 })).toEqual({
      on: false,
      cameras: [],
      base: undefined,
    });
    expect(sanitizeLayout({ on: true, cameras: ['a', 'a', 'b', 'c', 'd', 'e', 3] }).cameras).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    const throwing = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
    };
    expect(loadStale(throwing)).toEqual(DEFAULT_STALE);
    expect(() => saveStale(throwing, DEFAULT_STALE)).not.toThrow();
  });

  it('keep the stale threshold in range; only an explicit false turns the stop off', () => {
    expect(sanitizeStale({ thresholdMs: 5 })).toEqual({ on: true, thresholdMs: 100 });
    expect(sanitizeStale({ thresholdMs: 1e9 })).toEqual({ on: true, thresholdMs: 5000 });
    expect(sanitizeStale({ thresholdMs: Number.NaN, on: 0 })).toEqual({ on: true, thresholdMs: 500 });
    expect(sanitizeStale({ on: false }).on).toBe(false);
  });

  it('show what the machine still has: gone cameras dropped, else the first camera and base', () => {
    expect(resolveDrive({ on: true, cameras: ['gone'], base: 'gone' }, ['c1', 'c2'], ['b1'])).toEqual({
      cameras: ['c1'],
      base: 'b1',
    });
    expect(
      resolveDrive({ on: true, cameras: ['c2', 'gone', 'c1'], base: 'b2' }, ['c1', 'c2'], ['b1', 'b2']),
    ).toEqual({
      cameras: ['c2', 'c1'],
      base: 'b2',
    });
    expect(resolveDrive({ on: true, cameras: [], base: undefined }, [], [])).toEqual({
      cameras: [],
      base: undefined,
    });
  });
});

describe('isStale', () => {
  const on = { on: true, thresholdMs: 500 };
  it('is stale past the threshold, and before any frame; never when turned off', () => {
    expect(isStale(1000, 1500, on)).toBe(false);
    expect(isStale(1000, 1501, on)).toBe(true);
    expect(isStale(undefined, 0, on)).toBe(true);
    expect(isStale(undefined, 0, { on: false, thresholdMs: 500 })).toBe(false);
  });
});
