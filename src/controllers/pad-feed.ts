import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { choosePad, PAD_BUTTONS, type PadSnapshot } from '../lib/gamepad.ts';
import {
  AT_REST,
  changes,
  EventClock,
  everyControl,
  padValues,
  type ControlValues,
  type EventTime,
  type FeedEvent,
} from '../lib/input-feed.ts';
import { onStopAll, requestStopAll, STOP_DRIVING_EVENT } from '../lib/stop-signal.ts';
import { claimPad, loadPadSettings, readPads, releasePad, type PadOwner } from './gamepad-drive.ts';

const SAMPLE_MS = 8;
/** Changes away from rest wait while this many events are unanswered; a return to rest never waits. */
const MAX_IN_FLIGHT = 8;

export interface PadFeedOptions {
  /** Sends one event to the input controller (TriggerEvent). */
  readonly send: (event: FeedEvent, time: EventTime) => Promise<void>;
  readonly ready: () => boolean;
  /** A send failed: the feed is off, and this says why. */
  readonly failed: (error: unknown) => void;
}

export type FeedStop = 'off' | 'released' | 'blur' | 'hidden' | 'stopped' | 'pad-lost' | 'disconnected';

/**
 * Feeds the browser's gamepad to a `webgamepad` input controller on the machine, where a service such
 * as base_remote_control turns its events into motion. Off until the operator turns it on (Connect to
 * every control); then every change is sent as it happens (sampled each animation frame and by an 8 ms
 * timer), stamped with strictly increasing times. Nothing but rest is sent unless LB is held: letting
 * go, the window losing focus, the tab hiding, a STOP anywhere on the page, each sends every control
 * back to rest (the robot stops), and LB must be let go and pressed again. The pad going away, turning
 * it off and the card leaving send rest then Disconnect (on which base_remote_control stops the base).
 * A dropped connection cannot send anything: the machine's session expiry stops the base instead,
 * since base_remote_control ties the base to the session that fed it.
 */
