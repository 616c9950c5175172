/** Exponential backoff: base * 2^attempt, capped, with up to 20% jitter so many tabs don't sync up. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(Math.min(maxMs, raw * (1 + 0.2 * random())));
}

/** Resolves with the promise's value, or rejects with a timeout error after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'request'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
