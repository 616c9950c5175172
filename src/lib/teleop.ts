/**
 * Teleoperation maths: which keys mean which motion, how a joystick mixes linear and angular speed,
 * how a motion becomes base commands. Pure; no DOM, no SDK.
 */

/** A drive request in unit terms: linear forward (+) / backward (-), angular left (+) / right (-). */
export interface Motion {
  readonly linear: number;
  readonly angular: number;
}

export const STILL: Motion = { linear: 0, angular: 0 };

const KEY_MOTIONS: Readonly<Record<string, Motion>> = {
  w: { linear: 1, angular: 0 },
  arrowup: { linear: 1, angular: 0 },
  s: { linear: -1, angular: 0 },
  arrowdown: { linear: -1, angular: 0 },
  a: { linear: 0, angular: 1 },
  arrowleft: { linear: 0, angular: 1 },
  d: { linear: 0, angular: -1 },
  arrowright: { linear: 0, angular: -1 },
};

/** The drive key an event names (case-insensitive), or undefined for any other key. */
export function driveKey(key: string): string | undefined {
  const k = key.toLowerCase();
  return k in KEY_MOTIONS ? k : undefined;
}

/** Held keys -> motion. Opposite keys cancel; forward+left is an arc. */
export function keysToMotion(held: Iterable<string>): Motion {
  let linear = 0;
  let angular = 0;
  const seen = new Set<string>();
  for (const key of held) {
    const m = KEY_MOTIONS[key.toLowerCase()];
    if (!m) continue;
    // W and ArrowUp together are still one "forward".
    const id = `${m.linear},${m.angular}`;
    if (seen.has(id)) continue;
    seen.add(id);
    linear += m.linear;
    angular += m.angular;
  }
  return { linear: clampUnit(linear), angular: clampUnit(angular) };
}

/**
 * Joystick position (x right, y down, each -1..1 of the pad's radius) -> motion. Outside the unit
 * circle is pulled onto it; a small dead zone in the middle means "still".
 */
export function joystickToMotion(x: number, y: number, deadZone = 0.08): Motion {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return STILL;
  const r = Math.hypot(x, y);
  if (r < deadZone) return STILL;
  const scale = r > 1 ? 1 / r : 1;
  return { linear: round(clampUnit(-y * scale)), angular: round(clampUnit(-x * scale)) };
}

export const isStill = (m: Motion): boolean => m.linear === 0 && m.angular === 0;

export const sameMotion = (a: Motion, b: Motion): boolean => a.linear === b.linear && a.angular === b.angular;

export interface Vector3Like {
  x: number;
  y: number;
  z: number;
}

/** Base.SetPower arguments for a motion at `powerPct` (0..100) of full power. */
export function toPower(m: Motion, powerPct: number): { linear: Vector3Like; angular: Vector3Like } {
  const k = clamp(powerPct, 0, 100) / 100;
  return { linear: { x: 0, y: round(m.linear * k), z: 0 }, angular: { x: 0, y: 0, z: round(m.angular * k) } };
}

/** Base.SetVelocity arguments: mm/s forward and deg/s counter-clockwise at the chosen top speeds. */
export function toVelocity(
  m: Motion,
  maxMmPerSec: number,
  maxDegPerSec: number,
): { linear: Vector3Like; angular: Vector3Like } {
  return {
    linear: { x: 0, y: round(m.linear * Math.max(0, maxMmPerSec)), z: 0 },
    angular: { x: 0, y: 0, z: round(m.angular * Math.max(0, maxDegPerSec)) },
  };
}

export function clamp(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return min;
  return Math.min(max, Math.max(min, value));
}

const clampUnit = (v: number) => clamp(v, -1, 1);
const round = (v: number) => Math.round(v * 1000) / 1000 + 0; // + 0 turns -0 into 0
