/**
 * The conditions of the simulated machine's network link, per direction: loss, delay, jitter,
 * reordering, a bandwidth cap with a bounded queue, and blackouts (one-off or flapping). Pure: the
 * clock and the random source are passed in, so every figure here is testable without sockets.
 * tests/sim/transport/udp-relay.ts applies them to real datagrams.
 *
 * "up" is browser -> machine, "down" is machine -> browser.
 */

export interface DirectionConditions {
  /** share of datagrams dropped, 0..1 */
  readonly loss: number;
  /** one-way delay, ms */
  readonly delayMs: number;
  /** each datagram's delay is delayMs ± up to this (uniform), ms; it reorders datagrams, as netem's does */
  readonly jitterMs: number;
  /** share of datagrams sent at once, skipping the delay (netem's `reorder`): they overtake the rest */
  readonly reorder: number;
  /** bandwidth cap, kbit/s; 0 = none */
  readonly rateKbps: number;
  /** with a cap: datagrams that would wait longer than this in the queue are dropped (tail drop), ms */
  readonly queueMs: number;
}

export interface LinkSettings {
  readonly up: DirectionConditions;
  readonly down: DirectionConditions;
}

export type Direction = 'up' | 'down';

export const PERFECT: DirectionConditions = {
  loss: 0,
  delayMs: 0,
  jitterMs: 0,
  reorder: 0,
  rateKbps: 0,
  queueMs: 200,
};

/** Valid ranges, as the control API and the `npm run sim` flags check them. */
export const LIMITS: Readonly<Record<keyof DirectionConditions, readonly [number, number]>> = {
  loss: [0, 1],
  delayMs: [0, 10_000],
  jitterMs: [0, 5_000],
  reorder: [0, 1],
  rateKbps: [0, 10_000_000],
  queueMs: [1, 10_000],
};
export const MAX_BLACKOUT_MS = 10 * 60_000;

export class LinkSettingsError extends Error {}

function checkDirection(value: unknown, where: string, base: DirectionConditions): DirectionConditions {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LinkSettingsError(`${where} must be an object`);
  const out: Record<string, number> = { ...base };
  for (const [key, raw] of Object.entries(value)) {
    const limits = LIMITS[key as keyof DirectionConditions] as readonly [number, number] | undefined;
    if (!limits)
      throw new LinkSettingsError(
        `${where}.${key} is not a link setting (${Object.keys(LIMITS).join(', ')})`,
      );
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < limits[0] || raw > limits[1])
      throw new LinkSettingsError(`${where}.${key} must be a number from ${limits[0]} to ${limits[1]}`);
    out[key] = raw;
  }
  const result = out as unknown as DirectionConditions;
  if (result.jitterMs > result.delayMs && result.jitterMs > 0)
    throw new LinkSettingsError(
      `${where}.jitterMs must not exceed ${where}.delayMs (a delay cannot be negative)`,
    );
  return result;
}

/**
 * Settings from a control-API body or flags: `{up?, down?, both?}`, each a partial
 * DirectionConditions over the current ones (both applies to each direction, then up/down on top).
 * Throws LinkSettingsError with the offending field.
 */
export function parseLinkSettings(body: unknown, current: LinkSettings): LinkSettings {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new LinkSettingsError('the body must be {up?, down?, both?}');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b))
    if (key !== 'up' && key !== 'down' && key !== 'both')
      throw new LinkSettingsError(`"${key}" is not a direction (up, down, both)`);
  let up = current.up;
  let down = current.down;
  if (b['both'] !== undefined) {
    up = checkDirection(b['both'], 'both', up);
    down = checkDirection(b['both'], 'both', down);
  }
  if (b['up'] !== undefined) up = checkDirection(b['up'], 'up', up);
  if (b['down'] !== undefined) down = checkDirection(b['down'], 'down', down);
  return { up, down };
}

export interface Flap {
  /** link up this long, then down `downMs`, repeating, ms */
  readonly upMs: number;
  readonly downMs: number;
  readonly from: number;
  readonly until: number;
}

export interface DirectionCounters {
  received: number;
  forwarded: number;
  bytes: number;
  droppedLoss: number;
  droppedBlackout: number;
  droppedQueue: number;
  reordered: number;
}

const zeroCounters = (): DirectionCounters => ({
  received: 0,
  forwarded: 0,
  bytes: 0,
  droppedLoss: 0,
  droppedBlackout: 0,
  droppedQueue: 0,
  reordered: 0,
});

/** What to do with one datagram: drop it, or send it `afterMs` from now. */
export type Verdict =
  | { readonly drop: 'loss' | 'blackout' | 'queue' }
  | { readonly afterMs: number; readonly reordered: boolean };

