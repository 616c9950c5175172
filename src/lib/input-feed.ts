/**
 * The browser's gamepad as a Viam `webgamepad` input controller sees it, as pure maths: which W3C
 * standard-layout control is which Viam control, the events that carry a change, and their times.
 *
 * The names follow rdk's webgamepad (its 19 controls) and the map Viam's own CONTROL tab used:
 * sticks AbsoluteX/Y/RX/RY (browser signs: up and left are -1), triggers AbsoluteZ/RZ (0..1), the
 * D-pad AbsoluteHat0X/Y (-1 left / up), face and shoulder buttons ButtonSouth… Two of the pad's
 * buttons stay the console's own and are never sent: LB is the enable that must be held (let go,
 * every control reads as at rest), and B is STOP.
 */
import { PAD_BUTTONS, axis, type PadSnapshot } from './gamepad.ts';

export type ControlValues = Readonly<Record<string, number>>;

export interface FeedEvent {
  readonly control: string;
  readonly event: 'PositionChangeAbs' | 'ButtonPress' | 'ButtonRelease' | 'Connect' | 'Disconnect';
  readonly value: number;
}

const STICKS = ['AbsoluteX', 'AbsoluteY', 'AbsoluteRX', 'AbsoluteRY'] as const;
const TRIGGERS: readonly [string, number][] = [
  ['AbsoluteZ', 6],
  ['AbsoluteRZ', 7],
];
/** Standard button index -> Viam control; 1 (B, STOP) and 4 (LB, enable) are the console's. */
const BUTTONS: readonly [string, number][] = [
  ['ButtonSouth', 0],
  ['ButtonWest', 2],
  ['ButtonNorth', 3],
  ['ButtonRT', 5],
  ['ButtonSelect', 8],
  ['ButtonStart', 9],
  ['ButtonLThumb', 10],
  ['ButtonRThumb', 11],
  ['ButtonMenu', 16],
];
const AXES: readonly string[] = [...STICKS, 'AbsoluteZ', 'AbsoluteRZ', 'AbsoluteHat0X', 'AbsoluteHat0Y'];

/** Every control the feed sends, axes first. */
export const FEED_CONTROLS: readonly string[] = [...AXES, ...BUTTONS.map(([c]) => c)];

export const isAxisControl = (control: string): boolean => AXES.includes(control);

/** All controls at rest: centred axes, released buttons. */
export const AT_REST: ControlValues = Object.fromEntries(FEED_CONTROLS.map((c) => [c, 0]));

/** Steps of 1/100 (a resting stick's noise sends nothing); hostile numbers read as rest. */
function level(v: number, min: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.round(Math.min(1, Math.max(min, v)) * 100) / 100 + 0;
}

/**
 * The values the pad's controls have now, for the robot. Without the enable held, or with STOP down,
 * every control is at rest. Sticks get a radial dead zone (each stick on its own).
 */
export function padValues(pad: PadSnapshot, deadZone: number): ControlValues {
  const pressed = (i: number) => pad.buttons[i] === true;
  if (!pressed(PAD_BUTTONS.enable) || pressed(PAD_BUTTONS.stop)) return AT_REST;
  const out: Record<string, number> = {};
  const dz = Math.min(0.5, Math.max(0, deadZone));
  for (const [xi, yi] of [
    [0, 1],
    [2, 3],
  ] as const) {
    const x = level(axis(pad.axes, xi), -1);
    const y = level(axis(pad.axes, yi), -1);
    const inside = Math.hypot(x, y) <= dz;
    out[STICKS[xi]] = inside ? 0 : x;
    out[STICKS[yi]] = inside ? 0 : y;
  }
  const valueOf = (i: number) => {
    const v = pad.values?.[i];
    return v === undefined ? (pressed(i) ? 1 : 0) : level(v, 0);
  };
  for (const [c, i] of TRIGGERS) out[c] = valueOf(i);
  out['AbsoluteHat0X'] = (pressed(PAD_BUTTONS.right) ? 1 : 0) - (pressed(PAD_BUTTONS.left) ? 1 : 0);
  out['AbsoluteHat0Y'] = (pressed(PAD_BUTTONS.down) ? 1 : 0) - (pressed(PAD_BUTTONS.up) ? 1 : 0);
  for (const [c, i] of BUTTONS) out[c] = pressed(i) ? 1 : 0;
  return out;
}

/** The events that take the robot from `before` to `after`: only controls that changed. */
export function changes(before: ControlValues, after: ControlValues): FeedEvent[] {
  const out: FeedEvent[] = [];
  for (const control of FEED_CONTROLS) {
    const value = after[control] ?? 0;
    if ((before[control] ?? 0) === value) continue;
    if (isAxisControl(control)) out.push({ control, event: 'PositionChangeAbs', value });
    else out.push({ control, event: value > 0 ? 'ButtonPress' : 'ButtonRelease', value });
  }
  return out;
}

/** One event per control: Connect when the feed starts, Disconnect when it ends. */
export function everyControl(event: 'Connect' | 'Disconnect'): FeedEvent[] {
  return FEED_CONTROLS.map((control) => ({ control, event, value: 0 }));
}

export interface EventTime {
  readonly seconds: bigint;
  readonly nanos: number;
}

/**
 * Event times, strictly increasing across every event this clock stamps, in whole microseconds: the
 * robot drops an event older than the last of its kind, so two in the same millisecond must differ.
 */
export class EventClock {
  #lastUs = 0;

  stamp(nowMs: number): EventTime {
    const us = Math.max(Math.floor(nowMs * 1000), this.#lastUs + 1);
    this.#lastUs = us;
    return { seconds: BigInt(Math.floor(us / 1e6)), nanos: (us % 1e6) * 1000 };
  }
}
