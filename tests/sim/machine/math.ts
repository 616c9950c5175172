/** Small numeric helpers: rotations (Viam orientation vectors), a seeded PRNG, clamping. */

export type Vec3 = [number, number, number];
/** Row-major 3x3 rotation matrix. */
export type Mat3 = [Vec3, Vec3, Vec3];

export const DEG = Math.PI / 180;

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Deterministic noise so a run can be replayed (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mul(a: Mat3, b: Mat3): Mat3 {
  const r = (i: 0 | 1 | 2, j: 0 | 1 | 2): number => a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  return [
    [r(0, 0), r(0, 1), r(0, 2)],
    [r(1, 0), r(1, 1), r(1, 2)],
    [r(2, 0), r(2, 1), r(2, 2)],
  ];
}

export function transpose(m: Mat3): Mat3 {
  return [
    [m[0][0], m[1][0], m[2][0]],
    [m[0][1], m[1][1], m[2][1]],
    [m[0][2], m[1][2], m[2][2]],
  ];
}

export function rotZ(t: number): Mat3 {
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [
    [c, -s, 0],
    [s, c, 0],
    [0, 0, 1],
  ];
}

export function rotY(t: number): Mat3 {
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [
    [c, 0, s],
    [0, 1, 0],
    [-s, 0, c],
  ];
}

export interface OrientationVectorDeg {
  oX: number;
  oY: number;
  oZ: number;
  theta: number;
}

/**
 * rdk defines an orientation vector as a ZYZ rotation: about Z by the vector's longitude, about Y
 * by its latitude from the pole, then about the (new) Z by theta.
 */
export function ovToMatrix(ov: OrientationVectorDeg): Mat3 {
  const n = Math.hypot(ov.oX, ov.oY, ov.oZ) || 1;
  const oz = clamp(ov.oZ / n, -1, 1);
  const lat = Math.acos(oz);
  const lon = 1 - Math.abs(oz) > 1e-4 ? Math.atan2(ov.oY / n, ov.oX / n) : 0;
  return mul(mul(rotZ(lon), rotY(lat)), rotZ(ov.theta * DEG));
}

export function matrixToOv(m: Mat3): OrientationVectorDeg {
  const oX = m[0][2];
  const oY = m[1][2];
  const oZ = clamp(m[2][2], -1, 1);
  const lat = Math.acos(oZ);
  const lon = 1 - Math.abs(oZ) > 1e-4 ? Math.atan2(oY, oX) : 0;
  const rest = mul(transpose(rotY(lat)), mul(transpose(rotZ(lon)), m));
  const theta = Math.atan2(rest[1][0], rest[0][0]) / DEG;
  return { oX, oY, oZ, theta };
}

/** Rotation vector (axis * angle) taking `from` to `to`, used as an orientation error. */
export function rotationError(from: Mat3, to: Mat3): Vec3 {
  const r = mul(to, transpose(from));
  const cos = clamp((r[0][0] + r[1][1] + r[2][2] - 1) / 2, -1, 1);
  const angle = Math.acos(cos);
  const v: Vec3 = [r[2][1] - r[1][2], r[0][2] - r[2][0], r[1][0] - r[0][1]];
  const s = Math.sin(angle);
  if (Math.abs(s) < 1e-9) {
    if (angle < 1e-9) return [0, 0, 0];
    // 180 degrees: the axis comes from the diagonal.
    const ax: Vec3 = [
      Math.sqrt(Math.max(0, (r[0][0] + 1) / 2)),
      Math.sqrt(Math.max(0, (r[1][1] + 1) / 2)),
      Math.sqrt(Math.max(0, (r[2][2] + 1) / 2)),
    ];
    return [ax[0] * angle, ax[1] * angle, ax[2] * angle];
  }
  const k = angle / (2 * s);
  return [v[0] * k, v[1] * k, v[2] * k];
}

export function round(v: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
