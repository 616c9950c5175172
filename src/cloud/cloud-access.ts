/**
 * The console's way to Viam's cloud (the app API) for one machine. This module is tiny on purpose
 * and in the first script: it holds the credential source and the machine's id, and waits. The cloud
 * client itself (the SDK's app API, its own chunk) is loaded on first use, and first use waits until
 * the machine has answered its first status: the cloud never competes with it.
 */
import type { CloudAccessOptions, CloudCredentialKind } from '../lib/cloud.ts';
import type { MachineCloud } from './machine-cloud.ts';

/** If the first status never comes (a machine without GetMachineStatus), the cloud starts anyway. */
const FIRST_STATUS_WAIT_MS = 2000;

export class CloudAccess {
  readonly machineId: string;
  readonly options: CloudAccessOptions;
  #answered = false;
  #wake: (() => void) | undefined;
  #ready: Promise<void> | undefined;
  #machine: Promise<MachineCloud> | undefined;

  constructor(options: CloudAccessOptions) {
    this.options = options;
    this.machineId = options.machineId;
  }

  /** Which credential the cloud sees (for the words of a refusal). */
  get credentialKind(): CloudCredentialKind {
    const credential = this.options.credential();
    return 'type' in credential ? credential.type : 'access-token';
  }

  secrets(): readonly string[] {
    return this.options.secrets();
  }

  /** The dashboard calls this when the machine's first status (or its failure) has arrived. */
  machineAnswered(): void {
    this.#answered = true;
    this.#wake?.();
  }

  /** Resolves once the machine answered its first status, or FIRST_STATUS_WAIT_MS after asking. */
  ready(): Promise<void> {
    if (this.#answered) return Promise.resolve();
    this.#ready ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.machineAnswered(), FIRST_STATUS_WAIT_MS);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    return this.#ready;
  }

  /** The machine's cloud side, loaded (code and client) after ready(). */
  machine(): Promise<MachineCloud> {
    this.#machine ??= this.ready()
      .then(() => import('./machine-cloud.ts'))
      .then(({ MachineCloud }) => new MachineCloud(this.options));
    // A chunk that failed to load (network) is tried again next time.
    this.#machine.catch(() => (this.#machine = undefined));
    return this.#machine;
  }

  /** Forget the client made so far: the next call makes one with a fresh credential. */
  renew(): void {
    void this.#machine?.then((m) => m.renew()).catch(() => undefined);
  }
}
