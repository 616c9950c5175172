import { BaseClient, type RobotClient } from '@viamrobotics/sdk';
import { css, html, nothing } from 'lit';
import { GamepadDrive } from '../controllers/gamepad-drive.ts';
import { LINK_STALE_MS, MotionGuard, type HoldCause } from '../controllers/motion-guard.ts';
import { mappingWarning, PAD_LABELS, padName, padProblem } from '../lib/gamepad.ts';
import { PollController } from '../controllers/poll-controller.ts';
import { methodSupport, UNSUPPORTED } from '../lib/method-support.ts';
import { LARGE_MOTION } from '../lib/motion-prefs.ts';
import {
  clamp,
  driveKey,
  isStill,
  joystickToMotion,
  keysToMotion,
  sameMotion,
  toPower,
  toVelocity,
  type Motion,
} from '../lib/teleop.ts';
import { base } from '../styles/tokens.ts';
import { cardStyles, pollStatusStyles, renderPollStatus, renderUnsupported } from './poll-status.ts';
import { CardBase, movingRow, numberFrom } from './card-base.ts';

type DriveMode = 'power' | 'velocity';

interface BaseInfo {
  readonly moving: boolean;
  /** False when the model does not implement GetProperties; undefined while unknown. */
  readonly properties: boolean | undefined;
  readonly widthMm: number | undefined;
  readonly wheelCircumferenceMm: number | undefined;
}

const PAD: readonly {
  readonly id: string;
  readonly label: string;
  readonly glyph: string;
  readonly motion: Motion;
}[] = [
  { id: 'fl', label: 'Forward left', glyph: '↖', motion: { linear: 1, angular: 1 } },
  { id: 'f', label: 'Forward', glyph: '↑', motion: { linear: 1, angular: 0 } },
  { id: 'fr', label: 'Forward right', glyph: '↗', motion: { linear: 1, angular: -1 } },
  { id: 'l', label: 'Spin left', glyph: '↺', motion: { linear: 0, angular: 1 } },
  { id: 'stop', label: 'Stop', glyph: '■', motion: { linear: 0, angular: 0 } },
  { id: 'r', label: 'Spin right', glyph: '↻', motion: { linear: 0, angular: -1 } },
  { id: 'bl', label: 'Backward left', glyph: '↙', motion: { linear: -1, angular: -1 } },
  { id: 'b', label: 'Backward', glyph: '↓', motion: { linear: -1, angular: 0 } },
  { id: 'br', label: 'Backward right', glyph: '↘', motion: { linear: -1, angular: 1 } },
];

/**
 * Drive a base: armed keyboard (WASD / arrows, combinations arc), a hold-to-drive pad, a joystick,
 * power or velocity, discrete straight moves and spins, stop. Every way of driving goes through the
 * MotionGuard dead-man.
 */
export class BaseCard extends CardBase<BaseClient> {
  static override properties = {
    _armed: { state: true },
    _mode: { state: true },
    _powerPct: { state: true },
    _maxMmPerSec: { state: true },
    _maxDegPerSec: { state: true },
    _distanceMm: { state: true },
    _straightSpeed: { state: true },
    _angleDeg: { state: true },
    _spinSpeed: { state: true },
    _stick: { state: true },
  };

  declare _armed: boolean;
  declare _mode: DriveMode;
  declare _powerPct: number;
  declare _maxMmPerSec: number;
  declare _maxDegPerSec: number;
  declare _distanceMm: number;
  declare _straightSpeed: number;
  declare _angleDeg: number;
  declare _spinSpeed: number;
  /** Joystick knob offset, -1..1 each, while dragged. */
  declare _stick: { x: number; y: number } | undefined;

  readonly #keys = new Set<string>();

