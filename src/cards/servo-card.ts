import { ServoClient, type RobotClient } from '@viamrobotics/sdk';
import { css, html } from 'lit';
import { MotionGuard } from '../controllers/motion-guard.ts';
import { PollController } from '../controllers/poll-controller.ts';
import { clamp } from '../lib/teleop.ts';
import { base } from '../styles/tokens.ts';
import { CardBase, movingRow, numberFrom } from './card-base.ts';
import { cardStyles, pollStatusStyles, renderPollStatus } from './poll-status.ts';

interface ServoState {
  readonly angle: number;
  readonly moving: boolean;
}

const STEPS = [-10, -1, 1, 10] as const;

/** Servo: angle slider, ±1 / ±10 steps, stop; live angle. */
export class ServoCard extends CardBase<ServoClient> {
  static override properties = { _target: { state: true } };
  declare _target: number | undefined;

  readonly #guard = new MotionGuard<number>(this, {
    send: (angle) => this.command('Move', { angleDeg: angle }, (s) => s.move(angle)),
    stop: () => this.command('Stop', undefined, (s) => s.stop()),
  });

  readonly #state = new PollController<ServoState>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => 500,
    task: async (robot) => {
      const s = this.sdk(robot);
      const [angle, moving] = await Promise.all([s.getPosition(), s.isMoving()]);
      return { angle, moving };
    },
  });

  protected override createClient(robot: RobotClient, name: string): ServoClient {
    return new ServoClient(robot, name);
  }

  static override styles = [
    base,
    cardStyles,
    pollStatusStyles,
    css`
      input[type='range'] {
        width: 12rem;
      }
    `,
  ];

  #move(angle: number): void {
    if (!Number.isFinite(angle)) return;
    const target = Math.round(clamp(angle, 0, 180));
    this._target = target;
    void this.act('Move', { angleDeg: target }, (s) => s.move(target), { guard: this.#guard }).then(() =>
      this.#state.refresh(),
    );
  }

  override render() {
    const s = this.#state.value;
    const off = !this.motionReady;
    const shown = this._target ?? s?.angle ?? 90;
    return html`
      <dl class="values">
        <dt>Angle</dt>
        <dd data-angle=${s ? String(s.angle) : ''}>${s ? `${s.angle}°` : '…'}</dd>
        ${movingRow(s?.moving)}
      </dl>
      ${renderPollStatus(this.#state)} ${this.renderSessionWait()}
      <div class="row">
        <label
          >Target
          <input
            type="range"
            min="0"
            max="180"
            step="1"
            data-input="angle"
            ?disabled=${off}
            .value=${String(shown)}
            @change=${(e: Event) => this.#move(numberFrom(e))}
          />
          <output>${shown}°</output></label
        >
      </div>
      <div class="row" role="group" aria-label="Step">
        ${STEPS.map(
          (step) =>
            html`<button
              data-step=${step}
              ?disabled=${off}
              @click=${() => this.#move((s?.angle ?? shown) + step)}
            >
              ${step > 0 ? `+${step}` : step}°
            </button>`,
        )}
        <button
          class="stop"
          data-action="servo-stop"
          ?disabled=${!this.connected}
          @click=${() => {
            this.#guard.stopNow('button', { send: false });
            void this.act('Stop', undefined, (c) => c.stop());
          }}
        >
          Stop
        </button>
      </div>
      ${this.renderResult()} ${this.renderDoCommand()}
    `;
  }
}

customElements.define('servo-card', ServoCard);

declare global {
  interface HTMLElementTagNameMap {
    'servo-card': ServoCard;
  }
}
