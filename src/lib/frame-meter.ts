/** Frames per second over a sliding window of arrival times. Pure: the caller passes the clock. */
export class FrameMeter {
  readonly #windowMs: number;
  readonly #times: number[] = [];
  /** Frames seen since creation (or reset). */
  count = 0;
  /** When the latest frame arrived (ms, caller's clock). */
  lastAt: number | undefined;

  constructor(windowMs = 2000) {
    this.#windowMs = windowMs;
  }

  frame(now: number): void {
    this.count += 1;
    this.lastAt = now;
    this.#times.push(now);
    this.#trim(now);
  }

  /** Frames per second over the window ending at `now`; 0 with fewer than two frames. */
  fps(now: number): number {
    this.#trim(now);
    const first = this.#times[0];
    const last = this.#times.at(-1);
    if (this.#times.length < 2 || first === undefined || last === undefined || last === first) return 0;
    return ((this.#times.length - 1) * 1000) / (last - first);
  }

  reset(): void {
    this.#times.length = 0;
    this.count = 0;
    this.lastAt = undefined;
  }

  #trim(now: number): void {
    while (this.#times.length > 0 && (this.#times[0] ?? now) < now - this.#windowMs) this.#times.shift();
  }
}
