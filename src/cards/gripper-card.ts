import type { RobotClient } from '@viamrobotics/sdk';
import { html } from 'lit';
import { MotionGuard } from '../controllers/motion-guard.ts';
import { PollController } from '../controllers/poll-controller.ts';
import { methodSupport } from '../lib/method-support.ts';
import { base } from '../styles/tokens.ts';
import { CardBase, movingRow } from './card-base.ts';
import { cardStyles, pollStatusStyles, renderPollStatus } from './poll-status.ts';

/** The SDK's GripperClient drops Grab's `success` and lacks IsHoldingSomething: use the service. */
type GripperService = RobotClient['gripperService'];

interface GripperState {
  readonly moving: boolean;
  readonly holding: boolean | undefined;
}

/** Gripper: open, grab (and whether it grabbed), stop; moving and holding state. */
export class GripperCard extends CardBase<GripperService> {
  readonly #guard = new MotionGuard<never>(this, {
    send: () => Promise.resolve(),
    stop: () => this.command('Stop', undefined, (g) => g.stop({ name: this.#name })),
  });

  readonly #state = new PollController<GripperState>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => 500,
    task: async (robot) => {
      const g = this.sdk(robot);
      const name = this.#name;
      const [moving, holding] = await Promise.all([
        g.isMoving({ name }),
        methodSupport.read(robot, this.resource?.key ?? '', 'IsHoldingSomething', () =>
          g.isHoldingSomething({ name }),
        ),
      ]);
      return { moving: moving.isMoving, holding: holding?.isHoldingSomething };
    },
  });

  get #name(): string {
    return this.resource?.name ?? '';
  }

  protected override createClient(robot: RobotClient): GripperService {
    return robot.gripperService;
  }

  static override styles = [base, cardStyles, pollStatusStyles];

  override render() {
    const s = this.#state.value;
    const off = !this.motionReady;
    const name = this.#name;
    return html`
      <dl class="values">
        ${movingRow(s?.moving)}
        <dt>Holding</dt>
        <dd data-holding=${String(s?.holding ?? '')}>
          ${s?.holding === undefined ? '—' : s.holding ? 'yes' : 'no'}
        </dd>
      </dl>
      ${renderPollStatus(this.#state)} ${this.renderSessionWait()}
      <div class="row">
        <button
          data-action="open"
          ?disabled=${off}
          @click=${() => void this.act('Open', undefined, (g) => g.open({ name }), { guard: this.#guard }).then(() => this.#state.refresh())}
        >
          Open
        </button>
        <button
          data-action="grab"
          ?disabled=${off}
          @click=${() =>
            void this.act('Grab', undefined, (g) => g.grab({ name }), {
              guard: this.#guard,
              done: (r) => (r.success ? 'Grabbed something' : 'Grab closed on nothing'),
            }).then(() => this.#state.refresh())}
        >
          Grab
        </button>
        <button
          class="stop"
          data-action="gripper-stop"
          ?disabled=${!this.connected}
          @click=${() => {
            this.#guard.stopNow('button', { send: false });
            void this.act('Stop', undefined, (g) => g.stop({ name }));
          }}
        >
          Stop
        </button>
      </div>
      ${this.renderResult()} ${this.renderDoCommand()}
    `;
  }
}

customElements.define('gripper-card', GripperCard);

declare global {
  interface HTMLElementTagNameMap {
    'gripper-card': GripperCard;
  }
}
