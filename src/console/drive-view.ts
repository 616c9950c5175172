import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { CardElement } from '../cards/registry.ts';
import { connectionContext } from '../contexts.ts';
import { FullscreenController } from '../controllers/fullscreen.ts';
import {
  isStale,
  loadStale,
  MAX_DRIVE_CAMERAS,
  resolveDrive,
  saveStale,
  STALE_LIMITS,
  type DriveLayout,
  type StaleVideoPrefs,
} from '../lib/drive-prefs.ts';
import type { Resource } from '../lib/resources.ts';
import { base } from '../styles/tokens.ts';
import './resource-card.ts';
import type { ResourceCard } from './resource-card.ts';

/** How often the drive camera's frame age is checked against the threshold. */
const STALE_CHECK_MS = 20;
const HUD_EVERY_MS = 250;

/** The operator changed what the drive view shows (or left it); the dashboard stores it. */
export class DriveLayoutEvent extends Event {
  static readonly type = 'drive-layout';
  constructor(readonly layout: DriveLayout) {
    super(DriveLayoutEvent.type, { bubbles: true, composed: true });
  }
}

/** What the view reads off the camera card (duck-typed: the card's module is a lazy chunk). */
interface FrameSource {
  readonly lastFrameAt: number | undefined;
  readonly fps: number;
}

/** What the view needs of the base card. */
interface Drivable {
  blockMotion(reason: 'video-stale' | undefined): void;
  readonly driveReadout: {
    readonly active: boolean;
    readonly sending: string | undefined;
    readonly perSecond: number;
  };
}

const isFrameSource = (c: CardElement | undefined): c is CardElement & FrameSource =>
  c !== undefined && 'lastFrameAt' in c;
const isDrivable = (c: CardElement | undefined): c is CardElement & Drivable =>
  c !== undefined && 'blockMotion' in c;

/**
 * The driving layout: one to four live cameras, the base's own card beside them (the same
 * components as the dashboard, not copies), a heads-up line, fullscreen, and the stale-video stop:
 * while the first camera's newest frame is older than the threshold, the base is stopped and locked,
 * and it drives again only on a new press once frames are fresh.
 */
export class DriveView extends LitElement {
  static override properties = {
    resources: { attribute: false },
    layout: { attribute: false },
    hold: { attribute: false },
    _stale: { state: true },
    _locked: { state: true },
    _hudTick: { state: true },
  };

  declare resources: readonly Resource[];
  declare layout: DriveLayout;
  /** The base's card is made once this settles: the camera's first frame comes first (cardsTurn). */
  declare hold: Promise<void> | undefined;
  declare _stale: StaleVideoPrefs;
  declare _locked: boolean;
  declare _hudTick: number;

  readonly #connection = new ContextConsumer(this, { context: connectionContext, subscribe: true });
  #checkTimer: ReturnType<typeof setInterval> | undefined;
  #hudTimer: ReturnType<typeof setInterval> | undefined;
  readonly #fullscreen = new FullscreenController(this, () => this);

  constructor() {
    super();
    this.resources = [];
    this.layout = { on: true, cameras: [], base: undefined };
    this._stale = loadStale(window.localStorage);
    this._locked = false;
    this._hudTick = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#checkTimer = setInterval(() => this.#check(), STALE_CHECK_MS);
    this.#hudTimer = setInterval(() => (this._hudTick += 1), HUD_EVERY_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#checkTimer);
    clearInterval(this.#hudTimer);
  }

  get #cameraKeys(): string[] {
    return this.resources.filter((r) => r.api === 'rdk:component:camera').map((r) => r.key);
  }

