/**
 * Gamepad driving, as pure maths: what a pad's axes and buttons mean for a base, with a radial dead
 * zone and an expo curve, and which of several pads drives. No DOM: the controller hands in plain
 * snapshots of `navigator.getGamepads()`, so any pad (odd axes, NaN, values past ±1) can be tested.
 *
 * The map follows the W3C "standard" layout:
 *   left stick          drive (up = forward, left = turn left), arcade style
 *   LB (button 4)       enable: must be held for anything to move (dead-man)
 *   D-pad (12–15)       straight forward / backward, spin left / right, while enable is held
 *   B (button 1)        STOP: StopAll, enable or not
 */
import { clamp, STILL, type Motion } from './teleop.ts';

/** What the controller reads off one pad. */
export interface PadSnapshot {
  readonly index: number;
  readonly id: string;
  /** 'standard' or '' (the browser does not know where this pad's controls are). */
  readonly mapping: string;
  readonly connected: boolean;
  readonly axes: readonly number[];
  /** Pressed state per button (value ≥ 0.5 counts for analog buttons). */
  readonly buttons: readonly boolean[];
  /** Each button's value, 0..1 (analog triggers); absent where only pressed states are known. */
  readonly values?: readonly number[];
}

export interface PadSettings {
  /** Radial dead zone, 0..0.5 of the stick's travel. */
  readonly deadZone: number;
  /** Expo, 0 (linear) .. 1 (cubic): small deflections give finer control. */
  readonly expo: number;
}

export const DEFAULT_PAD_SETTINGS: PadSettings = { deadZone: 0.12, expo: 0.4 };

export const PAD_BUTTONS = {
  stop: 1,
  enable: 4,
  up: 12,
  down: 13,
  left: 14,
  right: 15,
} as const;

/** Button names for the operator, by standard index. */
export const PAD_LABELS = {
  enable: 'LB',
  stop: 'B',
} as const;

/** What the operator asks for with a pad, this sample. */
export interface PadIntent {
  /** The enable button is held. */
  readonly enabled: boolean;
  /** The motion asked for; STILL unless enabled. */
  readonly motion: Motion;
  /** The STOP button is down. */
  readonly stop: boolean;
}

/** Reads a possibly hostile axis value: NaN, ±Infinity and missing axes are centred; the rest clamped. */
export function axis(axes: readonly number[], i: number): number {
  const v = axes[i];
  return typeof v === 'number' && Number.isFinite(v) ? clamp(v, -1, 1) : 0;
}

export function button(buttons: readonly boolean[], i: number): boolean {
  return buttons[i] === true;
}

/** Settings from anything (storage, a form): out-of-range values are pulled into range. */
export function sanitizeSettings(value: unknown): PadSettings {
  const o = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  return {
    deadZone: round2(clamp(num(o.deadZone, DEFAULT_PAD_SETTINGS.deadZone), 0, 0.5)),
    expo: round2(clamp(num(o.expo, DEFAULT_PAD_SETTINGS.expo), 0, 1)),
  };
}

/**
 * Stick (x right, y down, each -1..1) -> motion. The dead zone is radial (a round centre, so a
 * diagonal is not cut to an axis), the travel past it is rescaled to 0..1, then the expo curve
 * (1-e)·r + e·r³ is applied to the magnitude. Outside the unit circle is pulled onto it. The result
 * is quantised to 1/50 so a resting pad's noise does not send a command per frame.
 */
export function shapeStick(x: number, y: number, settings: PadSettings): Motion {
  const sx = Number.isFinite(x) ? clamp(x, -1, 1) : 0;
  const sy = Number.isFinite(y) ? clamp(y, -1, 1) : 0;
  const r = Math.hypot(sx, sy);
  const dz = clamp(settings.deadZone, 0, 0.5);
  if (r <= dz || r === 0) return STILL;
  const travel = Math.min(1, (r - dz) / (1 - dz));
  const e = clamp(settings.expo, 0, 1);
  const shaped = (1 - e) * travel + e * travel ** 3;
  const k = shaped / r;
  return { linear: quantise(-sy * k), angular: quantise(-sx * k) };
}

