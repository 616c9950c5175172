import { LitElement, css, html } from 'lit';
import { signalingAddress } from '../config.ts';
import { ConnectionController } from '../controllers/connection-controller.ts';
import { readCookieJar } from '../lib/cookie-jar.ts';
import { readCredentials, type CredentialResult } from '../lib/credentials.ts';
import { explainConnectionProblem, explainCredentialFailure } from '../lib/explanations.ts';
import { base, tokens } from '../styles/tokens.ts';
import './machine-overview.ts';
import './problem-screen.ts';

/**
 * The app's root. The one data path: URL + cookie -> credentials -> connection controller -> context
 * -> what is shown. Nothing else reads cookies or creates clients.
 */
export class MachineConsole extends LitElement {
  readonly #credentials: CredentialResult;
  readonly #connection: ConnectionController | undefined;

  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--mc-bg);
      }
      .connecting {
        display: grid;
        place-items: center;
        min-height: 100vh;
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
    // Reading is not work: the dial starts in the controller's hostConnected.
    this.#credentials = readCredentials(window.location.pathname, readCookieJar());
    this.#connection = this.#credentials.ok
      ? new ConnectionController(this, { credentials: this.#credentials.credentials, signalingAddress })
      : undefined;
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
    switch (state.phase) {
      case 'connecting':
      case 'closed':
        return html`<div class="connecting" role="status" aria-live="polite" data-state="connecting">
          <div>
            <div class="spinner" aria-hidden="true"></div>
            Connecting to <strong>${state.hostname}</strong>…
          </div>
        </div>`;
      case 'failed': {
        const problem = state.problem ?? { kind: 'unknown', detail: '' };
        return html`<problem-screen
          data-state="failed"
          .explanation=${explainConnectionProblem(problem, state.hostname)}
          .detail=${problem.detail}
        >
          <button class="primary" data-action="retry" @click=${() => void connection.connect()}>Retry</button>
        </problem-screen>`;
      }
      case 'connected':
      case 'reconnecting':
        return html`<machine-overview data-state=${state.phase}></machine-overview>`;
    }
  }
}

customElements.define('machine-console', MachineConsole);

declare global {
  interface HTMLElementTagNameMap {
    'machine-console': MachineConsole;
  }
}
