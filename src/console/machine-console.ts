import { ContextProvider } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { CloudAccess } from '../cloud/cloud-access.ts';
import { cloudAddress, signalingAddress } from '../config.ts';
import { cloudContext, commandLogContext, logSummaryContext, machineKeyContext } from '../contexts.ts';
import { ConnectionController } from '../controllers/connection-controller.ts';
import type { EarlyDial } from '../controllers/dial.ts';
import { CommandLog } from '../lib/command-log.ts';
import type { CredentialSource } from '../lib/connection-state.ts';
import { explainConnectionProblem } from '../lib/explanations.ts';
import { LogSummary } from '../lib/log-summary.ts';
import { signalStopAll, STOP_REQUEST_EVENT } from '../lib/stop-signal.ts';
import { errorMessage } from '../lib/summarize.ts';
import { base, tokens } from '../styles/tokens.ts';
import type { StopOutcome } from './app-header.ts';
import '../widgets/problem-screen.ts';

/**
 * The one machine a console shows, and how to reach it. Each app's entry builds it from its own
 * credentials: the machine cookie (single-machine app) or the user's token and the cloud's answer
 * (fleet app).
 */
export interface ConsoleTarget {
  /** The machine's address: the cookie's hostname, or its main part's fqdn. */
  readonly host: string;
  /** Names the machine for the operator's layout choices in this browser (not a secret). */
  readonly machineKey: string;
  /** Shown in the header. */
  readonly displayName: string;
  /** Read for every dial: an API key, or the user's token as the cookie holds it now. */
  readonly credential: CredentialSource;
  /** Texts never to show anywhere (the key or token), read whenever text is cleaned. */
  readonly secrets: () => readonly string[];
  /**
   * The machine's id in Viam's cloud, whose logs and cloud facts the console shows (read with the
   * same credential); without it the console has no cloud side.
   */
  readonly machineId?: string;
  /** A dial of `host` the entry started before this code loaded: the first connection takes it. */
  readonly earlyDial?: EarlyDial;
}

/**
 * The console shell both apps mount: target -> connection controller -> context -> dashboard and
 * cards. It reads no cookies and creates no client itself. It also owns the global stop.
 *
 * @slot nav - navigation shown in the header and on the failure screen (the fleet's "Back")
 */
/**
 * The dashboard (header, banner, status, cards, log) is its own chunk, fetched at once, so it
 * downloads while the machine is being dialled instead of delaying the first script. Its elements
 * upgrade in place when it arrives.
 */
const dashboardModule = import('./machine-dashboard.ts').then(
  () => true,
  () => false,
);

export class MachineConsole extends LitElement {
  static override properties = {
    target: { attribute: false },
    _stop: { state: true },
    _dashboardFailed: { state: true },
  };
  /** The machine to show. Set it before the element is attached; a console serves one machine. */
  declare target: ConsoleTarget | undefined;
  declare _stop: StopOutcome | undefined;
  declare _dashboardFailed: boolean;

