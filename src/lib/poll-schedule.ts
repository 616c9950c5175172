/**
 * When a poll loop's next poll starts. The rate the operator picked is start to start (0.5 s is
 * 2 Hz), counted from when each poll was due rather than from when its timer fired: on a busy main
 * thread timers fire late, and counting from the late start pushed every later poll back (100
 * sensors at 0.5 s: 1.78-1.88 Hz each on the bench). A late poll is not caught up in a burst, and a
 * slow answer still leaves the machine a quarter interval's rest before the next.
 *
 * @param dueAt when this poll was due (performance.now() ms)
 * @param now when its answer was handled
 * @returns the delay from now, and when that next poll is due
 */
export function nextPoll(dueAt: number, now: number, intervalMs: number): { delayMs: number; dueAt: number } {
  const delayMs = Math.max(dueAt + intervalMs - now, intervalMs / 4);
  return { delayMs, dueAt: now + delayMs };
}

/** The golden ratio's fractional part: successive multiples of it spread evenly over [0, 1). */
const GOLDEN = 0.6180339887498949;

/**
 * Spreads poll loops that start together over their interval. Every card's first poll goes out as
 * the card is made (a few cards a task, after the camera), and counting start to start from when
 * each was due kept those clumps for good: polls reached the machine in clumps and their answers
 * came back, and were drawn, in clumps (100 sensors at 0.5 s: tasks of 60-75 ms while polling,
 * none over 50 ms spread). Each loop that starts afresh moves its second poll later by its own
 * share of one interval (successive shares spread evenly whatever their number), and keeps that
 * phase after.
 */
export class PhaseSpreader {
  #next = 0;

  /** This loop's delay, a fraction of `intervalMs` in [0, intervalMs). */
  take(intervalMs: number): number {
    const share = this.#next;
    this.#next = (this.#next + GOLDEN) % 1;
    return share * intervalMs;
  }
}
