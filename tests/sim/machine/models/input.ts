/**
 * Input controllers and the base remote control service, as rdk has them.
 *
 * `rdk:builtin:webgamepad` (components/input/webgamepad): 19 fixed controls; TriggerEvent takes any
 * event, keeps it as its control's last event and runs the callbacks registered for it. GetEvents
 * answers the last event per control (none before the first). Other models are not triggerable.
 *
 * `rdk:builtin:base_remote_control` (services/baseremotecontrol/builtin): listens to one input
 * controller and drives one base. Connect and Disconnect stop the base; an event older than the last
 * of its (control, type) is dropped; values go through the service's throttle scaling and are sent as
 * SetVelocity when both maxima are set, else SetPower, only when they change.
 */
import type { JsonObject } from '../config.ts';
import { SimResource } from '../resource.ts';
import { SimBase } from './base.ts';

export interface InputEvent {
  /** ms since the epoch, fractional (the proto's nanos kept to the µs) */
  time: number;
  event: string;
  control: string;
  value: number;
}

/** Whoever TriggerEvent came from: the base the service drives joins its session, as SafetyMonitor does. */
export type Monitor = (resource: SimResource) => void;

type Callback = (event: InputEvent, monitor: Monitor) => void;

export const WEBGAMEPAD_CONTROLS = [
  'AbsoluteX',
  'AbsoluteY',
  'AbsoluteRX',
  'AbsoluteRY',
  'AbsoluteZ',
  'AbsoluteRZ',
  'AbsoluteHat0X',
  'AbsoluteHat0Y',
  'ButtonSouth',
  'ButtonEast',
  'ButtonWest',
  'ButtonNorth',
  'ButtonLT',
  'ButtonRT',
  'ButtonLThumb',
  'ButtonRThumb',
  'ButtonSelect',
  'ButtonStart',
  'ButtonMenu',
] as const;

export class SimInputController extends SimResource {
  private readonly last = new Map<string, InputEvent>();
  private readonly callbacks: Callback[] = [];
  /** Every event triggered, in arrival order (bounded), for tests. */
  private readonly received: InputEvent[] = [];

  get triggerable(): boolean {
    return this.model.endsWith(':webgamepad');
  }

  controls(): string[] {
    return this.triggerable ? [...WEBGAMEPAD_CONTROLS] : this.strList('controls');
  }

  events(): InputEvent[] {
    return [...this.last.values()];
  }

  onEvent(cb: Callback): () => void {
    this.callbacks.push(cb);
    return () => {
      const i = this.callbacks.indexOf(cb);
      if (i >= 0) this.callbacks.splice(i, 1);
    };
  }

  trigger(event: InputEvent, monitor: Monitor): void {
    if (!this.triggerable) throw new Error(`input controller is not of type Triggerable (${this.model})`);
    for (const r of this.env.all()) if (r instanceof SimBaseRemoteControl) r.attach();
    this.last.set(event.control, event);
    this.received.push(event);
    if (this.received.length > 2000) this.received.splice(0, this.received.length - 2000);
    for (const cb of [...this.callbacks]) cb(event, monitor);
  }

  override snapshot(): JsonObject {
    return {
      last: Object.fromEntries([...this.last].map(([k, e]) => [k, { ...e }])),
      received: this.received.map((e) => ({ ...e })),
    };
  }
}

const MODES = ['joystickControl', 'triggerSpeedControl', 'buttonControl', 'arrowControl', 'droneControl'];

/** rdk's scaleThrottle: a dead band to 0.27, then tenths rounded away from zero. */
function scaleThrottle(a: number): number {
  if (Math.abs(a) <= 0.27) return 0;
  return Math.sign(a) * (Math.ceil(Math.abs(a) * 10) / 10);
}

export class SimBaseRemoteControl extends SimResource {
  private speed = 0;
  private angle = 0;
  private sent: { speed: number; angle: number } = { speed: 0, angle: 0 };
  private readonly seen = new Map<string, number>();
  private readonly buttons = new Map<string, boolean>();
  private unsubscribe: (() => void) | undefined;
  /** What the service sent the base, for tests: method, values, time. */
  private readonly commandsSent: JsonObject[] = [];