  #connection: ConnectionController | undefined;
  readonly #log: CommandLog;
  readonly #machineKey: ContextProvider<typeof machineKeyContext>;
  readonly #cloud: ContextProvider<typeof cloudContext>;

  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--mc-bg);
        color: var(--mc-text);
      }
      .connecting {
        display: grid;
        place-items: center;
        min-height: 60vh;
        color: var(--mc-text-muted);
        text-align: center;
        padding: var(--mc-space-6);
        overflow-wrap: anywhere;
      }
      .spinner {
        width: 2rem;
        height: 2rem;
        margin: 0 auto var(--mc-space-4);
        border-radius: 50%;
        border: 3px solid var(--mc-border);
        border-top-color: var(--mc-accent);
        animation: spin 0.9s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .spinner {
          animation: none;
        }
      }
    `,
  ];

  constructor() {
    super();
    this._dashboardFailed = false;
    void dashboardModule.then((ok) => (this._dashboardFailed = !ok));
    this.#log = new CommandLog({
      secrets: () => [...(this.target?.secrets() ?? []), ...(this.#connection?.secrets ?? [])],
    });
    new ContextProvider(this, { context: commandLogContext, initialValue: this.#log });
    this.#machineKey = new ContextProvider(this, { context: machineKeyContext, initialValue: '' });
    this.#cloud = new ContextProvider(this, { context: cloudContext, initialValue: undefined });
    new ContextProvider(this, {
      context: logSummaryContext,
      initialValue: new LogSummary(localStorageOrNone()),
    });
  }

  override connectedCallback(): void {
    // Before super: the controller is then connected with the others, and dials in hostConnected.
    const target = this.target;
    if (target && !this.#connection) {
      this.#machineKey.setValue(target.machineKey);
      this.#connection = new ConnectionController(this, {
        host: target.host,
        credential: target.credential,
        signalingAddress,
        ...(target.earlyDial ? { earlyDial: target.earlyDial } : {}),
      });
      // The cloud side (logs, cloud facts) with the same credential; nothing is loaded or asked
      // until a panel needs it, and not before the machine's first status.
      if (target.machineId) {
        this.#cloud.setValue(
          new CloudAccess({
            machineId: target.machineId,
            credential: target.credential,
            secrets: target.secrets,
            cloudAddress,
          }),
        );
      }
    }
    super.connectedCallback();
    this.addEventListener('session-lapsed', this.#onSessionLapsed);
    // Capture phase on window: Escape stops everything from anywhere, text fields included.
    window.addEventListener('keydown', this.#onKeyDown, { capture: true });
    window.addEventListener(STOP_REQUEST_EVENT, this.#onStopRequest);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#onKeyDown, { capture: true });
    window.removeEventListener(STOP_REQUEST_EVENT, this.#onStopRequest);
    signalStopAll();
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !event.repeat) void this.stopAll();
  };

  readonly #onStopRequest = (): void => void this.stopAll();

  /** A card's call was answered SESSION_EXPIRED (see SessionLapsedEvent). */
  readonly #onSessionLapsed = (): void => this.#connection?.sessionLapsed();

  /** Ends every local drive loop at once, then asks the machine to stop everything. */
  async stopAll(): Promise<void> {
    signalStopAll();
    const connection = this.#connection;
    const client = connection?.client;
    // A client the machine stopped answering (a missed pulse: "reconnecting") still carries the
    // StopAll: on a slow or lossy link it arrives late rather than never. Only without one is
    // nothing sent.
    if (!client) {
      this._stop = {
        status: 'error',
        message: 'Not connected: local controls stopped; StopAll not sent.',
        at: Date.now(),
      };
      return;
    }
    const at = Date.now();
    this._stop = { status: 'pending', message: 'Stopping…', at };
    try {
      await this.#log.run('machine', 'StopAll', undefined, () => client.stopAll());
      this._stop = { status: 'ok', message: `Stopped (${Date.now() - at} ms)`, at };
    } catch (error: unknown) {
      this._stop = { status: 'error', message: `Stop failed: ${errorMessage(error)}`, at };
    }
  }

  override render() {
    const connection = this.#connection;
    if (!connection || !this.target) return html``;
    const state = connection.state;
    if (state.phase === 'failed') {
      const problem = state.problem ?? { kind: 'unknown', detail: '' };
      return html`<problem-screen
        data-state="failed"
        .explanation=${explainConnectionProblem(problem, state.hostname)}
        .detail=${problem.detail}
      >
        <button class="primary" data-action="retry" @click=${() => connection.connect()}>Retry</button>
        ${state.nextAttemptAt === undefined ? '' : html`<span role="status"> Trying again automatically.</span>`}
        <slot name="nav"></slot>
      </problem-screen>`;
    }
    return html`
      <app-header
        .machineName=${this.target.displayName}
        .stop=${this._stop}
        @stop-all-request=${() => void this.stopAll()}
        ><slot name="nav" slot="nav"></slot
      ></app-header>
      <connection-banner @retry-now=${() => connection.connect()}></connection-banner>
      ${
        state.phase === 'connecting' || state.phase === 'closed'
          ? html`<div class="connecting" role="status" aria-live="polite" data-state="connecting">
              <div>
                <div class="spinner" aria-hidden="true"></div>
                Connecting to <strong>${state.hostname}</strong>…
              </div>
            </div>`
          : this._dashboardFailed
            ? html`<p class="connecting" role="alert">
                Part of the app failed to load. Check the network connection and reload the page.
              </p>`
            : html`<machine-dashboard data-state=${state.phase}></machine-dashboard>`
      }
    `;
  }
}

/** localStorage, unless the browser refuses it (then preferences are simply not remembered). */
function localStorageOrNone(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

customElements.define('machine-console', MachineConsole);

declare global {
  interface HTMLElementTagNameMap {
    'machine-console': MachineConsole;
  }
}
