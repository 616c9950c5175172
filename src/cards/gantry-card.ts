import { GantryClient, type RobotClient } from '@viamrobotics/sdk';
import { css, html, nothing } from 'lit';
import { PadJog } from '../controllers/gamepad-jog.ts';
import { MotionGuard } from '../controllers/motion-guard.ts';
import { PollController } from '../controllers/poll-controller.ts';
import { base } from '../styles/tokens.ts';
import { CardBase, movingRow, numberFrom } from './card-base.ts';
import { cardStyles, pollStatusStyles, renderPollStatus } from './poll-status.ts';

interface GantryState {
  readonly positions: readonly number[];
  readonly lengths: readonly number[];
  readonly moving: boolean;
}

/** Typed moves of more than this share of an axis' length ask first. */
const LARGE_SHARE = 0.25;

/** A jog: one axis, one step (mm), repeated while held. */
interface Jog {
  readonly axis: number;
  readonly stepMm: number;
}

/**
 * Gantry: per-axis position and length, hold-to-jog per axis (and from the gamepad's D-pad while
 * focus is in the card), move (with speeds), home, stop.
 */
export class GantryCard extends CardBase<GantryClient> {
  static override properties = {
    _targets: { state: true },
    _speed: { state: true },
    _jogStep: { state: true },
  };
  declare _targets: number[] | undefined;
  declare _speed: number;
  declare _jogStep: number;

  /** Where the current jog is heading, so steps add up while the gantry travels. */
  #jogTarget: number[] | undefined;

