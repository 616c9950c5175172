/** A fixed-capacity FIFO: pushing into a full buffer drops the oldest item. Memory stays flat. */
export class RingBuffer<T> {
  readonly capacity: number;
  readonly #items: (T | undefined)[];
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1, not ${capacity}`);
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.#size;
  }

  push(item: T): void {
    const end = (this.#start + this.#size) % this.capacity;
    this.#items[end] = item;
    if (this.#size < this.capacity) this.#size += 1;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** Drops items from the front while `predicate` holds for the oldest one. */
  dropWhile(predicate: (item: T) => boolean): void {
    while (this.#size > 0) {
      const oldest = this.#items[this.#start] as T;
      if (!predicate(oldest)) return;
      this.#items[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.capacity;
      this.#size -= 1;
    }
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(this.#start + i) % this.capacity] as T);
    return out;
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[(this.#start + this.#size - 1) % this.capacity];
  }
}

/** One poll's numeric values, by series name. */
export interface Sample {
  /** Epoch ms. */
  readonly t: number;
  readonly values: Readonly<Record<string, number>>;
}

/**
 * Aligned data for a time-series chart: x in seconds, then one column per series (null where a
 * sample lacked it).
 */
export type AlignedColumns = [number[], ...(number | null)[][]];

/**
 * The recent history of a card's numeric readings: bounded both by count and by age, so a fast poll
 * and a long session both keep memory flat.
 */
export class SampleHistory {
  readonly windowMs: number;
  readonly maxSeries: number;
  readonly #buffer: RingBuffer<Sample>;
  /** Series names in order of first appearance (bounded by maxSeries). */
  readonly #keys: string[] = [];
  /** Bumped on every change, so views can tell cheaply that they must redraw. */
  version = 0;

  constructor(options: { capacity?: number; windowMs?: number; maxSeries?: number } = {}) {
    this.#buffer = new RingBuffer(options.capacity ?? 600);
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.maxSeries = options.maxSeries ?? 12;
  }

  get length(): number {
    return this.#buffer.length;
  }

  get keys(): readonly string[] {
    return this.#keys;
  }

  add(t: number, values: Readonly<Record<string, number>>): void {
    const kept: Record<string, number> = {};
    for (const [key, value] of Object.entries(values)) {
      if (!Number.isFinite(value)) continue;
      if (!this.#keys.includes(key)) {
        if (this.#keys.length >= this.maxSeries) continue;
        this.#keys.push(key);
      }
      kept[key] = value;
    }
    this.#buffer.push({ t, values: kept });
    this.#buffer.dropWhile((s) => s.t < t - this.windowMs);
    this.version += 1;
  }

  clear(): void {
    this.#buffer.clear();
    this.#keys.length = 0;
    this.version += 1;
  }

  samples(): Sample[] {
    return this.#buffer.toArray();
  }

  /** Columns for a time-series chart, x in seconds since the epoch. */
  aligned(keys: readonly string[] = this.#keys): AlignedColumns {
    const samples = this.#buffer.toArray();
    const xs = samples.map((s) => s.t / 1000);
    const ys = keys.map((k) => samples.map((s) => s.values[k] ?? null));
    return [xs, ...ys];
  }
}
