import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { commandLogContext } from '../contexts.ts';
import { base, panel } from '../styles/tokens.ts';

/** Every command the app sent: newest first, with latency and outcome; copyable. */
export class CommandLogPanel extends LitElement {
  static override properties = { _copied: { state: true } };
  declare _copied: boolean;

  #unsubscribe: (() => void) | undefined;
  readonly #log = new ContextConsumer(this, {
    context: commandLogContext,
    callback: (log) => {
      this.#unsubscribe?.();
      this.#unsubscribe = log.subscribe(() => this.requestUpdate());
    },
  });

  constructor() {
    super();
    this._copied = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  static override styles = [
    base,
    panel,
    css`
      .head {
        display: flex;
        gap: var(--mc-space-2);
        align-items: center;
      }
      h2 {
        flex: 1;
        font-size: 1rem;
        margin: 0;
      }
      ol {
        list-style: none;
        margin: var(--mc-space-2) 0 0;
        padding: 0;
        max-height: 18rem;
        overflow: auto;
        font-family: var(--mc-font-mono);
        font-size: 0.78rem;
      }
      li {
        padding: 3px 0;
        border-bottom: 1px solid var(--mc-border);
        overflow-wrap: anywhere;
      }
      .error {
        color: var(--mc-danger);
      }
      .pending {
        color: var(--mc-warning);
      }
      .muted {
        color: var(--mc-text-muted);
      }
    `,
  ];

  override render() {
    const entries = this.#log.value?.entries ?? [];
    return html`
      <div class="head">
        <h2 id="log-title">Command log</h2>
        <button data-action="copy-log" ?disabled=${entries.length === 0} @click=${() => void this.#copy()}>
          ${this._copied ? 'Copied' : 'Copy'}
        </button>
        <button
          data-action="clear-log"
          ?disabled=${entries.length === 0}
          @click=${() => this.#log.value?.clear()}
        >
          Clear
        </button>
      </div>
      ${
        entries.length === 0
          ? html`<p class="muted">No commands sent yet.</p>`
          : html`<ol aria-labelledby="log-title" data-command-log>
              ${entries.map(
                (e) =>
                  html`<li data-command=${e.method} data-status=${e.status}>
                    <span class="muted">${new Date(e.at).toLocaleTimeString()}</span>
                    <strong>${e.resource}</strong>.${e.method}(${e.args})
                    ${e.latencyMs === undefined ? nothing : html`<span class="muted">${e.latencyMs.toFixed(0)} ms</span>`}
                    ${
                      e.status === 'error'
                        ? html`<span class="error">✗ ${e.error}</span>`
                        : e.status === 'pending'
                          ? html`<span class="pending">…</span>`
                          : html`✓ ${e.result}`
                    }
                  </li>`,
              )}
            </ol>`
      }
    `;
  }

  async #copy(): Promise<void> {
    const text = this.#log.value?.toText() ?? '';
    try {
      await navigator.clipboard.writeText(text);
      this._copied = true;
      setTimeout(() => (this._copied = false), 1500);
    } catch {
      // Clipboard refused (permissions, insecure context): nothing else to do.
    }
  }
}

customElements.define('command-log-panel', CommandLogPanel);

declare global {
  interface HTMLElementTagNameMap {
    'command-log-panel': CommandLogPanel;
  }
}
