/** Arm and gantry helpers: joint limits from kinematics, clamping, pose formatting. Pure. */

export interface JointLimit {
  readonly min: number;
  readonly max: number;
}

interface KinematicsLike {
  readonly joints?: readonly { readonly min?: unknown; readonly max?: unknown }[];
}

/** Joint limits as the machine reports them (SVA kinematics); undefined where it gives none. */
export function jointLimits(kinematics: unknown, joints: number): (JointLimit | undefined)[] {
  const list = (kinematics as KinematicsLike | undefined)?.joints ?? [];
  return Array.from({ length: joints }, (_, i) => {
    const j = list[i];
    const min = typeof j?.min === 'number' ? j.min : Number.NaN;
    const max = typeof j?.max === 'number' ? j.max : Number.NaN;
    return Number.isFinite(min) && Number.isFinite(max) && min < max ? { min, max } : undefined;
  });
}

export function clampToLimit(value: number, limit: JointLimit | undefined): number {
  if (!limit) return value;
  return Math.min(limit.max, Math.max(limit.min, value));
}

/** The largest absolute change between two position lists. */
export function largestChange(from: readonly number[], to: readonly number[]): number {
  let largest = 0;
  to.forEach((v, i) => {
    const d = Math.abs(v - (from[i] ?? 0));
    if (d > largest) largest = d;
  });
  return largest;
}

export interface PoseLike {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly oX: number;
  readonly oY: number;
  readonly oZ: number;
  readonly theta: number;
}

export const POSE_FIELDS = ['x', 'y', 'z', 'oX', 'oY', 'oZ', 'theta'] as const;

/** A pose as JSON, as Viam writes poses (mm and an orientation vector in degrees). */
export function poseJson(pose: PoseLike): string {
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return JSON.stringify(Object.fromEntries(POSE_FIELDS.map((f) => [f, round(pose[f])])));
}

export function distanceMm(a: PoseLike, b: PoseLike): number {
  return Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
}
