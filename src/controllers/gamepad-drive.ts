import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  choosePad,
  DEFAULT_PAD_SETTINGS,
  readIntent,
  sanitizeSettings,
  type PadIntent,
  type PadSettings,
  type PadSnapshot,
} from '../lib/gamepad.ts';
import { requestStopAll } from '../lib/stop-signal.ts';
import { isStill, sameMotion, STILL, type Motion } from '../lib/teleop.ts';
import type { MotionGuard } from './motion-guard.ts';

const SETTINGS_KEY = 'mc.gamepad';
/**
 * Between animation frames a timer samples too, whenever the last sample is this old: a change is
 * seen within ~8 ms instead of up to a frame (16.7 ms at 60 Hz, more when frames are slow), and
 * sampling carries on while the frame loop is throttled. A sample is one getGamepads() call.
 */
const TIMER_SAMPLE_MS = 8;
const CONTROL = 'gamepad';

/** The one controller on the page the pad drives through: turning on another turns this one off. */
const page: { owner: PadOwner | undefined } = { owner: undefined };

/** Anything on the page the pad drives through (a base card's drive, an input controller's feed). */
export interface PadOwner {
  turnOff(): void;
}

/** Makes `owner` the one the pad drives through, turning off whichever had it. */
export function claimPad(owner: PadOwner): void {
  if (page.owner && page.owner !== owner) page.owner.turnOff();
  page.owner = owner;
}

/** `owner` no longer drives from the pad. */
export function releasePad(owner: PadOwner): void {
  if (page.owner === owner) page.owner = undefined;
}

export function loadPadSettings(): PadSettings {
  try {
    const raw = window.localStorage.getItem(SETTINGS_KEY);
    return raw === null ? DEFAULT_PAD_SETTINGS : sanitizeSettings(JSON.parse(raw));
  } catch {
    return DEFAULT_PAD_SETTINGS;
  }
}

function savePadSettings(settings: PadSettings): void {
  try {
    window.localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Not remembered: this page still uses them.
  }
}

/** navigator.getGamepads() as plain snapshots; a browser without it, or one that throws, has none. */
export function readPads(): (PadSnapshot | null)[] {
  let pads: readonly (Gamepad | null)[];
  try {
    pads = typeof navigator.getGamepads === 'function' ? navigator.getGamepads() : [];
  } catch {
    return [];
  }
  return Array.from(pads, (p, i) =>
    p
      ? {
          index: typeof p.index === 'number' ? p.index : i,
          id: p.id,
          mapping: p.mapping,
          connected: p.connected,
          axes: Array.from(p.axes, Number),
          buttons: Array.from(p.buttons, (b) => b.pressed || b.value >= 0.5),
          values: Array.from(p.buttons, (b) => (typeof b.value === 'number' ? b.value : 0)),
        }
      : null,
  );
}

/** What the pad needs of a MotionGuard. */
export type PadGuard = Pick<MotionGuard<Motion>, 'hold' | 'release' | 'holding'>;

export interface GamepadDriveOptions {
  readonly guard: PadGuard;
  /** Whether the resource can be driven now (connected). */
  readonly ready: () => boolean;
}

/**
 * Drives one base from the browser's gamepad, through its MotionGuard. Off until the operator turns
 * it on for this card (one card at a time). While on, the pad is sampled every animation frame and by
 * a timer between frames (which also carries on while the frame loop is throttled); a motion is handed to the guard only when it
 * changes, and the guard's own keep-alive covers the rest. Nothing moves unless the enable button is
 * held: letting go of it stops, and so do the pad going away, turning it off, and every trigger the
 * guard already has (blur, hidden tab, connection drop, global stop, the card leaving the page).
 */
