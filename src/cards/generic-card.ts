import { LitElement, css, html, type PropertyValues } from 'lit';
import '../widgets/do-command-console.ts';
import type { Resource } from '../lib/resources.ts';
import { containUpdate, type CardElement } from './card-element.ts';

/**
 * The card for any API this app has no card for: a module's own API (acme:service:planner), and the
 * ones the SDK knows but this app does not draw yet (audio, navigation, SLAM, motion, ML model). The
 * DoCommand console is how an operator still reaches it.
 */
export class GenericCard extends LitElement implements CardElement {
  static override properties = {
    resource: { attribute: false },
    protoService: { attribute: false },
  };

  declare resource: Resource | undefined;
  declare protoService: string;

  constructor() {
    super();
    this.protoService = '';
  }

  /** A throw while rendering stays in this card: its frame shows why (see containUpdate). */
  protected override update(changed: PropertyValues): void {
    containUpdate(this, () => super.update(changed));
  }

  static override styles = css`
    :host {
      display: block;
    }
    p {
      margin: 0 0 var(--mc-space-2);
      color: var(--mc-text-muted);
      font-size: 0.85rem;
    }
  `;

  override render() {
    return html`
      <p data-no-card>
        No dedicated controls yet for <code>${this.resource?.api ?? ''}</code>: DoCommand reaches it.
      </p>
      <do-command-console .resource=${this.resource} .protoService=${this.protoService}></do-command-console>
    `;
  }
}

customElements.define('generic-card', GenericCard);

declare global {
  interface HTMLElementTagNameMap {
    'generic-card': GenericCard;
  }
}
