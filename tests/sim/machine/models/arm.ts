/**
 * A 6-joint arm shaped like a UR5e (Denavit-Hartenberg parameters below): joints travel toward
 * their targets at `speed_degs_per_sec`, all arriving together; the end pose is forward kinematics
 * of the current joints; MoveToPosition solves inverse kinematics numerically.
 */
import type { JsonObject } from '../config.ts';
import { invalidArgument } from '../errors.ts';
import {
  DEG,
  matrixToOv,
  ovToMatrix,
  rotationError,
  type Mat3,
  type OrientationVectorDeg,
  type Vec3,
} from '../math.ts';
import { MoveTracker, Travel, type MoveOutcome } from '../motion.ts';
import { SimResource } from '../resource.ts';

export interface ArmPose extends OrientationVectorDeg {
  x: number;
  y: number;
  z: number;
}

/** UR5e: a and d in mm, alpha in radians. */
const DH: readonly { a: number; d: number; alpha: number }[] = [
  { a: 0, d: 162.5, alpha: Math.PI / 2 },
  { a: -425, d: 0, alpha: 0 },
  { a: -392.2, d: 0, alpha: 0 },
  { a: 0, d: 133.3, alpha: Math.PI / 2 },
  { a: 0, d: 99.7, alpha: -Math.PI / 2 },
  { a: 0, d: 99.6, alpha: 0 },
];
const JOINT_LIMIT = 360;
const HOME = [0, -90, 90, -90, -90, 0];

function forward(jointsDeg: readonly number[]): { p: Vec3; r: Mat3 } {
  let r: Mat3 = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  let p: Vec3 = [0, 0, 0];
  DH.forEach((l, i) => {
    const t = (jointsDeg[i] ?? 0) * DEG;
    const ct = Math.cos(t);
    const st = Math.sin(t);
    const ca = Math.cos(l.alpha);
    const sa = Math.sin(l.alpha);
    const local: Mat3 = [
      [ct, -st * ca, st * sa],
      [st, ct * ca, -ct * sa],
      [0, sa, ca],
    ];
    const lp: Vec3 = [l.a * ct, l.a * st, l.d];
    p = [
      p[0] + r[0][0] * lp[0] + r[0][1] * lp[1] + r[0][2] * lp[2],
      p[1] + r[1][0] * lp[0] + r[1][1] * lp[1] + r[1][2] * lp[2],
      p[2] + r[2][0] * lp[0] + r[2][1] * lp[1] + r[2][2] * lp[2],
    ];
    const m = (a: Mat3, b: Mat3, i2: 0 | 1 | 2, j: 0 | 1 | 2): number =>
      a[i2][0] * b[0][j] + a[i2][1] * b[1][j] + a[i2][2] * b[2][j];
    r = [
      [m(r, local, 0, 0), m(r, local, 0, 1), m(r, local, 0, 2)],
      [m(r, local, 1, 0), m(r, local, 1, 1), m(r, local, 1, 2)],
      [m(r, local, 2, 0), m(r, local, 2, 1), m(r, local, 2, 2)],
    ];
  });
  return { p, r };
}

export function armForwardKinematics(jointsDeg: readonly number[]): ArmPose {
  const { p, r } = forward(jointsDeg);
  return { x: p[0], y: p[1], z: p[2], ...matrixToOv(r) };
}

/** Damped least squares from `seed`; undefined when it does not converge. */
function inverse(target: ArmPose, seed: readonly number[]): number[] | undefined {
  const goalR = ovToMatrix(target);
  const goalP: Vec3 = [target.x, target.y, target.z];
  const q = [...seed];
  // Orientation error is weighted so 1 rad counts like 200 mm.
  const W = 200;
  const err = (joints: readonly number[]): number[] => {
    const f = forward(joints);
    const o = rotationError(f.r, goalR);
    return [goalP[0] - f.p[0], goalP[1] - f.p[1], goalP[2] - f.p[2], o[0] * W, o[1] * W, o[2] * W];
  };
  for (let iter = 0; iter < 300; iter++) {
    const e = err(q);
    const norm = Math.hypot(...e);
    if (norm < 0.05) return q.map((v) => ((((v + 180) % 360) + 360) % 360) - 180);
    // Numerical Jacobian (6x6), columns per joint in degrees.
    const J: number[][] = [];
    for (let j = 0; j < 6; j++) {
      const dq = [...q];
      dq[j] = (dq[j] ?? 0) + 0.01;
      const e2 = err(dq);
      J.push(e.map((v, k) => (v - (e2[k] ?? 0)) / 0.01));
    }
    // Solve (J^T J + λI) dx = J^T e with Gaussian elimination; J is stored column-major.
    const lambda = 1 + norm * 0.01;
    const A = Array.from({ length: 6 }, (_, r) =>
      Array.from(
        { length: 6 },
        (_, c) => (J[r] ?? []).reduce((s, v, k) => s + v * (J[c]?.[k] ?? 0), 0) + (r === c ? lambda : 0),
      ),
    );
    const b = Array.from({ length: 6 }, (_, r) => (J[r] ?? []).reduce((s, v, k) => s + v * (e[k] ?? 0), 0));
    const dx = solve(A, b);
    if (!dx) return undefined;
    const maxStep = Math.max(...dx.map(Math.abs));
    const scale = maxStep > 10 ? 10 / maxStep : 1;
    dx.forEach((d, j) => {
      q[j] = (q[j] ?? 0) + d * scale;
    });
  }
  return undefined;
}

