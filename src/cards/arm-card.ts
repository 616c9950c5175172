import { ArmClient, commonApi, type RobotClient } from '@viamrobotics/sdk';
import { css, html, nothing } from 'lit';
import { PadJog } from '../controllers/gamepad-jog.ts';
import { MotionGuard } from '../controllers/motion-guard.ts';
import { PollController } from '../controllers/poll-controller.ts';
import { methodSupport } from '../lib/method-support.ts';
import {
  POSE_FIELDS,
  clampToLimit,
  distanceMm,
  jointLimits,
  largestChange,
  poseJson,
  type JointLimit,
  type PoseLike,
} from '../lib/arm.ts';
import { base } from '../styles/tokens.ts';
import { CardBase, movingRow, numberFrom } from './card-base.ts';
import { cardStyles, pollStatusStyles, renderPollStatus } from './poll-status.ts';

interface ArmState {
  readonly joints: readonly number[];
  readonly pose: PoseLike | undefined;
  readonly moving: boolean;
}

/** A jog: one joint, one step (degrees), repeated while held. */
interface Jog {
  readonly joint: number;
  readonly step: number;
}

/** A press shorter than this is a tap: one jog step, left to finish. */
const TAP_MS = 250;

/** Typed joint moves larger than this (degrees) ask first. */
const LARGE_JOINT_MOVE_DEG = 30;

/**
 * Arm: joint positions with hold-to-repeat jog steps (coalesced: one move in flight at a time), move
 * to typed joint positions, end pose with a move-to-pose form, stop, copy pose as JSON. Joint limits
 * from the machine's kinematics are respected.
 */
export class ArmCard extends CardBase<ArmClient> {
  static override properties = {
    _step: { state: true },
    _jointDraft: { state: true },
    _poseDraft: { state: true },
    _copied: { state: true },
  };

  declare _step: number;
  /** The joint-move form, or undefined to show the live values. */
  declare _jointDraft: number[] | undefined;
  declare _poseDraft: Record<(typeof POSE_FIELDS)[number], number> | undefined;
  declare _copied: boolean;

  #limits: (JointLimit | undefined)[] = [];
  #kinematicsFor: RobotClient | undefined;
  /** Where the current jog is heading, so steps add up while the arm travels. */
  #jogTarget: number[] | undefined;
  #jogStarted = 0;

