import { MotorClient, type RobotClient } from '@viamrobotics/sdk';
import { css, html, nothing } from 'lit';
import { LINK_STALE_MS, MotionGuard } from '../controllers/motion-guard.ts';
import { PollController } from '../controllers/poll-controller.ts';
import { methodSupport, UNSUPPORTED, type Optional } from '../lib/method-support.ts';
import { base } from '../styles/tokens.ts';
import { CardBase, movingRow, numberFrom } from './card-base.ts';
import { holdButton } from '../widgets/hold-button.ts';
import { cardStyles, pollStatusStyles, renderPollStatus, renderUnsupported } from './poll-status.ts';

interface MotorState {
  /** Undefined when the model reports no position (GetProperties says so, or GetPosition is unimplemented). */
  readonly position: number | undefined;
  /** Undefined when the model does not implement IsPowered (micro-RDK's motors, for one). */
  readonly powered: boolean | undefined;
  readonly powerPct: number;
  readonly moving: boolean;
}

/** Motor: hold-to-run at a power, go-for, go-to, set-RPM, reset zero, stop; live position and state. */
export class MotorCard extends CardBase<MotorClient> {
  static override properties = {
    _power: { state: true },
    _rpm: { state: true },
    _revolutions: { state: true },
    _position: { state: true },
    _offset: { state: true },
  };

  declare _power: number;
  declare _rpm: number;
  declare _revolutions: number;
  declare _position: number;
  declare _offset: number;

