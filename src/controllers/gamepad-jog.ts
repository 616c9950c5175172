import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { choosePad, readJogIntent, type JogIntent, type PadSnapshot } from '../lib/gamepad.ts';
import { requestStopAll } from '../lib/stop-signal.ts';
import { readPads } from './gamepad-drive.ts';

const SAMPLE_MS = 8;

export interface PadJogOptions {
  /** How many joints (or axes) there are to pick from. */
  readonly count: () => number;
  /** Start jogging `index` in `direction` (a press: a hold on the card's own MotionGuard). */
  readonly start: (index: number, direction: 1 | -1) => void;
  /** Let go: the card's guard stops. */
  readonly release: () => void;
  /** Whether the card's guard still holds the jog (false after a stop it did not ask for). */
  readonly holding: () => boolean;
  readonly ready: () => boolean;
}

/**
 * Jogs an arm's joints or a gantry's axes from the gamepad, only while focus is in the card: LB
 * held and D-pad up/down jog the selected one (held: a stream of steps through the card's own
 * MotionGuard, stopped on letting go), D-pad left/right pick it, B is STOP. Focus leaving the card,
 * LB let go, the pad going away and every guard trigger stop it; after a stop it did not make, LB
 * must be let go and pressed again.
 */
export class PadJog implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: PadJogOptions;
  #focused = false;
  #raf: number | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastSampleAt = 0;
  #prev: JogIntent = { enabled: false, stop: false, jog: 0, select: 0 };
  #jogging: -1 | 0 | 1 = 0;
  #needsFreshEnable = false;
  #padIndex: number | undefined;

  /** The joint or axis the D-pad jogs (0-based). */
  selected = 0;
  /** The pad in use while the card has focus. */
  pad: PadSnapshot | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: PadJogOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get active(): boolean {
    return this.#focused && this.pad !== undefined;
  }

  hostConnected(): void {
    this.#host.addEventListener('focusin', this.#onFocusIn);
    this.#host.addEventListener('focusout', this.#onFocusOut);
    window.addEventListener('gamepadconnected', this.#onPads);
    window.addEventListener('gamepaddisconnected', this.#onPads);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('focusin', this.#onFocusIn);
    this.#host.removeEventListener('focusout', this.#onFocusOut);
    window.removeEventListener('gamepadconnected', this.#onPads);
    window.removeEventListener('gamepaddisconnected', this.#onPads);
    this.#stopLoop();
  }

  readonly #onPads = (): void => {
    if (this.#focused) this.sample();
  };

  readonly #onFocusIn = (): void => {
    if (this.#focused) return;
    this.#focused = true;
    this.#needsFreshEnable = true;
    this.#raf = requestAnimationFrame(this.#frame);
    this.#timer = setInterval(() => {
      if (performance.now() - this.#lastSampleAt >= SAMPLE_MS - 1) this.sample();
    }, SAMPLE_MS);
    this.sample();
  };

  readonly #onFocusOut = (event: FocusEvent): void => {
    const next = event.relatedTarget;
    if (next instanceof Node && (this.#host.contains(next) || this.#host.shadowRoot?.contains(next))) return;
    this.#stopLoop();
  };

  readonly #frame = (): void => {
    this.#raf = requestAnimationFrame(this.#frame);
    this.sample();
  };

  #stopLoop(): void {
    this.#focused = false;
    if (this.#raf !== undefined) cancelAnimationFrame(this.#raf);
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#raf = undefined;
    this.#timer = undefined;
    this.#letGo();
    this.pad = undefined;
    this.#host.requestUpdate();
  }

  #letGo(): void {
    if (this.#jogging === 0) return;
    this.#jogging = 0;
    this.#options.release();
  }

  sample(): void {
    this.#lastSampleAt = performance.now();
    if (!this.#focused) return;
    const pads = readPads().filter((p): p is PadSnapshot => p !== null && p.connected);
    const pad = choosePad(pads, this.#padIndex);
    if (pad?.index !== this.#padIndex) {
      this.#letGo();
      this.#padIndex = pad?.index;
      this.#needsFreshEnable = true;
    }
    const shownBefore = this.pad?.index;
    this.pad = pad;
    const intent: JogIntent = pad ? readJogIntent(pad) : { enabled: false, stop: false, jog: 0, select: 0 };
    if (intent.stop && !this.#prev.stop) requestStopAll();
    let redraw = shownBefore !== pad?.index;
    if (intent.select !== 0 && intent.select !== this.#prev.select) {
      const count = this.#options.count();
      const next = Math.min(Math.max(0, this.selected + intent.select), Math.max(0, count - 1));
      if (next !== this.selected) {
        this.#letGo(); // a jog never carries over to another joint
        this.selected = next;
        redraw = true;
      }
    }
    if (this.#jogging !== 0 && !this.#options.holding()) {
      // Something else stopped it (blur, STOP, another operator, the connection).
      this.#jogging = 0;
      this.#needsFreshEnable = true;
    }
    if (!this.#options.ready()) this.#needsFreshEnable = true;
    else if (!intent.enabled) this.#needsFreshEnable = false;
    const want = this.#needsFreshEnable ? 0 : intent.jog;
    if (want !== this.#jogging) {
      this.#letGo();
      if (want !== 0 && this.selected < this.#options.count()) {
        this.#jogging = want;
        this.#options.start(this.selected, want);
      }
    }
    this.#prev = intent;
    if (redraw) this.#host.requestUpdate();
  }
}
