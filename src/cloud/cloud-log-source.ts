import type { HistoryQuery, LogPage, LogSource } from '../lib/log-feed.ts';
import type { RawLogEntry } from '../lib/logs.ts';
import type { CloudAccess } from './cloud-access.ts';

/**
 * The logs panel's source for a machine in Viam's cloud. Nothing is loaded or asked until the panel
 * asks, and then only once the machine has answered its first status (CloudAccess.ready).
 */
export class CloudLogSource implements LogSource {
  readonly #access: CloudAccess;

  constructor(access: CloudAccess) {
    this.#access = access;
  }

  get credential() {
    return this.#access.credentialKind;
  }

  secrets(): readonly string[] {
    return this.#access.secrets();
  }

  async history(query: HistoryQuery, signal: AbortSignal): Promise<LogPage> {
    return (await this.#access.machine()).history(query, signal);
  }

  async tail(onBatch: (entries: readonly RawLogEntry[]) => void, signal: AbortSignal): Promise<void> {
    const machine = await this.#access.machine();
    if (!signal.aborted) await machine.tail(onBatch, signal);
  }

  renew(): void {
    this.#access.renew();
  }
}