  readonly #guard = new MotionGuard<Motion>(this, {
    send: (motion) => this.#sendMotion(motion),
    stop: () => this.command('Stop', undefined, (b) => b.stop()),
    // Not through the command log: a read at 10 Hz while held, not a command. A model without
    // IsMoving is asked once per connection; after that the answer is "unknown" (the hold stands,
    // never re-sent), with no call at all.
    confirm: async () => {
      const robot = this.clientContext.value;
      if (!robot) throw new Error('not connected');
      const b = this.sdk(robot);
      const moving = await methodSupport.call(robot, this.resource?.key ?? '', 'IsMoving', () =>
        b.isMoving(),
      );
      if (moving === UNSUPPORTED) throw new Error('IsMoving is not implemented');
      return moving;
    },
  });

  readonly #pad = new GamepadDrive(this, { guard: this.#guard, ready: () => this.motionReady });

  readonly #info = new PollController<BaseInfo>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => 500,
    task: async (client) => {
      const b = this.sdk(client);
      const [moving, props] = await Promise.all([
        b.isMoving(),
        // Once per connection, whatever the answer: a base without it must not fail every poll.
        methodSupport.once(client, this.resource?.key ?? '', 'GetProperties', () => b.getProperties()),
      ]);
      const known = props !== UNSUPPORTED && props !== undefined ? props : undefined;
      return {
        moving,
        properties: props === UNSUPPORTED ? false : known !== undefined,
        widthMm: known ? known.widthMeters * 1000 : undefined,
        wheelCircumferenceMm: known ? known.wheelCircumferenceMeters * 1000 : undefined,
      };
    },
  });

  constructor() {
    super();
    this._armed = false;
    this._mode = 'power';
    this._powerPct = 50;
    this._maxMmPerSec = 300;
    this._maxDegPerSec = 90;
    this._distanceMm = 300;
    this._straightSpeed = 150;
    this._angleDeg = 90;
    this._spinSpeed = 45;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.#onKeyDown);
    this.addEventListener('keyup', this.#onKeyUp);
    this.addEventListener('focusout', this.#onFocusOut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.#onKeyDown);
    this.removeEventListener('keyup', this.#onKeyUp);
    this.removeEventListener('focusout', this.#onFocusOut);
    this.#keys.clear();
    this._armed = false;
  }

  protected override createClient(robot: RobotClient, name: string): BaseClient {
    return new BaseClient(robot, name);
  }

  /** Send times of the last second's motion commands, for the drive view's read-out. */
  readonly #sentAt: number[] = [];
  #lastSent: string | undefined;

  /**
   * Blocks driving (the drive view's stale-video stop) or lifts the block: what was driving stops,
   * nothing moves while blocked, and a control held through it needs a new press.
   */
  blockMotion(reason: 'video-stale' | undefined): void {
    this.#guard.block(reason);
  }

  /** What this card sends now, for the drive view's heads-up line. */
  get driveReadout(): {
    readonly active: boolean;
    readonly sending: string | undefined;
    readonly perSecond: number;
  } {
    const now = performance.now();
    while (this.#sentAt.length > 0 && (this.#sentAt[0] ?? now) < now - 1000) this.#sentAt.shift();
    return {
      active: this.#guard.active,
      sending: this.#guard.active ? this.#lastSent : undefined,
      perSecond: this.#sentAt.length,
    };
  }

  #sendMotion(motion: Motion): Promise<unknown> {
    this.#sentAt.push(performance.now());
    if (this.#sentAt.length > 200) this.#sentAt.shift();
    if (this._mode === 'velocity') {
      const v = toVelocity(motion, this._maxMmPerSec, this._maxDegPerSec);
      this.#lastSent = `SetVelocity ${v.linear.y} mm/s · ${v.angular.z} °/s`;
      return this.command('SetVelocity', v, (b) => b.setVelocity(v.linear, v.angular));
    }
    const p = toPower(motion, this._powerPct);
    this.#lastSent = `SetPower linear ${p.linear.y.toFixed(2)} · angular ${p.angular.z.toFixed(2)}`;
    return this.command('SetPower', p, (b) => b.setPower(p.linear, p.angular));
  }

  // Keyboard: armed explicitly, OS key repeat ignored, disarmed when focus leaves the card.

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (!this._armed) return;
    const key = driveKey(event.key);
    if (key === undefined) return;
    event.preventDefault();
    if (event.repeat || this.#keys.has(key)) return;
    this.#keys.add(key);
    this.#applyKeys('press');
  };

  readonly #onKeyUp = (event: KeyboardEvent): void => {
    const key = driveKey(event.key);
    if (key === undefined || !this.#keys.delete(key)) return;
    event.preventDefault();
    // Letting go of one of two keys changes the drive; it never restarts one something else stopped.
    this.#applyKeys('change');
  };

  #applyKeys(cause: HoldCause): void {
    const motion = keysToMotion(this.#keys);
    if (isStill(motion)) this.#guard.release('keys');
    else this.#guard.hold('keys', motion, cause);
  }

  readonly #onFocusOut = (event: FocusEvent): void => {
    const next = event.relatedTarget;
    if (next instanceof Node && (next === this || this.contains(next) || this.renderRoot.contains(next)))
      return;
    this.#disarm();
  };

  #disarm(): void {
    if (!this._armed && this.#keys.size === 0) return;
    this._armed = false;
    this.#keys.clear();
    this.#guard.release('keys', 'disarmed');
  }

  // Pad and joystick: pointer events with pointer capture; any way the pointer goes away stops.

  #padDown(event: PointerEvent, motion: Motion): void {
    if (!this.connected) return;
    const target = event.currentTarget as HTMLElement;
    target.setPointerCapture(event.pointerId);
    event.preventDefault();
    if (isStill(motion)) this.#guard.stopNow('button');
    else this.#guard.hold('pad', motion, 'press');
  }

  #padUp = (): void => {
    this.#guard.release('pad', 'pointer');
  };

  #stickMove(event: PointerEvent, cause: HoldCause = 'change'): void {
    const pad = event.currentTarget as HTMLElement;
    const rect = pad.getBoundingClientRect();
    const radius = rect.width / 2;
    const x = clamp((event.clientX - rect.left - radius) / radius, -1.5, 1.5);
    const y = clamp((event.clientY - rect.top - radius) / radius, -1.5, 1.5);
    const r = Math.hypot(x, y);
    this._stick = r > 1 ? { x: x / r, y: y / r } : { x, y };
    const motion = joystickToMotion(x, y);
    const held = this.#lastStickMotion;
    if (held && sameMotion(held, motion)) return;
    this.#lastStickMotion = motion;
    if (isStill(motion)) this.#guard.release('stick', 'pointer');
    else this.#guard.hold('stick', motion, cause);
  }

  #lastStickMotion: Motion | undefined;

  #stickDown(event: PointerEvent): void {
    if (!this.connected) return;
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    event.preventDefault();
    this.#lastStickMotion = undefined;
    this.#stickMove(event, 'press');
  }

  #stickUp = (): void => {
    this._stick = undefined;
    this.#lastStickMotion = undefined;
    this.#guard.release('stick', 'pointer');
  };

  /**
   * The knob follows the pointer through the CSSOM (a style attribute would need 'unsafe-inline' in
   * the Content-Security-Policy).
   */
  override updated(): void {
    const knob = this.renderRoot.querySelector<HTMLElement>('.knob');
    const stick = this._stick;
    if (knob) knob.style.transform = stick ? `translate(${stick.x * 3}rem, ${stick.y * 3}rem)` : '';
  }

  // Discrete moves.

  #moveStraight(): void {
    const distance = this._distanceMm;
    const speed = this._straightSpeed;
    if (!Number.isFinite(distance) || !Number.isFinite(speed) || speed <= 0 || distance === 0) {
      this._result = { status: 'error', text: 'Enter a non-zero distance and a positive speed.' };
      return;
    }
    this.confirmIf(
      Math.abs(distance) > LARGE_MOTION.straightMm,
      `Drive ${distance} mm ${distance > 0 ? 'forward' : 'backward'} at ${speed} mm/s?`,
      () =>
        void this.#discrete('MoveStraight', { distanceMm: distance, mmPerSec: speed }, (b) =>
          b.moveStraight(distance, speed),
        ),
    );
  }

  #spin(): void {
    const angle = this._angleDeg;
    const speed = this._spinSpeed;
    if (!Number.isFinite(angle) || !Number.isFinite(speed) || speed <= 0 || angle === 0) {
      this._result = { status: 'error', text: 'Enter a non-zero angle and a positive speed.' };
      return;
    }
    void this.#discrete('Spin', { angleDeg: angle, degsPerSec: speed }, (b) => b.spin(angle, speed));
  }

  async #discrete(method: string, args: unknown, call: (b: BaseClient) => Promise<void>): Promise<void> {
    await this.act(method, args, call, { guard: this.#guard });
    this.#info.refresh();
  }

  #renderGamepad() {
    const pad = this.#pad;
    const active = pad.active;
    const others = pad.pads.length - (active ? 1 : 0);
    const problem = active ? padProblem(active) : undefined;
    const warning = active ? mappingWarning(active) : undefined;
    const intent = pad.intent;
    const m = intent.motion;
    return html`<fieldset class="gamepad" data-gamepad>
      <legend>Gamepad</legend>
      <div class="row">
        <button
          data-action="gamepad"
          aria-pressed=${pad.on ? 'true' : 'false'}
          ?disabled=${!pad.on && (!this.motionReady || active === undefined)}
          @click=${() => (pad.on ? pad.turnOff() : pad.turnOn())}
        >
          ${pad.on ? 'Stop using gamepad' : 'Drive with gamepad'}
        </button>
        ${
          pad.on
            ? pad.blocked
              ? html`<span class="muted" role="status" data-pad-state="blocked"
                  >Stopped: let go of ${PAD_LABELS.enable} and press it again to drive</span
                >`
              : intent.enabled
                ? html`<span class="armed" role="status" data-pad-state="enabled"
                    >ENABLED · ${m.linear.toFixed(2)} / ${m.angular.toFixed(2)}</span
                  >`
                : html`<span class="muted" data-pad-state="idle">Hold ${PAD_LABELS.enable} to drive</span>`
            : nothing
        }
      </div>
      ${
        active
          ? html`<p class="pad-id" data-pad-id>
              <span class="muted">${others > 0 ? 'Driving with' : 'Connected'}:</span> ${padName(active.id)}
              <span class="muted" data-pad-mapping
                >(${active.mapping === 'standard' ? 'standard' : 'unknown'} mapping)</span
              >
            </p>`
          : html`<p class="muted" data-pad-none>No gamepad. Connect one and press any of its buttons.</p>`
      }
      ${warning ? html`<p class="warn" role="note" data-pad-warning>${warning}</p>` : nothing}
      ${problem ? html`<p class="warn" role="note" data-pad-problem>${problem}</p>` : nothing}
      ${
        others > 0
          ? html`<p class="muted" data-pad-others>
              ${others} more ${others === 1 ? 'pad' : 'pads'} connected, ignored.
            </p>`
          : nothing
      }
      <p class="muted">
        Hold ${PAD_LABELS.enable} and use the left stick or the D-pad; let go of ${PAD_LABELS.enable} to stop.
        ${PAD_LABELS.stop} stops everything.
      </p>
      <div class="row">
        <label
          >Dead zone
          <input
            type="range"
            min="0"
            max="0.5"
            step="0.01"
            data-input="pad-deadzone"
            .value=${String(pad.settings.deadZone)}
            @input=${(e: Event) => pad.setSettings({ deadZone: numberFrom(e) })}
          />
          <output>${pad.settings.deadZone.toFixed(2)}</output></label
        >
        <label
          >Expo
          <input
            type="range"
            min="0"
            max="1"
            step="0.05"
            data-input="pad-expo"
            .value=${String(pad.settings.expo)}
            @input=${(e: Event) => pad.setSettings({ expo: numberFrom(e) })}
          />
          <output>${pad.settings.expo.toFixed(2)}</output></label
        >
      </div>
    </fieldset>`;
  }

  #stopButton(): void {
    this.#keys.clear();
    this.#guard.stopNow('button', { send: false });
    // The operator pressed stop: one goes out whether or not this page thinks the base moves.
    void this.command('Stop', undefined, (b) => b.stop()).catch(() => undefined);
  }

  static override styles = [
    base,
    cardStyles,
    pollStatusStyles,
    css`
      .armed {
        background: var(--mc-danger);
        color: var(--mc-danger-text);
        border-radius: 999px;
        padding: 2px 10px;
        font-weight: 700;
        font-size: 0.8rem;
      }
      .drive {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-4);
        align-items: center;
        margin-top: var(--mc-space-3);
      }
      .pad {
        display: grid;
        grid-template-columns: repeat(3, 2.75rem);
        grid-template-rows: repeat(3, 2.75rem);
        gap: 4px;
        touch-action: none;
      }
      .pad button {
        padding: 0;
        font-size: 1.2rem;
        user-select: none;
        touch-action: none;
      }
      .pad button[data-pad='stop'] {
        color: var(--mc-danger);
      }
      .joystick {
        position: relative;
        width: 8.5rem;
        height: 8.5rem;
        border-radius: 50%;
        border: 2px solid var(--mc-border);
        background: var(--mc-bg);
        touch-action: none;
        cursor: grab;
      }
      /* Set by the drive view on a phone held sideways: over the video, see-through. */
      @container style(--mc-joystick-place: over-video) {
        .joystick {
          position: fixed;
          left: calc(env(safe-area-inset-left, 0px) + 2rem);
          bottom: calc(env(safe-area-inset-bottom, 0px) + 1.5rem);
          z-index: 5;
          background: color-mix(in srgb, var(--mc-bg) 45%, transparent);
        }
      }
      .knob {
        position: absolute;
        width: 2.5rem;
        height: 2.5rem;
        left: calc(50% - 1.25rem);
        top: calc(50% - 1.25rem);
        border-radius: 50%;
        background: var(--mc-accent);
        pointer-events: none;
      }
      .speed input[type='range'] {
        width: 9rem;
      }
      fieldset {
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        margin: var(--mc-space-3) 0 0;
        padding: var(--mc-space-2) var(--mc-space-3);
      }
      legend {
        font-size: 0.85rem;
        color: var(--mc-text-muted);
      }
      button.stop {
        color: var(--mc-danger);
        border-color: var(--mc-danger);
        font-weight: 700;
      }
      details {
        margin-top: var(--mc-space-3);
      }
      .warn {
        color: var(--mc-text);
        border-left: 3px solid var(--mc-warning);
        padding-left: var(--mc-space-2);
      }
      .pad-id {
        overflow-wrap: anywhere;
      }
    `,
  ];

  override render() {
    const connected = this.connected;
    const ready = this.motionReady;
    const info = this.#info.value;
    const velocityOk = (info?.wheelCircumferenceMm ?? 0) > 0;
    const last = this.#guard.lastStop;
    return html`
      <div class="top">
        <button
          data-action="arm"
          aria-pressed=${this._armed ? 'true' : 'false'}
          ?disabled=${this._armed ? !connected : !ready}
          @click=${() => (this._armed ? this.#disarm() : (this._armed = true))}
        >
          ${this._armed ? 'Disarm keyboard' : 'Arm keyboard'}
        </button>
        ${
          this._armed
            ? html`<span class="armed" role="status" data-armed>ARMED · WASD / arrows</span>`
            : html`<span class="muted" data-armed-hint>Keys drive only while armed</span>`
        }
        <button
          class="stop"
          data-action="base-stop"
          ?disabled=${!connected}
          @click=${() => this.#stopButton()}
        >
          Stop
        </button>
      </div>
      ${this.renderSessionWait()}
      ${
        last?.reason === 'stopped-elsewhere' && !this.#guard.active
          ? html`<p class="muted" role="status" data-stopped-elsewhere>
              Stopped by another client or the machine: press again to drive.
            </p>`
          : last?.reason === 'link-stale' && !this.#guard.active
            ? html`<p class="muted" role="status" data-stopped-link>
                Stopped: the machine did not answer for ${LINK_STALE_MS / 1000} s (a poor link). Press again
                to drive.
              </p>`
            : nothing
      }

      <div class="drive">
        <div class="pad" role="group" aria-label="Hold to drive">
          ${PAD.map(
            (p) =>
              html`<button
                data-pad=${p.id}
                aria-label=${p.label}
                ?disabled=${isStill(p.motion) ? !connected : !ready}
                @pointerdown=${(e: PointerEvent) => this.#padDown(e, p.motion)}
                @pointerup=${this.#padUp}
                @pointercancel=${this.#padUp}
                @lostpointercapture=${this.#padUp}
                @contextmenu=${(e: Event) => e.preventDefault()}
              >
                ${p.glyph}
              </button>`,
          )}
        </div>
        <div
          class="joystick"
          data-joystick
          role="application"
          aria-label="Joystick: drag to drive, release to stop"
          @pointerdown=${(e: PointerEvent) => this.#stickDown(e)}
          @pointermove=${(e: PointerEvent) => {
            if (this._stick) this.#stickMove(e);
          }}
          @pointerup=${this.#stickUp}
          @pointercancel=${this.#stickUp}
          @lostpointercapture=${this.#stickUp}
        >
          <div class="knob"></div>
        </div>
      </div>

      <fieldset class="speed">
        <legend>Speed</legend>
        <div class="row">
          <label
            ><input
              type="radio"
              name="mode"
              value="power"
              .checked=${this._mode === 'power'}
              @change=${() => (this._mode = 'power')}
            />
            Power</label
          >
          <label title=${velocityOk ? '' : 'The base reports no wheel size: velocity may be inaccurate'}
            ><input
              type="radio"
              name="mode"
              value="velocity"
              .checked=${this._mode === 'velocity'}
              @change=${() => (this._mode = 'velocity')}
            />
            Velocity</label
          >
        </div>
        ${
          this._mode === 'power'
            ? html`<div class="row">
                <label
                  >Power
                  <input
                    type="range"
                    min="5"
                    max="100"
                    step="5"
                    data-input="power"
                    .value=${String(this._powerPct)}
                    @input=${(e: Event) => (this._powerPct = numberFrom(e))}
                  />
                  <output>${this._powerPct} %</output></label
                >
              </div>`
            : html`<div class="row">
                <label
                  >Linear mm/s
                  <input
                    type="number"
                    min="1"
                    data-input="max-linear"
                    .value=${String(this._maxMmPerSec)}
                    @change=${(e: Event) => (this._maxMmPerSec = Math.max(1, numberFrom(e) || 1))}
                /></label>
                <label
                  >Angular °/s
                  <input
                    type="number"
                    min="1"
                    data-input="max-angular"
                    .value=${String(this._maxDegPerSec)}
                    @change=${(e: Event) => (this._maxDegPerSec = Math.max(1, numberFrom(e) || 1))}
                /></label>
              </div>`
        }
      </fieldset>

      ${this.#renderGamepad()}

      <fieldset>
        <legend>Move</legend>
        <div class="row">
          <label
            >Distance mm
            <input
              type="number"
              data-input="distance"
              .value=${String(this._distanceMm)}
              @change=${(e: Event) => (this._distanceMm = numberFrom(e))}
          /></label>
          <label
            >at mm/s
            <input
              type="number"
              min="1"
              data-input="straight-speed"
              .value=${String(this._straightSpeed)}
              @change=${(e: Event) => (this._straightSpeed = numberFrom(e))}
          /></label>
          <button data-action="move-straight" ?disabled=${!ready} @click=${() => this.#moveStraight()}>
            Move straight
          </button>
        </div>
        <div class="row">
          <label
            >Angle °
            <input
              type="number"
              data-input="angle"
              .value=${String(this._angleDeg)}
              @change=${(e: Event) => (this._angleDeg = numberFrom(e))}
          /></label>
          <label
            >at °/s
            <input
              type="number"
              min="1"
              data-input="spin-speed"
              .value=${String(this._spinSpeed)}
              @change=${(e: Event) => (this._spinSpeed = numberFrom(e))}
          /></label>
          <button data-action="spin" ?disabled=${!ready} @click=${() => this.#spin()}>Spin</button>
        </div>
        ${this.renderConfirm()}
      </fieldset>

      <dl class="values">
        ${movingRow(info?.moving)}
        ${
          info?.widthMm !== undefined
            ? html`<dt>Width</dt>
                <dd>${info.widthMm.toFixed(0)} mm</dd>`
            : info?.properties === false
              ? html`<dt>Size</dt>
                  <dd>${renderUnsupported('GetProperties', 'Not reported by this model')}</dd>`
              : nothing
        }
        ${
          this.#guard.blocked === 'video-stale'
            ? html`<dt>Driving</dt>
                <dd data-drive-blocked>locked: video stale</dd>`
            : nothing
        }
        ${
          last
            ? html`<dt>Last stop</dt>
                <dd data-last-stop=${last.reason}>${last.reason}</dd>`
            : nothing
        }
      </dl>
      ${this.renderResult()} ${renderPollStatus(this.#info)} ${this.renderDoCommand()}
    `;
  }
}

customElements.define('base-card', BaseCard);

declare global {
  interface HTMLElementTagNameMap {
    'base-card': BaseCard;
  }
}
