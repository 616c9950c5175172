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
