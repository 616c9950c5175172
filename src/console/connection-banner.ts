import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { connectionContext } from '../contexts.ts';
import { base } from '../styles/tokens.ts';

/** Asked to dial again now. */
export class RetryNowEvent extends Event {
  static readonly type = 'retry-now';
  constructor() {
    super(RetryNowEvent.type, { bubbles: true, composed: true });
  }
}

/** Says, while the machine is lost, that it is lost and what the app is doing about it. */
export class ConnectionBanner extends LitElement {
  readonly #connection = new ContextConsumer(this, { context: connectionContext, subscribe: true });

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      div {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2) var(--mc-space-4);
        align-items: center;
        padding: var(--mc-space-2) var(--mc-space-4);
        background: var(--mc-warning);
        color: #111;
        font-weight: 600;
      }
      p {
        margin: 0;
        flex: 1 1 16rem;
      }
      button {
        background: #fff;
        color: #111;
        border-color: #111;
      }
    `,
  ];

  override render() {
    const c = this.#connection.value;
    if (c?.phase !== 'reconnecting') return nothing;
    return html`<div role="alert" data-banner="connection-lost">
      <p>
        Connection to ${c.hostname} lost. Controls are disabled until it is back.
        Reconnecting${c.attempt ? ` (attempt ${c.attempt})` : ''}…
      </p>
      <button data-action="retry-now" @click=${() => this.dispatchEvent(new RetryNowEvent())}>
        Retry now
      </button>
    </div>`;
  }
}

customElements.define('connection-banner', ConnectionBanner);

declare global {
  interface HTMLElementTagNameMap {
    'connection-banner': ConnectionBanner;
  }
  interface HTMLElementEventMap {
    'retry-now': RetryNowEvent;
  }
}
