/** Bounded ring of every RPC the machine answered, for tests and the /__sim/calls route. */
export interface CallEntry {
  /** ms since the epoch */
  t: number;
  method: string;
  transport: 'webrtc' | 'grpc-web';
  sessionId?: string;
  summary: string;
  code: number;
  durationMs: number;
}

export class CallLog {
  private readonly entries: CallEntry[] = [];
  private start = 0;

  constructor(private readonly capacity = 5000) {}

  add(entry: CallEntry): void {
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.start] = entry;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Entries oldest first; `since` keeps only those strictly after that time. */
  list(since?: number): CallEntry[] {
    const ordered = [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
    return since === undefined ? ordered : ordered.filter((e) => e.t > since);
  }

  clear(): void {
    this.entries.length = 0;
    this.start = 0;
  }
}
