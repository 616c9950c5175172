/** Yielding the main thread between parts of a long job (the fleet's list: its decoding and drawing). */
interface YieldingScheduler {
  yield(): Promise<void>;
}

/** Resolves in a new task: scheduler.yield where the browser has it (it keeps the page's priority). */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<YieldingScheduler> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves in a task after the browser's next frame (what changed in the DOM before it is then
 * painted), or after `maxMs` if no frame comes (a hidden tab runs no animation frames).
 */
export function afterPaint(maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxMs);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}