export class GamepadDrive implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: GamepadDriveOptions;
  #on = false;
  #raf: number | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastSampleAt = 0;
  #activeIndex: number | undefined;
  #prevEnabled = false;
  #prevStop = false;
  /** The motion last handed to the guard, while the pad holds one. */
  #held: Motion | undefined;
  /** A pad that takes over (another pad, a reconnect) must see its enable pressed anew. */
  #needsFreshEnable = false;

  settings: PadSettings = loadPadSettings();
  /** Connected pads, for display. */
  pads: PadSnapshot[] = [];
  /** The pad that drives, when one is connected. */
  active: PadSnapshot | undefined;
  /** This sample's intent, for display. */
  intent: PadIntent = { enabled: false, motion: STILL, stop: false };
  /** Enable is held but does not drive: it was down before something stopped, or before turning on. */
  blocked = false;

  constructor(host: ReactiveControllerHost & HTMLElement, options: GamepadDriveOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get on(): boolean {
    return this.#on;
  }

  hostConnected(): void {
    window.addEventListener('gamepadconnected', this.#onPadsChanged);
    window.addEventListener('gamepaddisconnected', this.#onPadsChanged);
    this.#refreshPads();
  }

  hostDisconnected(): void {
    window.removeEventListener('gamepadconnected', this.#onPadsChanged);
    window.removeEventListener('gamepaddisconnected', this.#onPadsChanged);
    this.turnOff();
  }

  turnOn(): void {
    if (this.#on) return;
    claimPad(this);
    this.#on = true;
    // Whatever is held at this moment is not a press: the operator presses enable after turning on.
    this.#needsFreshEnable = true;
    this.#lastSampleAt = 0;
    this.#raf = requestAnimationFrame(this.#frame);
    this.#timer = setInterval(() => {
      if (performance.now() - this.#lastSampleAt >= TIMER_SAMPLE_MS - 1) this.sample();
    }, TIMER_SAMPLE_MS);
    this.sample();
    this.#host.requestUpdate();
  }

  turnOff(): void {
    releasePad(this);
    if (!this.#on) return;
    this.#on = false;
    if (this.#raf !== undefined) cancelAnimationFrame(this.#raf);
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#raf = undefined;
    this.#timer = undefined;
    this.#letGo('disarmed');
    this.intent = { enabled: false, motion: STILL, stop: false };
    this.blocked = false;
    this.#host.requestUpdate();
  }

  setSettings(settings: Partial<PadSettings>): void {
    this.settings = sanitizeSettings({ ...this.settings, ...settings });
    savePadSettings(this.settings);
    this.#host.requestUpdate();
  }

  readonly #frame = (): void => {
    this.#raf = requestAnimationFrame(this.#frame);
    this.sample();
  };

  readonly #onPadsChanged = (): void => {
    if (this.#on) this.sample();
    else this.#refreshPads();
  };

  #refreshPads(): void {
    const pads = readPads().filter((p): p is PadSnapshot => p !== null && p.connected);
    const active = choosePad(pads, this.#activeIndex);
    // Fresh snapshots every sample; the card redraws only when the set of pads changes.
    const changed = !samePads(pads, this.pads) || active?.index !== this.active?.index;
    this.pads = pads;
    this.active = active;
    if (changed) this.#host.requestUpdate();
  }

  /** One reading of the pads (each animation frame, or from the fallback timer). */
  sample(): void {
    this.#lastSampleAt = performance.now();
    if (!this.#on) return;
    this.#refreshPads();
    const pad = this.active;
    if (pad?.index !== this.#activeIndex) {
      // The driving pad went away (or another took over): stop, and wait for a fresh enable.
      if (this.#activeIndex !== undefined) this.#letGo('gamepad-lost');
      this.#activeIndex = pad?.index;
      this.#needsFreshEnable = true;
    }
    const intent = pad ? readIntent(pad, this.settings) : { enabled: false, motion: STILL, stop: false };
    if (intent.stop && !this.#prevStop) requestStopAll();
    this.#prevStop = intent.stop;
    const pressedNow = intent.enabled && !this.#prevEnabled;
    this.#prevEnabled = intent.enabled;
    if (this.#held !== undefined && !this.#options.guard.holding) {
      // Something else ended this hold (blur, hidden tab, STOP, another operator, the connection):
      // the pad drives again only after enable is let go and pressed anew.
      this.#held = undefined;
      this.#needsFreshEnable = true;
    }
    if (!this.#options.ready()) this.#needsFreshEnable = true;
    else if (!intent.enabled) this.#needsFreshEnable = false;
    if (!intent.enabled || isStill(intent.motion) || this.#needsFreshEnable) {
      this.#letGo('release');
    } else if (!this.#held || !sameMotion(this.#held, intent.motion)) {
      // A press is the enable going down, or the stick leaving the centre while it is held.
      const cause = pressedNow || this.#held === undefined ? 'press' : 'change';
      this.#held = intent.motion;
      this.#options.guard.hold(CONTROL, intent.motion, cause);
    }
    const blocked = intent.enabled && this.#needsFreshEnable;
    if (!sameIntent(intent, this.intent) || blocked !== this.blocked) {
      this.intent = intent;
      this.blocked = blocked;
      this.#redrawSoon();
    }
  }

  /**
   * The card redraws in a task of its own, after the command this sample sent is on its way (a
   * redraw in this task's microtasks would run before the SDK's send).
   */
  #redrawSoon(): void {
    if (this.#redrawQueued) return;
    this.#redrawQueued = true;
    setTimeout(() => {
      this.#redrawQueued = false;
      this.#host.requestUpdate();
    }, 0);
  }

  #redrawQueued = false;

  #letGo(reason: 'release' | 'gamepad-lost' | 'disarmed'): void {
    if (this.#held === undefined) return;
    this.#held = undefined;
    this.#options.guard.release(CONTROL, reason);
  }
}

function samePads(a: readonly PadSnapshot[], b: readonly PadSnapshot[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return q !== undefined && p.index === q.index && p.id === q.id && p.mapping === q.mapping;
    })
  );
}

function sameIntent(a: PadIntent, b: PadIntent): boolean {
  return a.enabled === b.enabled && a.stop === b.stop && sameMotion(a.motion, b.motion);
}