  readonly #jog = new MotionGuard<Jog>(this, {
    send: (jog) => this.#jogOnce(jog),
    stop: () => this.command('Stop', undefined, (a) => a.stop()),
    rateHz: 8,
  });

  /** The gamepad's D-pad jogs the joints while focus is in this card. */
  readonly #pad = new PadJog(this, {
    count: () => this.#state.value?.joints.length ?? 0,
    start: (joint, direction) => {
      this.#jogStarted = Date.now();
      this.#jogTarget = undefined;
      this.#jog.hold('pad-jog', { joint, step: direction * this._step }, 'press');
    },
    release: () => {
      this.#jog.release('pad-jog', 'release');
      this.#jogTarget = undefined;
      this.#state.refresh();
    },
    holding: () => this.#jog.holding,
    ready: () => this.motionReady,
  });

  readonly #state = new PollController<ArmState>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => 500,
    task: async (robot) => {
      const a = this.sdk(robot);
      const [joints, pose, moving] = await Promise.all([
        a.getJointPositions(),
        methodSupport.read(robot, this.resource?.key ?? '', 'GetEndPosition', () => a.getEndPosition()),
        a.isMoving(),
        this.#loadLimits(robot, a),
      ]);
      return { joints: joints.values, pose, moving };
    },
  });

  constructor() {
    super();
    this._step = 5;
    this._copied = false;
  }

  protected override createClient(robot: RobotClient, name: string): ArmClient {
    return new ArmClient(robot, name);
  }

  async #loadLimits(robot: RobotClient, arm: ArmClient): Promise<void> {
    if (this.#kinematicsFor === robot) return;
    this.#kinematicsFor = robot;
    try {
      this.#limits = jointLimits(await arm.getKinematics(), 32);
    } catch {
      this.#limits = []; // no kinematics: no limits known
    }
  }

  #jogOnce(jog: Jog): Promise<unknown> {
    const current = this.#jogTarget ?? [...(this.#state.value?.joints ?? [])];
    if (current.length === 0) return Promise.resolve();
    const target = [...current];
    target[jog.joint] = clampToLimit((target[jog.joint] ?? 0) + jog.step, this.#limits[jog.joint]);
    this.#jogTarget = target;
    return this.command('MoveToJointPositions', { values: target }, (a) => a.moveToJointPositions(target));
  }

  #jogButton(joint: number, direction: 1 | -1) {
    const control = `jog-${joint}`;
    const release = () => {
      // A tap is one step, left to finish; a hold is a stream of steps, stopped on letting go.
      if (Date.now() - this.#jogStarted < TAP_MS) this.#jog.finish(control);
      else this.#jog.release(control, 'pointer');
      this.#jogTarget = undefined;
      this.#state.refresh();
    };
    const start = () => {
      this.#jogStarted = Date.now();
      this.#jogTarget = undefined;
      this.#jog.hold(control, { joint, step: direction * this._step }, 'press');
    };
    const label = `Joint ${joint + 1} ${direction > 0 ? '+' : '−'}${this._step}°`;
    return html`<button
      aria-label=${label}
      title=${label}
      data-jog=${`${joint}:${direction}`}
      ?disabled=${!this.motionReady}
      @pointerdown=${(e: PointerEvent) => {
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        e.preventDefault();
        start();
      }}
      @pointerup=${release}
      @pointercancel=${release}
      @lostpointercapture=${release}
      @keydown=${(e: KeyboardEvent) => {
        if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
          e.preventDefault();
          start();
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

  #moveJoints(): void {
    const draft = this._jointDraft;
    const current = this.#state.value?.joints ?? [];
    if (!draft) return;
    if (draft.some((v) => !Number.isFinite(v))) {
      this._result = { status: 'error', text: 'Every joint needs a number.' };
      return;
    }
    const outside = draft.findIndex((v, i) => clampToLimit(v, this.#limits[i]) !== v);
    if (outside >= 0) {
      const l = this.#limits[outside];
      this._result = {
        status: 'error',
        text: `Joint ${outside + 1} must stay within ${l?.min ?? ''}…${l?.max ?? ''}°.`,
      };
      return;
    }
    const target = [...draft];
    this.confirmIf(
      largestChange(current, target) > LARGE_JOINT_MOVE_DEG,
      `Move ${this.resource?.name ?? 'the arm'} to joints [${target.map((v) => v.toFixed(1)).join(', ')}]°?`,
      () => {
        void this.act('MoveToJointPositions', { values: target }, (a) => a.moveToJointPositions(target), {
          guard: this.#jog,
        }).then(() => this.#state.refresh());
      },
    );
  }

  #moveToPose(): void {
    const draft = this._poseDraft;
    if (!draft) return;
    if (POSE_FIELDS.some((f) => !Number.isFinite(draft[f]))) {
      this._result = { status: 'error', text: 'Every pose field needs a number.' };
      return;
    }
    const pose = new commonApi.Pose(draft);
    const from = this.#state.value?.pose;
    const far = from ? `${distanceMm(from, draft).toFixed(0)} mm away` : 'a typed pose';
    this.confirmIf(true, `Move ${this.resource?.name ?? 'the arm'} to ${poseJson(draft)} (${far})?`, () => {
      void this.act('MoveToPosition', poseJson(draft), (a) => a.moveToPosition(pose), {
        guard: this.#jog,
      }).then(() => this.#state.refresh());
    });
  }

  async #copyPose(): Promise<void> {
    const pose = this.#state.value?.pose;
    if (!pose) return;
    try {
      await navigator.clipboard.writeText(poseJson(pose));
      this._copied = true;
      setTimeout(() => (this._copied = false), 1500);
    } catch {
      this._result = { status: 'error', text: 'The clipboard refused the pose.' };
    }
  }

  static override styles = [
    base,
    cardStyles,
    pollStatusStyles,
    css`
      td button {
        min-width: 2rem;
        padding: 2px 6px;
        touch-action: none;
      }
      .limits {
        color: var(--mc-text-muted);
        font-size: 0.75rem;
      }
      input[type='number'] {
        width: 5rem;
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

  override render() {
    const s = this.#state.value;
    const off = !this.motionReady;
    const joints = s?.joints ?? [];
    const draft = this._jointDraft;
    const pose = s?.pose;
    const poseDraft = this._poseDraft;
    return html`
      <table aria-label="Joints">
        <thead>
          <tr>
            <th scope="col">Joint</th>
            <th scope="col">Position °</th>
            <th scope="col"><span class="visually-hidden" hidden>Jog</span></th>
          </tr>
        </thead>
        <tbody>
          ${joints.map((value, i) => {
            const limit = this.#limits[i];
            return html`<tr
              data-joint=${i}
              ?data-pad-selected=${this.#pad.active && this.#pad.selected === i}
            >
              <th scope="row">${i + 1}</th>
              <td>
                ${
                  draft
                    ? html`<input
                        type="number"
                        aria-label=${`Joint ${i + 1} target`}
                        data-input=${`joint-${i}`}
                        .value=${String(draft[i] ?? value)}
                        @change=${(e: Event) => {
                          const next = [...draft];
                          next[i] = numberFrom(e);
                          this._jointDraft = next;
                        }}
                      />`
                    : html`<span data-joint-value=${value}>${value.toFixed(1)}</span>`
                }
                ${limit ? html`<div class="limits">${limit.min}…${limit.max}</div>` : nothing}
              </td>
              <td>${this.#jogButton(i, -1)} ${this.#jogButton(i, 1)}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${s ? nothing : html`<p>…</p>`} ${this.renderSessionWait()}
      ${
        this.#pad.active
          ? html`<p class="muted" data-pad-jog=${this.#pad.selected}>
              Gamepad: joint ${this.#pad.selected + 1}. Hold LB and press D-pad ↑/↓ to jog, ←/→ to pick the
              joint; B stops everything.
            </p>`
          : nothing
      }
      <div class="row">
        <label
          >Jog step
          <select data-input="step" @change=${(e: Event) => (this._step = numberFrom(e))}>
            ${[1, 5, 10].map((v) => html`<option value=${v} ?selected=${v === this._step}>${v}°</option>`)}
          </select></label
        >
        ${
          draft
            ? html`<button data-action="move-joints" ?disabled=${off} @click=${() => this.#moveJoints()}>
                  Move joints
                </button>
                <button @click=${() => (this._jointDraft = undefined)}>Cancel</button>`
            : html`<button
                data-action="edit-joints"
                ?disabled=${off || joints.length === 0}
                @click=${() => (this._jointDraft = [...joints])}
              >
                Type joint positions…
              </button>`
        }
        <button
          class="stop"
          data-action="arm-stop"
          ?disabled=${!this.connected}
          @click=${() => {
            this.#jog.stopNow('button', { send: false });
            void this.act('Stop', undefined, (a) => a.stop());
          }}
        >
          Stop
        </button>
      </div>
      <dl class="values" aria-label="End pose">
        ${POSE_FIELDS.map(
          (f) =>
            html`<dt>${f}</dt>
              <dd>
                ${
                  poseDraft
                    ? html`<input
                        type="number"
                        aria-label=${`Pose ${f}`}
                        data-input=${`pose-${f}`}
                        .value=${String(poseDraft[f])}
                        @change=${(e: Event) => (this._poseDraft = { ...poseDraft, [f]: numberFrom(e) })}
                      />`
                    : html`<span data-pose=${f}
                        >${pose ? pose[f].toFixed(f.startsWith('o') ? 3 : 1) : '…'}</span
                      >`
                }
              </dd>`,
        )}
      </dl>
      <div class="row">
        ${
          poseDraft
            ? html`<button data-action="move-pose" ?disabled=${off} @click=${() => this.#moveToPose()}>
                  Move to pose
                </button>
                <button @click=${() => (this._poseDraft = undefined)}>Cancel</button>`
            : html`<button
                data-action="edit-pose"
                ?disabled=${off || !pose}
                @click=${() => {
                  if (pose)
                    this._poseDraft = Object.fromEntries(POSE_FIELDS.map((f) => [f, pose[f]])) as Record<
                      (typeof POSE_FIELDS)[number],
                      number
                    >;
                }}
              >
                Type a pose…
              </button>`
        }
        <button data-action="copy-pose" ?disabled=${!pose} @click=${() => void this.#copyPose()}>
          ${this._copied ? 'Copied' : 'Copy pose as JSON'}
        </button>
      </div>
      ${this.renderConfirm()}
      <dl class="values">${movingRow(s?.moving)}</dl>
      ${renderPollStatus(this.#state)} ${this.renderResult()} ${this.renderDoCommand()}
    `;
  }
}

customElements.define('arm-card', ArmCard);

declare global {
  interface HTMLElementTagNameMap {
    'arm-card': ArmCard;
  }
}