  get mode(): string {
    const m = this.str('control_mode', '');
    return MODES.includes(m) ? m : 'arrowControl';
  }

  /** Subscribes to the controller on first use (resources are built in config order). */
  attach(): void {
    if (this.unsubscribe) return;
    const ctl = this.env.find(this.str('input_controller', ''));
    if (!(ctl instanceof SimInputController)) return;
    this.unsubscribe = ctl.onEvent((e, monitor) => this.onEvent(e, monitor));
  }

  private base(): SimBase | undefined {
    const b = this.env.find(this.str('base', ''));
    return b instanceof SimBase ? b : undefined;
  }

  private onEvent(e: InputEvent, monitor: Monitor): void {
    const key = `${e.control}/${e.event}`;
    const prev = this.seen.get(key);
    if (prev !== undefined && e.time < prev) return;
    this.seen.set(key, e.time);
    const base = this.base();
    if (!base) return;
    if (e.event === 'Connect' || e.event === 'Disconnect') {
      base.stop();
      this.sent = { speed: 0, angle: 0 };
      this.log('Stop', 0, 0);
      return;
    }
    const before = { speed: this.speed, angle: this.angle };
    this.apply(e);
    if (Math.abs(this.speed - before.speed) <= 0.05 && Math.abs(this.angle - before.angle) <= 0.05) return;
    monitor(base);
    if (this.speed === this.sent.speed && this.angle === this.sent.angle) return;
    this.sent = { speed: this.speed, angle: this.angle };
    const maxLinear = this.num('max_linear_mm_per_sec', 0);
    const maxAngular = this.num('max_angular_deg_per_sec', 0);
    if (maxLinear > 0 && maxAngular > 0) {
      base.setVelocity(maxLinear * this.speed, maxAngular * this.angle);
      this.log('SetVelocity', this.speed, this.angle);
    } else {
      base.setPower(this.speed, this.angle);
      this.log('SetPower', this.speed, this.angle);
    }
  }

  private apply(e: InputEvent): void {
    const c = e.control;
    switch (this.mode) {
      case 'droneControl':
        // rdk also sets linear.Z (-Y) and linear.X (RX); a planar base has neither.
        if (c === 'AbsoluteRY' && e.event === 'PositionChangeAbs') this.speed = scaleThrottle(-e.value);
        if (c === 'AbsoluteX' && e.event === 'PositionChangeAbs') this.angle = scaleThrottle(-e.value);
        break;
      case 'joystickControl':
        if (c === 'AbsoluteY' && e.event === 'PositionChangeAbs') this.speed = scaleThrottle(-e.value);
        if (c === 'AbsoluteX' && e.event === 'PositionChangeAbs') this.angle = scaleThrottle(-e.value);
        break;
      case 'arrowControl':
        if (c === 'AbsoluteHat0Y' && e.event === 'PositionChangeAbs') this.speed = -e.value;
        if (c === 'AbsoluteHat0X' && e.event === 'PositionChangeAbs') this.angle = -e.value;
        break;
      case 'triggerSpeedControl':
        if (e.event !== 'PositionChangeAbs') break;
        if (c === 'AbsoluteZ') this.speed = Math.max(-1, this.speed - 0.05);
        if (c === 'AbsoluteRZ') this.speed = Math.min(1, this.speed + 0.05);
        if (c === 'AbsoluteX') this.angle = e.value;
        break;
      case 'buttonControl': {
        if (e.event !== 'ButtonPress' && e.event !== 'ButtonRelease') break;
        this.buttons.set(c, e.event === 'ButtonPress');
        const on = (name: string) => (this.buttons.get(name) ? 1 : 0);
        this.speed = on('ButtonNorth') - on('ButtonSouth');
        this.angle = on('ButtonWest') - on('ButtonEast');
        break;
      }
    }
  }

  private log(method: string, linear: number, angular: number): void {
    this.commandsSent.push({ t: this.env.now(), method, linear, angular });
    if (this.commandsSent.length > 2000) this.commandsSent.splice(0, this.commandsSent.length - 2000);
  }

  override snapshot(): JsonObject {
    return {
      mode: this.mode,
      speed: this.speed,
      angle: this.angle,
      sent: this.commandsSent.map((c) => ({ ...c })),
    };
  }

  override dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
