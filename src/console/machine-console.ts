import { ContextProvider } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { CloudAccess } from '../cloud/cloud-access.ts';
import { cloudAddress, signalingAddress } from '../config.ts';
import { cloudContext, commandLogContext, logSummaryContext, machineKeyContext } from '../contexts.ts';
import { ConnectionController } from '../controllers/connection-controller.ts';
import { CommandLog } from '../lib/command-log.ts';
import { readCookieJar } from '../lib/cookie-jar.ts';
import { readCredentials, type CredentialResult } from '../lib/credentials.ts';
import { LogSummary } from '../lib/log-summary.ts';
import { machineNameFromHostname } from '../lib/connection-state.ts';
import { explainConnectionProblem, explainCredentialFailure } from '../lib/explanations.ts';
import { signalStopAll } from '../lib/stop-signal.ts';
import { errorMessage } from '../lib/summarize.ts';
import { base, tokens } from '../styles/tokens.ts';
import type { StopOutcome } from './app-header.ts';
import '../widgets/problem-screen.ts';

/**
 * The app's root. The one data path: URL + cookie -> credentials -> connection controller -> context
 * -> cards. Nothing else reads cookies or creates clients. It also owns the global stop.
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
  static override properties = { _stop: { state: true }, _dashboardFailed: { state: true } };
  declare _stop: StopOutcome | undefined;
  declare _dashboardFailed: boolean;

  readonly #credentials: CredentialResult;
  readonly #connection: ConnectionController | undefined;
  readonly #log: CommandLog;

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
    // Reading is not work: the dial starts in the controller's hostConnected.
    this.#credentials = readCredentials(window.location.pathname, readCookieJar());
    const credentials = this.#credentials.ok ? this.#credentials.credentials : undefined;
    this.#log = new CommandLog({ secrets: credentials ? [credentials.apiKey] : [] });
    new ContextProvider(this, { context: commandLogContext, initialValue: this.#log });
    new ContextProvider(this, {
      context: machineKeyContext,
      initialValue: credentials?.machineId || credentials?.machineKey || '',
    });
    this.#connection = credentials
      ? new ConnectionController(this, { credentials, signalingAddress })
      : undefined;
    // The cloud (logs, cloud facts) with the same key; nothing is loaded or asked until a panel needs it.
    new ContextProvider(this, {
      context: cloudContext,
      initialValue:
        credentials && credentials.machineId !== ''
          ? new CloudAccess({
              machineId: credentials.machineId,
              credential: () => ({
                type: 'api-key',
                authEntity: credentials.apiKeyId,
                payload: credentials.apiKey,
              }),
              secrets: () => [credentials.apiKey],
              cloudAddress,
            })
          : undefined,
    });
    new ContextProvider(this, {
      context: logSummaryContext,
      initialValue: new LogSummary(localStorageOrNone()),
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Capture phase on window: Escape stops everything from anywhere, text fields included.
    window.addEventListener('keydown', this.#onKeyDown, { capture: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#onKeyDown, { capture: true });
    signalStopAll();
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !event.repeat) void this.stopAll();
  };

  /** Ends every local drive loop at once, then asks the machine to stop everything. */
  async stopAll(): Promise<void> {
    signalStopAll();
    const client = this.#connection?.client;
    if (!client || this.#connection.state.phase !== 'connected') {
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
    if (!this.#credentials.ok) {
      return html`<problem-screen
        .explanation=${explainCredentialFailure(this.#credentials.failure)}
      ></problem-screen>`;
    }
    const connection = this.#connection;
    if (!connection) return html``;
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
      </problem-screen>`;
    }
    return html`
      <app-header
        .machineName=${machineNameFromHostname(state.hostname)}
        .stop=${this._stop}
        @stop-all-request=${() => void this.stopAll()}
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
