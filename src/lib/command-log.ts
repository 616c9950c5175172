import { scrub } from './connection-state.ts';
import { errorMessage, summarize } from './summarize.ts';

export interface CommandEntry {
  readonly id: number;
  /** Epoch ms when sent. */
  readonly at: number;
  readonly resource: string;
  readonly method: string;
  readonly args: string;
  readonly status: 'pending' | 'ok' | 'error';
  readonly latencyMs?: number;
  readonly result?: string;
  readonly error?: string;
}

type Listener = () => void;

/**
 * Every command the app sent to the machine: newest first, bounded, free of secrets. Polls are not
 * commands and are not logged here.
 */
export class CommandLog {
  readonly #limit: number;
  readonly #secrets: () => readonly string[];
  readonly #listeners = new Set<Listener>();
  #entries: CommandEntry[] = [];
  #nextId = 1;

  /**
   * @param options.secrets texts never to show; a function when they change over time (a user's
   *   token the platform refreshes)
   */
  constructor(options: { limit?: number; secrets?: readonly string[] | (() => readonly string[]) } = {}) {
    this.#limit = options.limit ?? 200;
    const secrets = options.secrets ?? [];
    this.#secrets = typeof secrets === 'function' ? secrets : () => secrets;
  }

  get entries(): readonly CommandEntry[] {
    return this.#entries;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs `send`, logging it as `resource.method(args)` with its latency and outcome. Returns (or
   * rethrows) what `send` does.
   */
  async run<T>(resource: string, method: string, args: unknown, send: () => Promise<T>): Promise<T> {
    const id = this.#nextId++;
    const started = performance.now();
    this.#put({
      id,
      at: Date.now(),
      resource: this.#clean(resource, 80),
      method: this.#clean(method, 60),
      args: args === undefined ? '' : this.#clean(summarize(args), 160),
      status: 'pending',
    });
    try {
      const result = await send();
      this.#settle(id, {
        status: 'ok',
        latencyMs: performance.now() - started,
        result: result === undefined ? '' : this.#clean(summarize(result), 160),
      });
      return result;
    } catch (error: unknown) {
      this.#settle(id, {
        status: 'error',
        latencyMs: performance.now() - started,
        error: this.#clean(errorMessage(error), 240),
      });
      throw error;
    }
  }

  clear(): void {
    this.#entries = [];
    this.#emit();
  }

  /** Plain text of the whole log, newest first, for the clipboard. */
  toText(): string {
    return this.#entries
      .map((e) => {
        const time = new Date(e.at).toISOString();
        const latency = e.latencyMs === undefined ? '' : ` ${e.latencyMs.toFixed(1)} ms`;
        const outcome =
          e.status === 'error'
            ? `ERROR ${e.error ?? ''}`
            : e.status === 'ok'
              ? `ok ${e.result ?? ''}`
              : 'pending';
        return `${time} ${e.resource} ${e.method}(${e.args})${latency} ${outcome}`.trimEnd();
      })
      .join('\n');
  }

  #clean(text: string, max: number): string {
    const scrubbed = scrub(text, this.#secrets());
    return scrubbed.length > max ? `${scrubbed.slice(0, max - 1)}…` : scrubbed;
  }

  #put(entry: CommandEntry): void {
    this.#entries = [entry, ...this.#entries].slice(0, this.#limit);
    this.#emit();
  }

  #settle(id: number, patch: Partial<CommandEntry>): void {
    this.#entries = this.#entries.map((e) => (e.id === id ? { ...e, ...patch } : e));
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}
