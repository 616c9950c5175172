import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { commandLogContext, connectionContext, robotClientContext } from '../contexts.ts';
import { elapsedText, MAX_OPERATION_ROWS, toOperationViews, type OperationView } from '../lib/operations.ts';
import { errorMessage } from '../lib/summarize.ts';
import { base, panel } from '../styles/tokens.ts';

/**
 * What runs on the machine now: its operations (from the connection's 1 s check, which asks for
 * them anyway: no call of its own), longest first, this page's marked, each with Cancel
 * (CancelOperation; another client's asks first), and the machine's sessions, this page's marked.
 */
export class OperationsPanel extends LitElement {
  static override properties = {
    _confirming: { state: true },
    _result: { state: true },
  };

  /** The id of another client's operation whose Cancel waits for a yes. */
  declare _confirming: string | undefined;
  declare _result: { readonly ok: boolean; readonly text: string } | undefined;

  readonly #connection = new ContextConsumer(this, { context: connectionContext, subscribe: true });
  readonly #client = new ContextConsumer(this, { context: robotClientContext, subscribe: true });
  readonly #log = new ContextConsumer(this, { context: commandLogContext });

  constructor() {
    super();
    this._confirming = undefined;
    this._result = undefined;
  }

  async #cancel(op: OperationView): Promise<void> {
    this._confirming = undefined;
    const client = this.#client.value;
    const log = this.#log.value;
    if (!client || !log) return;
    try {
      await log.run('machine', 'CancelOperation', { id: op.id }, () => client.cancelOperation(op.id));
      this._result = { ok: true, text: `Cancelled ${op.method}.` };
    } catch (error: unknown) {
      this._result = { ok: false, text: `Could not cancel ${op.method}: ${errorMessage(error)}` };
    }
  }

  static override styles = [
    base,
    panel,
    css`
      h2 {
        font-size: 1rem;
        margin: 0;
      }
      h3 {
        font-size: 0.9rem;
        margin: var(--mc-space-3) 0 var(--mc-space-1);
      }
      ul {
        list-style: none;
        margin: var(--mc-space-2) 0 0;
        padding: 0;
        max-height: 16rem;
        overflow: auto;
        font-size: 0.85rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2);
        align-items: center;
        padding: 3px 0;
        border-bottom: 1px solid var(--mc-border);
        overflow-wrap: anywhere;
      }
      .method {
        flex: 1;
        min-width: 8rem;
        font-family: var(--mc-font-mono);
      }
      .own {
        font-size: 0.75rem;
        padding: 0 6px;
        border-radius: 999px;
        border: 1px solid var(--mc-accent);
      }
      .muted {
        color: var(--mc-text-muted);
      }
      .error {
        color: var(--mc-danger);
      }
      .id {
        font-family: var(--mc-font-mono);
      }
    `,
  ];

  override render() {
    const c = this.#connection.value;
    const connected = c?.phase === 'connected' && this.#client.value !== undefined;
    const ownSession = c?.session?.id ?? '';
    const ops = toOperationViews(c?.operations ?? [], ownSession);
    const shown = ops.slice(0, MAX_OPERATION_ROWS);
    const sessions = c?.sessions ?? [];
    const now = Date.now();
    return html`
      <h2 id="ops-title">Running on the machine (${ops.length})</h2>
      ${
        !connected
          ? html`<p class="muted">Not connected.</p>`
          : ops.length === 0
            ? html`<p class="muted" data-ops-empty>No operations running.</p>`
            : html`<ul aria-labelledby="ops-title" data-operations>
                  ${shown.map(
                    (op) =>
                      html`<li data-operation=${op.method} data-own=${op.own ? 'true' : 'false'}>
                        <span class="method">${op.method}</span>
                        <span class="muted">${elapsedText(op.startedMs, now)}</span>
                        ${op.own ? html`<span class="own">this page</span>` : op.others ? html`<span class="muted">another client</span>` : nothing}
                        ${
                          this._confirming === op.id
                            ? html`<span role="group" aria-label="Confirm cancel">
                                Cancel another client's operation?
                                <button data-action="confirm-cancel" @click=${() => void this.#cancel(op)}>
                                  Cancel it
                                </button>
                                <button @click=${() => (this._confirming = undefined)}>Keep</button>
                              </span>`
                            : html`<button
                                data-action="cancel-operation"
                                @click=${() => (op.own ? void this.#cancel(op) : (this._confirming = op.id))}
                              >
                                Cancel
                              </button>`
                        }
                      </li>`,
                  )}
                </ul>
                ${ops.length > shown.length ? html`<p class="muted" data-ops-more>and ${ops.length - shown.length} more</p>` : nothing}`
      }
      ${this._result ? html`<p class=${this._result.ok ? 'muted' : 'error'} role="status">${this._result.text}</p>` : nothing}
      <h3>Sessions (${sessions.length})</h3>
      ${
        sessions.length === 0
          ? html`<p class="muted">${connected ? 'None known yet.' : 'Not connected.'}</p>`
          : html`<ul data-sessions>
              ${sessions.slice(0, MAX_OPERATION_ROWS).map(
                (s) =>
                  html`<li data-session-own=${s.own ? 'true' : 'false'}>
                    <span class="id">${s.id.slice(0, 8)}</span>
                    ${s.own ? html`<span class="own">this page</span>` : html`<span class="muted">another client</span>`}
                  </li>`,
              )}
            </ul>`
      }
    `;
  }
}

customElements.define('operations-panel', OperationsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'operations-panel': OperationsPanel;
  }
}