function solve(A: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]?.[c] ?? 0) > Math.abs(M[pivot]?.[c] ?? 0)) pivot = r;
    const pr = M[pivot];
    const cr = M[c];
    if (!pr || !cr || Math.abs(pr[c] ?? 0) < 1e-12) return undefined;
    M[pivot] = cr;
    M[c] = pr;
    for (let r = 0; r < n; r++) {
      const row = M[r];
      if (r === c || !row) continue;
      const f = (row[c] ?? 0) / (pr[c] ?? 1);
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (pr[k] ?? 0);
    }
  }
  return M.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

export class SimArm extends SimResource {
  override readonly actuator = true;
  private readonly move = new MoveTracker();
  private joints: number[] = this.numList('initial_joints_deg', HOME);
  private travel: Travel | undefined;

  get speed(): number {
    return this.num('speed_degs_per_sec', 60);
  }

  jointPositions(): number[] {
    if (this.travel) {
      const now = this.env.now();
      this.joints = this.travel.at(now);
      if (this.travel.done(now)) this.travel = undefined;
    }
    return [...this.joints];
  }

  endPosition(): ArmPose {
    return armForwardKinematics(this.jointPositions());
  }

  override isMoving(): boolean {
    this.jointPositions();
    return this.travel !== undefined;
  }

  private check(values: readonly number[]): void {
    if (values.length !== DH.length)
      throw invalidArgument(`arm has ${DH.length} joints, got ${values.length} positions`);
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) throw invalidArgument(`joint ${i} position must be a finite number`);
      if (Math.abs(v) > JOINT_LIMIT)
        throw invalidArgument(
          `joint ${i} input out of bounds: ${v} not in [-${JOINT_LIMIT}, ${JOINT_LIMIT}]`,
        );
    });
  }

  moveToJointPositions(values: readonly number[], speedDegsPerSec?: number): Promise<MoveOutcome> {
    this.check(values);
    const from = this.jointPositions();
    this.travel = new Travel(from, values, [speedDegsPerSec ?? this.speed], this.env.now(), true);
    const travel = this.travel;
    return this.move.begin(travel.durationMs, () => {
      if (this.travel === travel) {
        this.joints = [...values];
        this.travel = undefined;
      }
    });
  }

  async moveThroughJointPositions(
    list: readonly (readonly number[])[],
    speedDegsPerSec?: number,
  ): Promise<MoveOutcome> {
    list.forEach((v) => this.check(v));
    for (const values of list) {
      const outcome = await this.moveToJointPositions(values, speedDegsPerSec);
      if (outcome === 'stopped') return outcome;
    }
    return 'done';
  }

  moveToPosition(pose: ArmPose): Promise<MoveOutcome> {
    for (const [k, v] of Object.entries(pose)) {
      if (!Number.isFinite(v)) throw invalidArgument(`pose.${k} must be a finite number`);
    }
    const solution = inverse(pose, this.jointPositions()) ?? inverse(pose, HOME);
    if (!solution) throw invalidArgument('no inverse kinematics solution reaches the requested pose');
    return this.moveToJointPositions(solution);
  }

  override stop(): void {
    this.jointPositions();
    this.travel = undefined;
    this.move.end('stopped');
  }

  /** rdk's kinematics JSON (SVA format accepts DH parameters). */
  kinematics(): Uint8Array {
    const ids = [
      'shoulder_pan_joint',
      'shoulder_lift_joint',
      'elbow_joint',
      'wrist_1_joint',
      'wrist_2_joint',
      'wrist_3_joint',
    ];
    const model = {
      name: 'sim-ur5e',
      kinematic_param_type: 'DH',
      dhParams: DH.map((l, i) => ({
        id: ids[i],
        parent: i === 0 ? 'world' : ids[i - 1],
        a: l.a,
        d: l.d,
        alpha: l.alpha,
        max: JOINT_LIMIT,
        min: -JOINT_LIMIT,
      })),
    };
    return new TextEncoder().encode(JSON.stringify(model));
  }

  override snapshot(): JsonObject {
    const joints = this.jointPositions();
    const p = armForwardKinematics(joints);
    return {
      joints_deg: joints,
      end_pose: { ...p },
      is_moving: this.travel !== undefined,
      ...(this.travel ? { target_deg: [...this.travel.to] } : {}),
    };
  }
}