  readonly #guard = new MotionGuard<number>(this, {
    send: (power) => this.command('SetPower', { powerPct: power }, (m) => m.setPower(power)),
    stop: () => this.command('Stop', undefined, (m) => m.stop()),
    // Checked, not re-sent, so another operator's STOP sticks (see MotionGuardOptions.confirm).
    confirm: async (power) => {
      const robot = this.clientContext.value;
      if (!robot) throw new Error('not connected');
      if (power === 0) return true;
      const m = this.sdk(robot);
      const powered = await methodSupport.call(robot, this.resource?.key ?? '', 'IsPowered', () =>
        m.isPowered(),
      );
      if (powered === UNSUPPORTED) throw new Error('IsPowered is not implemented');
      return powered[0];
    },
  });

  readonly #state = new PollController<MotorState>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => 500,
    task: async (robot) => {
      const m = this.sdk(robot);
      const key = this.resource?.key ?? '';
      // Asked once per connection (the rest of the time it is the cached answer, no call).
      const props = await methodSupport.once(robot, key, 'GetProperties', () => m.getProperties());
      const reports = props === UNSUPPORTED || props === undefined || props.positionReporting;
      const [position, power, moving] = await Promise.all([
        reports
          ? methodSupport.call(robot, key, 'GetPosition', () => m.getPosition())
          : Promise.resolve<Optional<number>>(UNSUPPORTED),
        methodSupport.call(robot, key, 'IsPowered', () => m.isPowered()),
        m.isMoving(),
      ]);
      return {
        position: position === UNSUPPORTED ? undefined : position,
        powered: power === UNSUPPORTED ? undefined : power[0],
        powerPct: power === UNSUPPORTED ? 0 : power[1],
        moving,
      };
    },
  });

  /** No position on this connection: GoTo and "set zero" have nothing to work from. */
  get #noPosition(): boolean {
    return this.#state.value !== undefined && this.#state.value.position === undefined;
  }

  constructor() {
    super();
    this._power = 30;
    this._rpm = 60;
    this._revolutions = 2;
    this._position = 0;
    this._offset = 0;
  }

  protected override createClient(robot: RobotClient, name: string): MotorClient {
    return new MotorClient(robot, name);
  }

  static override styles = [
    base,
    cardStyles,
    pollStatusStyles,
    css`
      input[type='range'] {
        width: 10rem;
      }
    `,
  ];

  #goFor(): void {
    const { _rpm: rpm, _revolutions: revolutions } = this;
    if (!Number.isFinite(rpm) || rpm === 0 || !Number.isFinite(revolutions)) {
      this._result = { status: 'error', text: 'Enter a non-zero RPM and a number of revolutions.' };
      return;
    }
    void this.act('GoFor', { rpm, revolutions }, (m) => m.goFor(rpm, revolutions), {
      guard: this.#guard,
    }).then(() => this.#state.refresh());
  }

  #goTo(): void {
    const { _rpm: rpm, _position: position } = this;
    if (!Number.isFinite(rpm) || rpm === 0 || !Number.isFinite(position)) {
      this._result = { status: 'error', text: 'Enter a non-zero RPM and a target position.' };
      return;
    }
    this.confirmIf(
      true,
      `Turn ${this.resource?.name ?? 'the motor'} to position ${position} rev at ${Math.abs(rpm)} RPM?`,
      () => {
        void this.act('GoTo', { rpm, positionRevolutions: position }, (m) => m.goTo(rpm, position), {
          guard: this.#guard,
        }).then(() => this.#state.refresh());
      },
    );
  }

  #setRpm(): void {
    const rpm = this._rpm;
    if (!Number.isFinite(rpm)) return;
    void this.act('SetRPM', { rpm }, (m) => m.setRPM(rpm), { guard: this.#guard });
  }

  #stop(): void {
    this.#guard.stopNow('button', { send: false });
    void this.act('Stop', undefined, (m) => m.stop());
  }

  override render() {
    const s = this.#state.value;
    const off = !this.motionReady;
    return html`
      <dl class="values">
        <dt>Position</dt>
        <dd data-position=${s?.position === undefined ? '' : String(s.position)}>
          ${s === undefined ? '…' : s.position === undefined ? renderUnsupported('GetPosition', 'Not reported by this model') : `${s.position.toFixed(2)} rev`}
        </dd>
        <dt>Powered</dt>
        <dd data-powered=${s?.powered === undefined ? '' : String(s.powered)}>
          ${s === undefined ? '…' : s.powered === undefined ? renderUnsupported('IsPowered', 'Not reported by this model') : s.powered ? `yes, ${(s.powerPct * 100).toFixed(0)} %` : 'no'}
        </dd>
        ${movingRow(s?.moving)}
      </dl>
      ${renderPollStatus(this.#state)}
      ${
        this.#guard.lastStop?.reason === 'stopped-elsewhere' && !this.#guard.active
          ? html`<p class="muted" role="status" data-stopped-elsewhere>
              Stopped by another client or the machine: press again to run.
            </p>`
          : this.#guard.lastStop?.reason === 'link-stale' && !this.#guard.active
            ? html`<p class="muted" role="status" data-stopped-link>
                Stopped: the machine did not answer for ${LINK_STALE_MS / 1000} s (a poor link). Press again
                to run.
              </p>`
            : nothing
      }
      ${this.renderSessionWait()}
      <div class="row">
        <label
          >Power
          <input
            type="range"
            min="-100"
            max="100"
            step="5"
            data-input="power"
            .value=${String(this._power)}
            @input=${(e: Event) => (this._power = numberFrom(e))}
          />
          <output>${this._power} %</output></label
        >
        ${holdButton({
          guard: this.#guard,
          control: 'run',
          label: 'Hold to run',
          action: 'hold-run',
          disabled: off,
          motion: () => this._power / 100,
        })}
        <button
          class="stop"
          data-action="motor-stop"
          ?disabled=${!this.connected}
          @click=${() => this.#stop()}
        >
          Stop
        </button>
      </div>
      <div class="row">
        <label
          >RPM
          <input
            type="number"
            data-input="rpm"
            .value=${String(this._rpm)}
            @change=${(e: Event) => (this._rpm = numberFrom(e))}
        /></label>
        <label
          >Revolutions
          <input
            type="number"
            data-input="revolutions"
            .value=${String(this._revolutions)}
            @change=${(e: Event) => (this._revolutions = numberFrom(e))}
        /></label>
        <button
          data-action="go-for"
          ?disabled=${off || this.unsupported('GoFor')}
          @click=${() => this.#goFor()}
        >
          Go for
        </button>
        <button
          data-action="set-rpm"
          ?disabled=${off || this.unsupported('SetRPM')}
          @click=${() => this.#setRpm()}
        >
          Set RPM
        </button>
        ${this.unsupported('GoFor') ? renderUnsupported('GoFor', 'Go for: not supported by this model') : ''}
        ${this.unsupported('SetRPM') ? renderUnsupported('SetRPM', 'Set RPM: not supported by this model') : ''}
      </div>
      <div class="row">
        <label
          >Position rev
          <input
            type="number"
            data-input="position"
            .value=${String(this._position)}
            @change=${(e: Event) => (this._position = numberFrom(e))}
        /></label>
        <button
          data-action="go-to"
          ?disabled=${off || this.#noPosition || this.unsupported('GoTo')}
          @click=${() => this.#goTo()}
        >
          Go to
        </button>
        ${
          this.unsupported('GoTo')
            ? renderUnsupported('GoTo', 'Go to: not supported by this model')
            : this.#noPosition
              ? renderUnsupported('GoTo', 'Go to needs position reporting, which this model lacks')
              : ''
        }
      </div>
      ${this.renderConfirm()}
      <div class="row">
        <label
          >Offset rev
          <input
            type="number"
            data-input="offset"
            .value=${String(this._offset)}
            @change=${(e: Event) => (this._offset = numberFrom(e))}
        /></label>
        <button
          data-action="reset-zero"
          ?disabled=${off || this.#noPosition || this.unsupported('ResetZeroPosition')}
          @click=${() => {
            const offset = Number.isFinite(this._offset) ? this._offset : 0;
            void this.act('ResetZeroPosition', { offset }, (m) => m.resetZeroPosition(offset)).then(() =>
              this.#state.refresh(),
            );
          }}
        >
          Set zero here
        </button>
      </div>
      ${this.renderResult()} ${this.renderDoCommand()}
    `;
  }
}

customElements.define('motor-card', MotorCard);

declare global {
  interface HTMLElementTagNameMap {
    'motor-card': MotorCard;
  }
}