  /** Jog steps: one move in flight at a time, re-sent while held, stopped by every dead-man trigger. */
  readonly #jog = new MotionGuard<Jog>(this, {
    send: (jog) => this.#jogOnce(jog),
    stop: () => this.command('Stop', undefined, (g) => g.stop()),
    rateHz: 8,
  });

  readonly #pad = new PadJog(this, {
    count: () => this.#state.value?.positions.length ?? 0,
    start: (axis, direction) => this.#startJog(axis, direction, 'pad-jog'),
    release: () => this.#endJog('pad-jog'),
    holding: () => this.#jog.holding,
    ready: () => this.motionReady,
  });

  readonly #guard = new MotionGuard<never>(this, {
    send: () => Promise.resolve(),
    stop: () => this.command('Stop', undefined, (g) => g.stop()),
  });

  #lengths: { robot: RobotClient; lengths: number[] } | undefined;

  readonly #state = new PollController<GantryState>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => 500,
    task: async (robot) => {
      const g = this.sdk(robot);
      const known = this.#lengths?.robot === robot ? this.#lengths.lengths : undefined;
      const [positions, lengths, moving] = await Promise.all([
        g.getPosition(),
        known ?? g.getLengths(),
        g.isMoving(),
      ]);
      this.#lengths = { robot, lengths };
      return { positions, lengths, moving };
    },
  });

  constructor() {
    super();
    this._speed = 50;
    this._jogStep = 10;
  }

  #jogOnce(jog: Jog): Promise<unknown> {
    const s = this.#state.value;
    const current = this.#jogTarget ?? [...(s?.positions ?? [])];
    if (current.length === 0 || !s) return Promise.resolve();
    const target = [...current];
    const length = s.lengths[jog.axis] ?? Infinity;
    target[jog.axis] = Math.min(length, Math.max(0, (target[jog.axis] ?? 0) + jog.stepMm));
    this.#jogTarget = target;
    const speeds = target.map(() => Math.max(1, this._speed));
    return this.command('MoveToPosition', { positionsMm: target, speedsMmPerSec: speeds }, (g) =>
      g.moveToPosition(target, speeds),
    );
  }

  #startJog(axis: number, direction: 1 | -1, control: string): void {
    this.#jogTarget = undefined;
    this.#jog.hold(control, { axis, stepMm: direction * this._jogStep }, 'press');
  }

  #endJog(control: string): void {
    this.#jog.release(control, 'release');
    this.#jogTarget = undefined;
    this.#state.refresh();
  }

  #jogButton(axis: number, direction: 1 | -1) {
    const control = `jog-${axis}`;
    const label = `Axis ${axis + 1} ${direction > 0 ? '+' : '−'}${this._jogStep} mm`;
    const release = () => this.#endJog(control);
    return html`<button
      aria-label=${label}
      title=${label}
      data-gantry-jog=${`${axis}:${direction}`}
      ?disabled=${!this.motionReady}
      @pointerdown=${(e: PointerEvent) => {
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        e.preventDefault();
        this.#startJog(axis, direction, control);
      }}
      @pointerup=${release}
      @pointercancel=${release}
      @lostpointercapture=${release}
      @keydown=${(e: KeyboardEvent) => {
        if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
          e.preventDefault();
          this.#startJog(axis, direction, control);
        }
      }}
      @keyup=${(e: KeyboardEvent) => {
        if (e.key === ' ' || e.key === 'Enter') release();
      }}
      @blur=${release}
    >
      ${direction > 0 ? '+' : '−'}
    </button>`;
  }

  protected override createClient(robot: RobotClient, name: string): GantryClient {
    return new GantryClient(robot, name);
  }

  static override styles = [
    base,
    cardStyles,
    pollStatusStyles,
    css`
      input[type='number'] {
        width: 5.5rem;
      }
      tr[data-pad-selected] {
        outline: 2px solid var(--mc-accent);
        outline-offset: -2px;
      }
      .muted {
        color: var(--mc-text-muted);
      }
    `,
  ];

  #move(): void {
    const s = this.#state.value;
    const targets = this._targets;
    const speed = this._speed;
    if (!s || !targets) return;
    const bad = targets.findIndex((v, i) => !Number.isFinite(v) || v < 0 || v > (s.lengths[i] ?? Infinity));
    if (bad >= 0) {
      this._result = {
        status: 'error',
        text: `Axis ${bad + 1} must be within 0…${s.lengths[bad] ?? '?'} mm.`,
      };
      return;
    }
    if (!Number.isFinite(speed) || speed <= 0) {
      this._result = { status: 'error', text: 'Enter a positive speed.' };
      return;
    }
    const speeds = targets.map(() => speed);
    const large = targets.some(
      (v, i) => Math.abs(v - (s.positions[i] ?? 0)) > LARGE_SHARE * (s.lengths[i] ?? 0),
    );
    this.confirmIf(
      large,
      `Move ${this.resource?.name ?? 'the gantry'} to [${targets.join(', ')}] mm at ${speed} mm/s?`,
      () => {
        void this.act(
          'MoveToPosition',
          { positionsMm: targets, speedsMmPerSec: speeds },
          (g) => g.moveToPosition(targets, speeds),
          {
            guard: this.#guard,
          },
        ).then(() => this.#state.refresh());
      },
    );
  }

  override render() {
    const s = this.#state.value;
    const off = !this.motionReady;
    const targets = this._targets;
    return html`
      <table aria-label="Axes">
        <thead>
          <tr>
            <th scope="col">Axis</th>
            <th scope="col">Position mm</th>
            <th scope="col">Length mm</th>
            <th scope="col">Target mm</th>
            <th scope="col">Jog</th>
          </tr>
        </thead>
        <tbody>
          ${(s?.positions ?? []).map(
            (p, i) =>
              html`<tr data-axis=${i} ?data-pad-selected=${this.#pad.active && this.#pad.selected === i}>
                <th scope="row">${i + 1}</th>
                <td data-axis-position=${p}>${p.toFixed(1)}</td>
                <td>${s?.lengths[i]?.toFixed(0) ?? '—'}</td>
                <td>
                  <input
                    type="number"
                    min="0"
                    max=${s?.lengths[i] ?? ''}
                    aria-label=${`Axis ${i + 1} target`}
                    data-input=${`axis-${i}`}
                    .value=${String(targets?.[i] ?? p.toFixed(1))}
                    @change=${(e: Event) => {
                      const next = [...(targets ?? s?.positions ?? [])];
                      next[i] = numberFrom(e);
                      this._targets = next;
                    }}
                  />
                </td>
                <td>${this.#jogButton(i, -1)} ${this.#jogButton(i, 1)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        this.#pad.active
          ? html`<p class="muted" data-pad-jog=${this.#pad.selected}>
              Gamepad: axis ${this.#pad.selected + 1}. Hold LB and press D-pad ↑/↓ to jog, ←/→ to pick the
              axis; B stops everything.
            </p>`
          : nothing
      }
      <div class="row">
        <label
          >Jog step
          <select data-input="jog-step" @change=${(e: Event) => (this._jogStep = numberFrom(e))}>
            ${[1, 10, 50].map((v) => html`<option value=${v} ?selected=${v === this._jogStep}>${v} mm</option>`)}
          </select></label
        >
        <label
          >Speed mm/s
          <input
            type="number"
            min="1"
            data-input="speed"
            .value=${String(this._speed)}
            @change=${(e: Event) => (this._speed = numberFrom(e))}
        /></label>
        <button data-action="gantry-move" ?disabled=${off || !targets} @click=${() => this.#move()}>
          Move
        </button>
        <button
          data-action="home"
          ?disabled=${off}
          @click=${() =>
            void this.act('Home', undefined, (g) => g.home(), {
              guard: this.#guard,
              done: (ok) => (ok ? 'Homed' : 'Homing failed'),
            }).then(() => this.#state.refresh())}
        >
          Home
        </button>
        <button
          class="stop"
          data-action="gantry-stop"
          ?disabled=${!this.connected}
          @click=${() => {
            this.#guard.stopNow('button', { send: false });
            this.#jog.stopNow('button', { send: false });
            void this.act('Stop', undefined, (g) => g.stop());
          }}
        >
          Stop
        </button>
      </div>
      ${this.renderConfirm()}
      <dl class="values">${movingRow(s?.moving)}</dl>
      ${renderPollStatus(this.#state)} ${this.renderSessionWait()} ${this.renderResult()}
      ${this.renderDoCommand()}
    `;
  }
}

customElements.define('gantry-card', GantryCard);

declare global {
  interface HTMLElementTagNameMap {
    'gantry-card': GantryCard;
  }
}
