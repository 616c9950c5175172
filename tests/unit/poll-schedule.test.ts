import { describe, expect, it } from 'vitest';
import { nextPoll, PhaseSpreader } from '../../src/lib/poll-schedule.ts';

describe('nextPoll', () => {
  it('keeps start to start on the rate, from when the poll was due', () => {
    // Due at 1000, answered at 1040: the next starts at 1500.
    expect(nextPoll(1000, 1040, 500)).toEqual({ delayMs: 460, dueAt: 1500 });
  });

  it('does not let a late timer push every later poll back', () => {
    // Ten polls whose timers each fire 30 ms late and whose answers take 20 ms: still 2 Hz.
    let due = 0;
    const starts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = due + 30;
      starts.push(start);
      due = nextPoll(due, start + 20, 500).dueAt;
    }
    expect(starts).toEqual(Array.from({ length: 10 }, (_, i) => 30 + i * 500));
  });

  it('leaves a quarter interval of rest after a slow answer, without a burst to catch up', () => {
    // Due at 0, answered at 1300 (later than the next two would have started): one poll 125 ms later.
    expect(nextPoll(0, 1300, 500)).toEqual({ delayMs: 125, dueAt: 1425 });
    // Answered just before the next was due: still the rest.
    expect(nextPoll(0, 480, 500)).toEqual({ delayMs: 125, dueAt: 605 });
  });
});

describe('PhaseSpreader', () => {
  const largestGap = (shares: readonly number[], interval: number): number => {
    const sorted = [...shares].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((x, i) => x - (sorted[i] ?? x));
    // Around the circle: from the last back to the first, one interval later.
    gaps.push((sorted[0] ?? 0) + interval - (sorted.at(-1) ?? 0));
    return Math.max(...gaps);
  };

  it('spreads loops that start together over the interval, however many there are', () => {
    for (const n of [2, 3, 7, 10, 50, 100, 300]) {
      const spreader = new PhaseSpreader();
      const shares = Array.from({ length: n }, () => spreader.take(500));
      for (const x of shares) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(500);
      }
      // Evenly: no gap between neighbouring phases more than 2.7 times the even share (the golden
      // ratio's three-gap bound), where loops all in step would leave one gap of the whole interval.
      expect(largestGap(shares, 500)).toBeLessThanOrEqual((2.7 * 500) / n);
    }
  });

  it('keeps spreading loops that start later (a card scrolled to, a refresh)', () => {
    const spreader = new PhaseSpreader();
    for (let i = 0; i < 37; i++) spreader.take(500);
    const later = Array.from({ length: 20 }, () => spreader.take(500));
    expect(largestGap(later, 500)).toBeLessThanOrEqual((2.7 * 500) / 20);
  });

  it('scales with the interval it is asked for', () => {
    const a = new PhaseSpreader();
    const b = new PhaseSpreader();
    for (let i = 0; i < 10; i++) expect(b.take(2000)).toBeCloseTo(a.take(500) * 4, 9);
  });
});
