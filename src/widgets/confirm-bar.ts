import { LitElement, css, html, nothing } from 'lit';
import { setConfirmLargeMotions } from '../lib/motion-prefs.ts';
import { base } from '../styles/tokens.ts';

/** The operator answered a confirmation. */
export class ConfirmEvent extends Event {
  static readonly type = 'confirm-answer';
  constructor(readonly confirmed: boolean) {
    super(ConfirmEvent.type, { bubbles: true, composed: true });
  }
}

/**
 * An inline confirmation for a large motion (no window.confirm: a native dialog steals focus, which
 * the dead-man treats as letting go). Escape still reaches the global stop.
 */
export class ConfirmBar extends LitElement {
  static override properties = { message: { type: String } };
  /** What will happen, in words. */
  declare message: string;

  constructor() {
    super();
    this.message = '';
  }

  static override styles = [
    base,
    css`
      div {
        border: 2px solid var(--mc-warning);
        border-radius: var(--mc-radius);
        padding: var(--mc-space-2) var(--mc-space-3);
        margin-top: var(--mc-space-2);
      }
      p {
        margin: 0 0 var(--mc-space-2);
        overflow-wrap: anywhere;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2);
        align-items: center;
      }
      label {
        font-size: 0.8rem;
        color: var(--mc-text-muted);
      }
    `,
  ];

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('button.primary')?.focus();
  }

  override render() {
    if (this.message === '') return nothing;
    return html`<div role="alertdialog" aria-labelledby="msg" data-confirm>
      <p id="msg">${this.message}</p>
      <div class="row">
        <button
          class="primary"
          data-action="confirm"
          @click=${() => this.dispatchEvent(new ConfirmEvent(true))}
        >
          Go
        </button>
        <button data-action="cancel" @click=${() => this.dispatchEvent(new ConfirmEvent(false))}>
          Cancel
        </button>
        <label
          ><input
            type="checkbox"
            data-action="stop-asking"
            @change=${(e: Event) => setConfirmLargeMotions(!(e.target as HTMLInputElement).checked)}
          />
          Don’t ask again in this browser</label
        >
      </div>
    </div>`;
  }
}

customElements.define('confirm-bar', ConfirmBar);

declare global {
  interface HTMLElementTagNameMap {
    'confirm-bar': ConfirmBar;
  }
  interface HTMLElementEventMap {
    'confirm-answer': ConfirmEvent;
  }
}
