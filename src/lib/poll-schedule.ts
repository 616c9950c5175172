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