/**
 * One machine's link: the settings, blackouts, and the per-direction queue state of the bandwidth
 * cap. Shared by every connection to that machine (one radio, one link).
 */
export class LinkConditions {
  #settings: LinkSettings = { up: PERFECT, down: PERFECT };
  #blackoutUntil = 0;
  #flap: Flap | undefined;
  /** When the capped link is next free to start sending, per direction (epoch ms). */
  readonly #freeAt: Record<Direction, number> = { up: 0, down: 0 };
  readonly counters: Record<Direction, DirectionCounters> = { up: zeroCounters(), down: zeroCounters() };
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(options: { now?: () => number; random?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  get settings(): LinkSettings {
    return this.#settings;
  }

  /** Applies a control-API body over the current settings (throws LinkSettingsError, changing nothing). */
  update(body: unknown): LinkSettings {
    this.#settings = parseLinkSettings(body, this.#settings);
    return this.#settings;
  }

  /** Perfect again: no impairment, no blackout, counters kept. */
  reset(): void {
    this.#settings = { up: PERFECT, down: PERFECT };
    this.#blackoutUntil = 0;
    this.#flap = undefined;
  }

  /** Nothing gets through either way for `ms` from now (0 ends a blackout). */
  blackout(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_BLACKOUT_MS)
      throw new LinkSettingsError(`ms must be a number from 0 to ${MAX_BLACKOUT_MS}`);
    this.#blackoutUntil = this.#now() + ms;
  }

  /** The link goes up `upMs`, down `downMs`, again and again, for `forMs` from now. */
  flap(upMs: number, downMs: number, forMs: number): void {
    for (const [name, v, min] of [
      ['upMs', upMs, 1],
      ['downMs', downMs, 1],
      ['forMs', forMs, 1],
    ] as const) {
      if (!Number.isFinite(v) || v < min || v > MAX_BLACKOUT_MS)
        throw new LinkSettingsError(`${name} must be a number from ${min} to ${MAX_BLACKOUT_MS}`);
    }
    const from = this.#now();
    this.#flap = { upMs, downMs, from, until: from + forMs };
  }

  isDown(at = this.#now()): boolean {
    if (at < this.#blackoutUntil) return true;
    const f = this.#flap;
    if (!f || at >= f.until || at < f.from) return false;
    return (at - f.from) % (f.upMs + f.downMs) >= f.upMs;
  }

  status(): unknown {
    const now = this.#now();
    return {
      settings: this.#settings,
      down: this.isDown(now),
      blackoutForMs: Math.max(0, this.#blackoutUntil - now),
      flap:
        this.#flap && now < this.#flap.until ? { ...this.#flap, remainingMs: this.#flap.until - now } : null,
      counters: this.counters,
    };
  }

  /** The fate of one datagram of `bytes` going `direction` now. */
  admit(direction: Direction, bytes: number): Verdict {
    const now = this.#now();
    const c = this.#settings[direction];
    const counters = this.counters[direction];
    counters.received += 1;
    if (this.isDown(now)) {
      counters.droppedBlackout += 1;
      return { drop: 'blackout' };
    }
    if (c.loss > 0 && this.#random() < c.loss) {
      counters.droppedLoss += 1;
      return { drop: 'loss' };
    }
    let departs = now;
    if (c.rateKbps > 0) {
      const start = Math.max(now, this.#freeAt[direction]);
      if (start - now > c.queueMs) {
        counters.droppedQueue += 1;
        return { drop: 'queue' };
      }
      // Serialisation: bits over the cap, in ms.
      departs = start + (bytes * 8) / c.rateKbps;
      this.#freeAt[direction] = departs;
    }
    const reordered = c.reorder > 0 && c.delayMs > 0 && this.#random() < c.reorder;
    let delay = 0;
    if (!reordered && c.delayMs > 0) {
      const spread = c.jitterMs > 0 ? (this.#random() * 2 - 1) * c.jitterMs : 0;
      delay = Math.max(0, c.delayMs + spread);
    }
    if (reordered) counters.reordered += 1;
    return { afterMs: departs - now + delay, reordered };
  }

  /** A datagram left the relay (counted when it is actually sent). */
  sent(direction: Direction, bytes: number): void {
    const counters = this.counters[direction];
    counters.forwarded += 1;
    counters.bytes += bytes;
  }

  /** Whether a datagram released now may still go (a blackout that began while it waited drops it). */
  stillUp(direction: Direction): boolean {
    if (!this.isDown()) return true;
    this.counters[direction].droppedBlackout += 1;
    return false;
  }
}
