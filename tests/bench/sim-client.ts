/** The bench machine's control API (/__sim/...), and what the benchmark reads from its call log. */
import { SIM_URL } from './stack.ts';

/** One entry of the machine's call log: `t` is completion (epoch ms). */
export interface SimCall {
  readonly t: number;
  readonly method: string;
  readonly transport: 'webrtc' | 'grpc-web';
  readonly sessionId?: string;
  readonly summary: string;
  readonly code: number;
  readonly durationMs: number;
}

/** When the call reached the machine. */
export const arrival = (c: SimCall): number => c.t - c.durationMs;

/** The resource a call addressed (its request's `name`), if any. */
export function resourceOf(c: SimCall): string | undefined {
  const match = /^\{"name":"((?:[^"\\]|\\.)*)"/.exec(c.summary);
  return match?.[1];
}

export const shortMethod = (c: SimCall): string => c.method.slice(c.method.lastIndexOf('/') + 1);

export async function simRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${SIM_URL}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} /__sim/${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export async function simCalls(since?: number): Promise<SimCall[]> {
  const body = await simRequest<{ calls: SimCall[] }>(
    'GET',
    since === undefined ? 'calls' : `calls?since=${since}`,
  );
  return body.calls;
}

export async function resetCalls(): Promise<void> {
  await simRequest('DELETE', 'calls');
}

const keyOf = (c: SimCall): string => `${c.t}|${c.method}|${c.summary}|${c.durationMs}|${c.code}`;

/**
 * Keeps the whole call log of a long window (the machine keeps only its last 5,000 calls): polls it
 * with overlapping `since` windows and adds each call once (as a multiset, so two identical calls
 * both count).
 */
export class CallCollector {
  readonly calls: SimCall[] = [];
  #maxT = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy: Promise<void> = Promise.resolve();

  /** Starts collecting calls completed after `since`. */
  start(since: number, everyMs = 1000): void {
    this.#maxT = since;
    this.#timer = setInterval(() => void this.poll(), everyMs);
  }

  poll(): Promise<void> {
    this.#busy = this.#busy.then(() => this.#poll()).catch(() => undefined);
    return this.#busy;
  }

  async #poll(): Promise<void> {
    const from = this.#maxT - 2;
    const fresh = await simCalls(from);
    const seen = new Map<string, number>();
    for (const c of this.calls) {
      if (c.t <= from) continue;
      const k = keyOf(c);
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    for (const c of fresh) {
      const k = keyOf(c);
      const n = seen.get(k) ?? 0;
      if (n > 0) {
        seen.set(k, n - 1);
        continue;
      }
      this.calls.push(c);
      this.#maxT = Math.max(this.#maxT, c.t);
    }
  }

  async stop(): Promise<SimCall[]> {
    clearInterval(this.#timer);
    await this.poll();
    return this.calls;
  }
}