/** One pad's intent. Without the enable button held, nothing moves whatever the stick says. */
export function readIntent(pad: PadSnapshot, settings: PadSettings): PadIntent {
  const enabled = button(pad.buttons, PAD_BUTTONS.enable);
  const stop = button(pad.buttons, PAD_BUTTONS.stop);
  if (!enabled || stop) return { enabled, motion: STILL, stop };
  const dpad = dpadMotion(pad.buttons);
  const motion = dpad ?? shapeStick(axis(pad.axes, 0), axis(pad.axes, 1), settings);
  return { enabled, motion, stop };
}

/** The D-pad: straight moves and spins at full scale; opposite directions cancel; it wins over the stick. */
function dpadMotion(buttons: readonly boolean[]): Motion | undefined {
  const up = button(buttons, PAD_BUTTONS.up);
  const down = button(buttons, PAD_BUTTONS.down);
  const left = button(buttons, PAD_BUTTONS.left);
  const right = button(buttons, PAD_BUTTONS.right);
  if (!up && !down && !left && !right) return undefined;
  const linear = (up ? 1 : 0) - (down ? 1 : 0);
  const angular = linear !== 0 ? 0 : (left ? 1 : 0) - (right ? 1 : 0);
  return { linear, angular };
}

/** Whether this pad can drive at all: it needs the enable button and a stick. */
export function padProblem(pad: PadSnapshot): string | undefined {
  if (pad.buttons.length <= PAD_BUTTONS.enable)
    return `This pad has ${pad.buttons.length} buttons: it has no ${PAD_LABELS.enable} (button ${PAD_BUTTONS.enable + 1}) to hold, so it cannot drive.`;
  if (pad.axes.length < 2) return 'This pad has no stick (fewer than two axes): only the D-pad can drive.';
  return undefined;
}

/** The warning for a pad the browser does not know the layout of. */
export function mappingWarning(pad: PadSnapshot): string | undefined {
  return pad.mapping === 'standard'
    ? undefined
    : 'Not the standard mapping: the browser does not know where this pad’s buttons are, so LB, B and the stick may be other controls. Check before driving.';
}

/**
 * Which pad drives when several are connected: the one already driving stays while it is connected;
 * otherwise the lowest-numbered connected pad. Every other pad is ignored (and shown as such).
 */
export function choosePad(
  pads: readonly (PadSnapshot | null)[],
  current: number | undefined,
): PadSnapshot | undefined {
  const connected = pads.filter((p): p is PadSnapshot => p !== null && p.connected);
  return connected.find((p) => p.index === current) ?? connected.sort((a, b) => a.index - b.index)[0];
}

/** A pad's id as the browser gives it, made fit to show: control characters gone, bounded. */
export function padName(id: string): string {
  const clean = id
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean === '') return 'Unnamed gamepad';
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

const quantise = (v: number) => Math.round(clamp(v, -1, 1) * 50) / 50 + 0;
const round2 = (v: number) => Math.round(v * 100) / 100;

/** What a pad asks of a jogging card (arm, gantry) this sample. */
export interface JogIntent {
  readonly enabled: boolean;
  readonly stop: boolean;
  /** D-pad up (+1) or down (-1) while enabled; 0 for neither or both. */
  readonly jog: -1 | 0 | 1;
  /** D-pad right (+1) or left (-1): the next or previous joint or axis; 0 for neither or both. */
  readonly select: -1 | 0 | 1;
}

/** The D-pad as jog controls: up/down jog the selected joint or axis, left/right pick it; LB enables. */
export function readJogIntent(pad: PadSnapshot): JogIntent {
  const enabled = button(pad.buttons, PAD_BUTTONS.enable);
  const stop = button(pad.buttons, PAD_BUTTONS.stop);
  const dir = (plus: boolean, minus: boolean): -1 | 0 | 1 => (plus === minus ? 0 : plus ? 1 : -1);
  return {
    enabled,
    stop,
    jog:
      enabled && !stop ? dir(button(pad.buttons, PAD_BUTTONS.up), button(pad.buttons, PAD_BUTTONS.down)) : 0,
    select: dir(button(pad.buttons, PAD_BUTTONS.right), button(pad.buttons, PAD_BUTTONS.left)),
  };
}
