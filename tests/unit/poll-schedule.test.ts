import { describe, expect, it } from 'vitest';
import { nextPoll } from '../../src/lib/poll-schedule.ts';

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