export class PadFeed implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: PadFeedOptions;
  readonly #clock = new EventClock();
  #on = false;
  #raf: number | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastSampleAt = 0;
  #padIndex: number | undefined;
  #sent: ControlValues = AT_REST;
  #inFlight = 0;
  #needsFreshEnable = false;
  #prevStop = false;
  #offStop: (() => void) | undefined;
  readonly #deadZone = loadPadSettings().deadZone;

  pad: PadSnapshot | undefined;
  /** Events sent since it was turned on. */
  sentCount = 0;
  /** Why the feed last went to rest or off, for the card. */
  lastStop: FeedStop | undefined;
  /** The enable is held but does not feed until let go and pressed again. */
  blocked = false;

  constructor(host: ReactiveControllerHost & HTMLElement, options: PadFeedOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get on(): boolean {
    return this.#on;
  }

  /** What the robot was last told, control by control. */
  get values(): ControlValues {
    return this.#sent;
  }

  hostConnected(): void {
    window.addEventListener('blur', this.#onBlur);
    window.addEventListener(STOP_DRIVING_EVENT, this.#onStop);
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('gamepadconnected', this.#onPads);
    window.addEventListener('gamepaddisconnected', this.#onPads);
    this.#offStop = onStopAll(this.#onStop);
    this.pad = this.#choose();
  }

  hostDisconnected(): void {
    window.removeEventListener('blur', this.#onBlur);
    window.removeEventListener(STOP_DRIVING_EVENT, this.#onStop);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('gamepadconnected', this.#onPads);
    window.removeEventListener('gamepaddisconnected', this.#onPads);
    this.#offStop?.();
    this.turnOff('off');
  }

  turnOn(): void {
    if (this.#on || !this.#options.ready()) return;
    claimPad(this.#owner);
    this.#on = true;
    this.#sent = AT_REST;
    this.sentCount = 0;
    this.lastStop = undefined;
    this.#needsFreshEnable = true;
    this.#padIndex = this.#choose()?.index;
    for (const e of everyControl('Connect')) this.#send(e);
    this.#raf = requestAnimationFrame(this.#frame);
    this.#timer = setInterval(() => {
      if (performance.now() - this.#lastSampleAt >= SAMPLE_MS - 1) this.sample();
    }, SAMPLE_MS);
    this.sample();
    this.#host.requestUpdate();
  }

  /** The pad drives one thing on the page: turning on a base card's gamepad drive turns this off. */
  readonly #owner: PadOwner = { turnOff: () => this.turnOff('off') };

  turnOff(why: FeedStop): void {
    releasePad(this.#owner);
    if (!this.#on) return;
    this.#toRest(why);
    if (this.#options.ready()) for (const e of everyControl('Disconnect')) this.#send(e);
    this.#on = false;
    if (this.#raf !== undefined) cancelAnimationFrame(this.#raf);
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#raf = undefined;
    this.#timer = undefined;
    this.blocked = false;
    this.#host.requestUpdate();
  }

  readonly #frame = (): void => {
    this.#raf = requestAnimationFrame(this.#frame);
    this.sample();
  };

  readonly #onPads = (): void => {
    if (this.#on) this.sample();
    else {
      this.pad = this.#choose();
      this.#host.requestUpdate();
    }
  };

  readonly #onBlur = (): void => this.#toRest('blur');
  readonly #onStop = (): void => this.#toRest('stopped');
  readonly #onVisibility = (): void => {
    if (document.hidden) this.#toRest('hidden');
  };

  #choose(): PadSnapshot | undefined {
    return choosePad(readPads(), this.#padIndex);
  }

  /** Every control back to rest now; the enable must be pressed anew. */
  #toRest(why: FeedStop): void {
    if (!this.#on) return;
    this.#needsFreshEnable = true;
    if (this.#sent !== AT_REST) this.lastStop = why;
    this.#feed(AT_REST);
    this.#host.requestUpdate();
  }

  /** One reading of the pad. */
  sample(): void {
    this.#lastSampleAt = performance.now();
    if (!this.#on) return;
    if (!this.#options.ready()) {
      // Nothing can be sent: the machine's session expiry stops what the events started.
      this.#sent = AT_REST;
      this.turnOff('disconnected');
      this.lastStop = 'disconnected';
      return;
    }
    const pad = this.#choose();
    if (pad?.index !== this.#padIndex) {
      this.pad = pad;
      this.lastStop = 'pad-lost';
      this.turnOff('pad-lost');
      return;
    }
    this.pad = pad;
    if (!pad) return;
    const enabled = pad.buttons[PAD_BUTTONS.enable] === true;
    const stop = pad.buttons[PAD_BUTTONS.stop] === true;
    if (stop && !this.#prevStop) requestStopAll();
    this.#prevStop = stop;
    if (!enabled) {
      if (this.#sent !== AT_REST && !this.#needsFreshEnable) this.lastStop = 'released';
      this.#needsFreshEnable = false;
    }
    const blocked = enabled && this.#needsFreshEnable;
    if (blocked !== this.blocked) {
      this.blocked = blocked;
      this.#host.requestUpdate();
    }
    this.#feed(enabled && !this.#needsFreshEnable ? padValues(pad, this.#deadZone) : AT_REST);
  }

  #feed(target: ControlValues): void {
    const events = changes(this.#sent, target);
    if (events.length === 0) return;
    const toRest = events.every((e) => e.value === 0);
    if (!toRest && this.#inFlight >= MAX_IN_FLIGHT) return;
    this.#sent = target;
    for (const e of events) this.#send(e);
    this.#redrawSoon();
  }

  #send(event: FeedEvent): void {
    this.#inFlight += 1;
    this.sentCount += 1;
    this.#options
      .send(event, this.#clock.stamp(Date.now()))
      .catch((error: unknown) => {
        if (!this.#on) return;
        this.#sent = AT_REST;
        this.turnOff('off');
        this.#options.failed(error);
      })
      .finally(() => {
        this.#inFlight -= 1;
      });
  }

  #redrawQueued = false;

  #redrawSoon(): void {
    if (this.#redrawQueued) return;
    this.#redrawQueued = true;
    setTimeout(() => {
      this.#redrawQueued = false;
      this.#host.requestUpdate();
    }, 0);
  }
}
