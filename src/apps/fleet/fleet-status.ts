import { LitElement, css, html, nothing } from 'lit';
import { formatAge } from '../../lib/time.ts';
import { base } from '../../styles/tokens.ts';

/** A refresh that has waited this long is called slow. */
export const SLOW_AFTER_MS = 4000;

/** Asked to refresh the list now. */
export class RefreshRequestEvent extends Event {
  static readonly type = 'refresh-request';
  constructor() {
    super(RefreshRequestEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * How fresh the list is: its age, a refresh that is taking long, the last refresh's error (the list
 * below is then the last good one). Ticks by itself, so the list does not re-render each second.
 */
export class FleetStatus extends LitElement {
  static override properties = {
    fetchedAt: { attribute: false },
    pendingSince: { attribute: false },
    error: { attribute: false },
  };

  /** Epoch ms of the answer the list shows. */
  declare fetchedAt: number | undefined;
  /** Epoch ms since when a refresh has been waiting. */
  declare pendingSince: number | undefined;
  /** The latest refresh's failure (already free of secrets). */
  declare error: { readonly message: string; readonly at: number } | undefined;

  #ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ticker = setInterval(() => this.requestUpdate(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
  }

  static override styles = [
    base,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--mc-space-2) var(--mc-space-4);
        font-size: 0.9rem;
        color: var(--mc-text-muted);
      }
      p {
        margin: 0;
      }
      .error {
        flex: 1 1 100%;
        color: var(--mc-danger);
        overflow-wrap: anywhere;
      }
      .slow {
        color: var(--mc-warning);
      }
    `,
  ];

  override render() {
    const now = Date.now();
    const age = this.fetchedAt === undefined ? undefined : formatAge(Math.max(0, now - this.fetchedAt));
    const waited = this.pendingSince === undefined ? 0 : now - this.pendingSince;
    return html`
      <p data-updated=${this.fetchedAt ?? ''}>${age === undefined ? 'Not loaded yet' : `Updated ${age}`}</p>
      ${
        waited >= SLOW_AFTER_MS
          ? html`<p class="slow" data-slow>Waiting for Viam’s cloud (${Math.floor(waited / 1000)} s)…</p>`
          : nothing
      }
      <button data-action="refresh" @click=${() => this.dispatchEvent(new RefreshRequestEvent())}>
        Refresh
      </button>
      ${
        this.error
          ? html`<p class="error" role="alert" data-refresh-error>
              The list could not be refreshed ${formatAge(Math.max(0, now - this.error.at))}:
              ${this.error.message}. ${age === undefined ? '' : `It shows Viam’s last answer, from ${age}.`}
            </p>`
          : nothing
      }
    `;
  }
}

customElements.define('fleet-status', FleetStatus);

declare global {
  interface HTMLElementTagNameMap {
    'fleet-status': FleetStatus;
  }
  interface HTMLElementEventMap {
    'refresh-request': RefreshRequestEvent;
  }
}
