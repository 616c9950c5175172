/**
 * Finite-duration moves. State is computed lazily from elapsed time (no ticking); a move also
 * arms one timer so the blocking call (GoFor, MoveToPosition, ...) returns when it ends, as
 * viam-server's do.
 */
export type MoveOutcome = 'done' | 'stopped';

export class MoveTracker {
  private pending:
    { resolve: (o: MoveOutcome) => void; timer: ReturnType<typeof setTimeout> | undefined } | undefined;

  /**
   * Start waiting for a move lasting `durationMs` (Infinity: until stopped). A move already under
   * way is superseded and its caller released as 'stopped'. `onDone` settles the final state.
   */
  begin(durationMs: number, onDone: () => void): Promise<MoveOutcome> {
    this.end('stopped');
    if (durationMs <= 0) {
      onDone();
      return Promise.resolve('done');
    }
    return new Promise<MoveOutcome>((resolve) => {
      const entry: { resolve: (o: MoveOutcome) => void; timer: ReturnType<typeof setTimeout> | undefined } = {
        resolve,
        timer: undefined,
      };
      if (Number.isFinite(durationMs)) {
        entry.timer = setTimeout(
          () => {
            if (this.pending !== entry) return;
            this.pending = undefined;
            onDone();
            resolve('done');
          },
          Math.max(0, Math.ceil(durationMs)),
        );
        entry.timer.unref();
      }
      this.pending = entry;
    });
  }

  get active(): boolean {
    return this.pending !== undefined;
  }

  /** Release the waiting caller (if any) without running onDone. */
  end(outcome: MoveOutcome): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (p.timer !== undefined) clearTimeout(p.timer);
    p.resolve(outcome);
  }
}

/** Linear travel of a vector from `from` to `to`, each axis at its own speed (units per second). */
export class Travel {
  readonly durationMs: number;
  private readonly axisMs: number[];

  constructor(
    readonly from: readonly number[],
    readonly to: readonly number[],
    speeds: readonly number[],
    readonly startedAt: number,
    /** true: all axes arrive together (joint-space move); false: each axis at full speed. */
    coordinated: boolean,
  ) {
    this.axisMs = from.map((f, i) => {
      const s = Math.abs(speeds[i] ?? speeds[0] ?? 1);
      const d = Math.abs((to[i] ?? f) - f);
      return s > 0 ? (d / s) * 1000 : d > 0 ? Infinity : 0;
    });
    this.durationMs = Math.max(0, ...this.axisMs);
    if (coordinated) this.axisMs = this.axisMs.map(() => this.durationMs);
  }

  get endsAt(): number {
    return this.startedAt + this.durationMs;
  }

  at(now: number): number[] {
    const dt = Math.max(0, now - this.startedAt);
    return this.from.map((f, i) => {
      const total = this.axisMs[i] ?? 0;
      const target = this.to[i] ?? f;
      if (total <= 0 || dt >= total) return target;
      return f + (target - f) * (dt / total);
    });
  }

  done(now: number): boolean {
    return now >= this.endsAt;
  }
}
