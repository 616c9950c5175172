import { describe, expect, it } from 'vitest';
import { LogSummary, countsText } from '../../src/lib/log-summary.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe('LogSummary', () => {
  it('is closed by default, remembers being opened, and tells listeners', () => {
    const storage = new MemoryStorage();
    const summary = new LogSummary(storage);
    expect(summary.state.open).toBe(false);
    const seen: boolean[] = [];
    summary.subscribe((s) => seen.push(s.open));
    summary.toggle();
    expect(seen).toEqual([true]);
    expect(new LogSummary(storage).state.open).toBe(true);
  });

  it('takes counts only while open, and forgets them on close', () => {
    const summary = new LogSummary();
    summary.report(3, 1, 'live');
    expect(summary.state.errors).toBe(0);
    summary.setOpen(true);
    summary.report(3, 1, 'live');
    expect(summary.state).toMatchObject({ errors: 3, warnings: 1, phase: 'live' });
    summary.setOpen(false);
    expect(summary.state).toMatchObject({ errors: 0, warnings: 0, phase: 'idle' });
  });

  it('survives storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
    };
    const summary = new LogSummary(throwing);
    summary.setOpen(true);
    expect(summary.state.open).toBe(true);
  });

  it('words the counts', () => {
    expect(countsText({ error: 0, warn: 0 })).toBe('');
    expect(countsText({ error: 1, warn: 0 })).toBe('1 error');
    expect(countsText({ error: 2, warn: 1 })).toBe('2 errors · 1 warning');
  });
});
