/**
 * Whether the logs panel is open, and what it has counted: shared by the header (a toggle with the
 * counts), the dashboard (which shows the panel) and the panel (which reports). Pure, no DOM; the
 * open state is remembered in this browser (it holds nothing secret).
 */
import type { FeedPhase } from './log-feed.ts';

export interface LogSummaryState {
  readonly open: boolean;
  readonly errors: number;
  readonly warnings: number;
  /** What the panel's feed is doing; 'idle' while closed. */
  readonly phase: FeedPhase;
}

export interface PrefStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const OPEN_KEY = 'viam-console:logs-open';

type Listener = (state: LogSummaryState) => void;

export class LogSummary {
  readonly #storage: PrefStorage | undefined;
  readonly #listeners = new Set<Listener>();
  #state: LogSummaryState;

  constructor(storage?: PrefStorage) {
    this.#storage = storage;
    let open = false;
    try {
      open = storage?.getItem(OPEN_KEY) === '1';
    } catch {
      // Blocked storage: closed, as by default.
    }
    this.#state = { open, errors: 0, warnings: 0, phase: 'idle' };
  }

  get state(): LogSummaryState {
    return this.#state;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  setOpen(open: boolean): void {
    if (open === this.#state.open) return;
    try {
      this.#storage?.setItem(OPEN_KEY, open ? '1' : '0');
    } catch {
      // Not remembered, still applied.
    }
    this.#set(open ? { open } : { open, errors: 0, warnings: 0, phase: 'idle' });
  }

  toggle(): void {
    this.setOpen(!this.#state.open);
  }

  /** The panel's latest counts and phase. */
  report(errors: number, warnings: number, phase: FeedPhase): void {
    const s = this.#state;
    if (!s.open || (s.errors === errors && s.warnings === warnings && s.phase === phase)) return;
    this.#set({ errors, warnings, phase });
  }

  #set(patch: Partial<LogSummaryState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }
}

/** "3 errors · 12 warnings", or '' when there are none. */
export function countsText(counts: { readonly error: number; readonly warn: number }): string {
  const parts: string[] = [];
  if (counts.error > 0) parts.push(`${counts.error} ${counts.error === 1 ? 'error' : 'errors'}`);
  if (counts.warn > 0) parts.push(`${counts.warn} ${counts.warn === 1 ? 'warning' : 'warnings'}`);
  return parts.join(' · ');
}
