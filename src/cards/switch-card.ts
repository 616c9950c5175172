import { SwitchClient, type RobotClient } from '@viamrobotics/sdk';
import { html } from 'lit';
import { PollController } from '../controllers/poll-controller.ts';
import { base } from '../styles/tokens.ts';
import { CardBase } from './card-base.ts';
import { cardStyles, pollStatusStyles, renderPollStatus } from './poll-status.ts';

interface SwitchState {
  readonly position: number;
  readonly count: number;
  readonly labels: readonly string[];
}

/** Switch: one button per position (from GetNumberOfPositions), the current one pressed. */
export class SwitchCard extends CardBase<SwitchClient> {
  readonly #state = new PollController<SwitchState>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => 1000,
    task: async (robot) => {
      const s = this.sdk(robot);
      const [position, [count, labels]] = await Promise.all([s.getPosition(), s.getNumberOfPositions()]);
      return { position, count: Math.min(Math.max(0, count), 64), labels };
    },
  });

  protected override createClient(robot: RobotClient, name: string): SwitchClient {
    return new SwitchClient(robot, name);
  }

  static override styles = [base, cardStyles, pollStatusStyles];

  override render() {
    const s = this.#state.value;
    const off = !this.connected;
    return html`
      <div class="row" role="group" aria-label="Positions">
        ${
          s
            ? Array.from({ length: s.count }, (_, i) => {
                const label = s.labels[i] ?? '';
                return html`<button
                  data-position=${i}
                  aria-pressed=${s.position === i ? 'true' : 'false'}
                  class=${s.position === i ? 'primary' : ''}
                  ?disabled=${off}
                  @click=${() => void this.act('SetPosition', { position: i }, (c) => c.setPosition(i)).then(() => this.#state.refresh())}
                >
                  ${label === '' ? `Position ${i}` : label}
                </button>`;
              })
            : html`<span>…</span>`
        }
      </div>
      ${renderPollStatus(this.#state)} ${this.renderResult()} ${this.renderDoCommand()}
    `;
  }
}

customElements.define('switch-card', SwitchCard);

declare global {
  interface HTMLElementTagNameMap {
    'switch-card': SwitchCard;
  }
}