  get #baseKeys(): string[] {
    return this.resources.filter((r) => r.api === 'rdk:component:base').map((r) => r.key);
  }

  get #chosen() {
    return resolveDrive(this.layout, this.#cameraKeys, this.#baseKeys);
  }

  #body(key: string | undefined): CardElement | undefined {
    if (key === undefined) return undefined;
    const frame = this.renderRoot.querySelector<ResourceCard>(`resource-card[data-key="${CSS.escape(key)}"]`);
    return frame?.body;
  }

  /** The stale-video stop: runs every STALE_CHECK_MS while the view is on the page. */
  #check(): void {
    const chosen = this.#chosen;
    const drivable = this.#body(chosen.base);
    if (!isDrivable(drivable)) return;
    const camera = this.#body(chosen.cameras[0]);
    const stale =
      chosen.cameras.length > 0 &&
      isStale(isFrameSource(camera) ? camera.lastFrameAt : undefined, performance.now(), this._stale);
    drivable.blockMotion(stale ? 'video-stale' : undefined);
    if (stale !== this._locked) this._locked = stale;
  }

  #emit(layout: DriveLayout): void {
    this.dispatchEvent(new DriveLayoutEvent(layout));
  }

  #toggleCamera(key: string, on: boolean): void {
    const current = this.#chosen.cameras;
    const cameras = on ? [...current, key].slice(0, MAX_DRIVE_CAMERAS) : current.filter((k) => k !== key);
    this.#emit({ ...this.layout, cameras });
  }

  #setStale(prefs: Partial<StaleVideoPrefs>): void {
    this._stale = { ...this._stale, ...prefs };
    saveStale(window.localStorage, this._stale);
  }

  static override styles = [
    base,
    css`
      :host {
        display: grid;
        gap: var(--mc-space-3);
        background: var(--mc-bg);
      }
      :host(:fullscreen) {
        padding: var(--mc-space-3);
        overflow: auto;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-3);
        align-items: center;
      }
      fieldset {
        border: 1px solid var(--mc-border);
        border-radius: var(--mc-radius);
        padding: var(--mc-space-1) var(--mc-space-3);
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-3);
        align-items: center;
      }
      legend {
        font-size: 0.85rem;
        color: var(--mc-text-muted);
      }
      input[type='number'] {
        width: 5.5rem;
      }
      .stage {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(18rem, 1fr);
        gap: var(--mc-space-3);
        align-items: start;
      }
      .videos {
        display: grid;
        gap: var(--mc-space-2);
        grid-template-columns: minmax(0, 1fr);
      }
      .videos[data-count='2'],
      .videos[data-count='3'],
      .videos[data-count='4'] {
        grid-template-columns: repeat(2, minmax(0, 1fr));
      }
      .hud {
        font-family: var(--mc-mono, monospace);
        font-size: 0.85rem;
        margin: 0;
        padding: var(--mc-space-1) var(--mc-space-2);
        border-radius: var(--mc-radius);
        background: var(--mc-surface);
        border: 1px solid var(--mc-border);
        overflow-wrap: anywhere;
      }
      .stale {
        margin: 0;
        padding: var(--mc-space-2) var(--mc-space-3);
        border-radius: var(--mc-radius);
        background: var(--mc-danger);
        color: var(--mc-danger-text);
        font-weight: 700;
      }
      .warn {
        margin: 0;
        border-left: 3px solid var(--mc-warning);
        padding-left: var(--mc-space-2);
      }
      @media (max-width: 760px) {
        .stage {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      /*
       * A phone on its side: video on the left, the controls beside it, both scrolling; the base
       * card's touch joystick floats over the lower corner of the video, under the driver's thumb.
       */
      @media (orientation: landscape) and (max-height: 540px) {
        .stage {
          grid-template-columns: minmax(0, 3fr) minmax(14rem, 2fr);
        }
        .controls {
          max-height: calc(100vh - 6rem);
          overflow: auto;
          --mc-joystick-place: over-video;
        }
      }
    `,
  ];

  override render() {
    const chosen = this.#chosen;
    const byKey = new Map(this.resources.map((r) => [r.key, r]));
    const cameras = this.resources.filter((r) => r.api === 'rdk:component:camera');
    const bases = this.resources.filter((r) => r.api === 'rdk:component:base');
    const baseResource = chosen.base === undefined ? undefined : byKey.get(chosen.base);
    return html`
      <div class="bar">
        ${
          cameras.length > 0
            ? html`<fieldset data-drive-cameras>
                <legend>Cameras (first one drives the stale-video stop)</legend>
                ${cameras.map((c) => {
                  const on = chosen.cameras.includes(c.key);
                  return html`<label
                    ><input
                      type="checkbox"
                      data-drive-camera=${c.name}
                      .checked=${on}
                      ?disabled=${!on && chosen.cameras.length >= MAX_DRIVE_CAMERAS}
                      @change=${(e: Event) => this.#toggleCamera(c.key, (e.target as HTMLInputElement).checked)}
                    />
                    ${c.name}</label
                  >`;
                })}
              </fieldset>`
            : nothing
        }
        ${
          bases.length > 1
            ? html`<label
                >Base
                <select
                  data-drive-base
                  @change=${(e: Event) => this.#emit({ ...this.layout, base: (e.target as HTMLSelectElement).value })}
                >
                  ${bases.map((b) => html`<option value=${b.key} ?selected=${b.key === chosen.base}>${b.name}</option>`)}
                </select></label
              >`
            : nothing
        }
        <fieldset data-stale-settings>
          <legend>Never drive blind</legend>
          <label
            ><input
              type="checkbox"
              data-input="stale-on"
              .checked=${this._stale.on}
              @change=${(e: Event) => this.#setStale({ on: (e.target as HTMLInputElement).checked })}
            />
            Stop when the video is older than</label
          >
          <label
            ><input
              type="number"
              data-input="stale-ms"
              min=${STALE_LIMITS.minMs}
              max=${STALE_LIMITS.maxMs}
              step="50"
              .value=${String(this._stale.thresholdMs)}
              ?disabled=${!this._stale.on}
              @change=${(e: Event) => this.#setStale({ thresholdMs: Number((e.target as HTMLInputElement).value) })}
            />
            ms</label
          >
        </fieldset>
        <button data-action="fullscreen" @click=${() => void this.#fullscreen.toggle()}>
          ${this.#fullscreen.active ? 'Leave fullscreen' : 'Fullscreen'}
        </button>
        <button data-action="leave-drive" @click=${() => this.#emit({ ...this.layout, on: false })}>
          Back to all cards
        </button>
      </div>
      ${
        !this._stale.on
          ? html`<p class="warn" role="note" data-stale-off>
              The stale-video stop is off: the base keeps driving when the picture freezes.
            </p>`
          : nothing
      }
      ${
        cameras.length === 0
          ? html`<p class="warn" role="note" data-no-camera>
              This machine has no camera: nothing to drive by, so the stale-video stop has nothing to watch.
            </p>`
          : nothing
      }
      ${
        this._locked
          ? html`<p class="stale" role="alert" data-video-stale>
              Video stale: stopped. Driving resumes on a new press once frames are fresh.
            </p>`
          : nothing
      }
      ${this.#renderHud(chosen.cameras[0], chosen.base)}
      <div class="stage">
        <div class="videos" data-count=${chosen.cameras.length}>
          ${repeat(
            chosen.cameras,
            (key) => key,
            (key) => {
              const r = byKey.get(key);
              return r
                ? html`<resource-card
                    data-card=${r.name}
                    data-key=${r.key}
                    data-api=${r.api}
                    .resource=${r}
                    eager
                  ></resource-card>`
                : nothing;
            },
          )}
        </div>
        <div class="controls">
          ${
            baseResource
              ? html`<resource-card
                  data-card=${baseResource.name}
                  data-key=${baseResource.key}
                  data-api=${baseResource.api}
                  .resource=${baseResource}
                  .hold=${this.hold}
                  eager
                ></resource-card>`
              : nothing
          }
        </div>
      </div>
    `;
  }

  /** Round trip, frame age and rate, commands per second and what is being sent now. */
  #renderHud(cameraKey: string | undefined, baseKey: string | undefined) {
    const rtt = this.#connection.value?.rttMs;
    const camera = this.#body(cameraKey);
    const drivable = this.#body(baseKey);
    const now = performance.now();
    const at = isFrameSource(camera) ? camera.lastFrameAt : undefined;
    const age = at === undefined ? undefined : now - at;
    const readout = isDrivable(drivable) ? drivable.driveReadout : undefined;
    const parts = [
      `RTT ${rtt === undefined ? '—' : `${rtt.toFixed(0)} ms`}`,
      cameraKey === undefined
        ? 'no video'
        : `frame age ${age === undefined ? '— (no frame yet)' : age < 1000 ? `${age.toFixed(0)} ms` : `${(age / 1000).toFixed(1)} s`}`,
      cameraKey === undefined ? '' : `${isFrameSource(camera) ? camera.fps.toFixed(1) : '0.0'} fps`,
      `${readout?.perSecond ?? 0} cmd/s`,
      `sending: ${readout?.sending ?? 'nothing'}`,
    ].filter((p) => p !== '');
    return html`<p class="hud" data-hud aria-live="off">${parts.join(' · ')}</p>`;
  }
}

customElements.define('drive-view', DriveView);

declare global {
  interface HTMLElementTagNameMap {
    'drive-view': DriveView;
  }
}
