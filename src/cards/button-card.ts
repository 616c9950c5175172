import { ButtonClient, type RobotClient } from '@viamrobotics/sdk';
import { html } from 'lit';
import { base } from '../styles/tokens.ts';
import { CardBase } from './card-base.ts';
import { cardStyles } from './poll-status.ts';

/** Button: push it. */
export class ButtonCard extends CardBase<ButtonClient> {
  protected override createClient(robot: RobotClient, name: string): ButtonClient {
    return new ButtonClient(robot, name);
  }

  static override styles = [base, cardStyles];

  override render() {
    return html`
      <div class="row">
        <button
          class="primary"
          data-action="push"
          ?disabled=${!this.connected}
          @click=${() => void this.act('Push', undefined, (b) => b.push(), { done: () => `Pushed at ${new Date().toLocaleTimeString()}` })}
        >
          Push
        </button>
      </div>
      ${this.renderResult()} ${this.renderDoCommand()}
    `;
  }
}

customElements.define('button-card', ButtonCard);

declare global {
  interface HTMLElementTagNameMap {
    'button-card': ButtonCard;
  }
}
