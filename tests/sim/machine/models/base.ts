/**
 * A differential-drive (wheeled) base with a 2D pose in the world frame: x east, y north (mm),
 * theta counter-clockwise from north (degrees; positive Spin turns left, as in Viam). It drives the
 * wheel motors named in `left` / `right` so their positions and encoders move along with it.
 */
import type { JsonObject } from '../config.ts';
import { finite, inRange } from '../errors.ts';
import { DEG } from '../math.ts';
import { MoveTracker, type MoveOutcome } from '../motion.ts';
import { cmdNumber, SimResource, type CommandHandler } from '../resource.ts';
import { SimMotor } from './motor.ts';

type Mode = 'idle' | 'power' | 'velocity' | 'straight' | 'spin';

export interface Pose2D {
  x: number;
  y: number;
  theta: number;
}

export class SimBase extends SimResource {
  override readonly actuator = true;
  private readonly move = new MoveTracker();
  private pose: Pose2D = { x: 0, y: 0, theta: 0 };
  /** mm/s forward, deg/s counter-clockwise */
  private v = 0;
  private w = 0;
  private mode: Mode = 'idle';
  private endsAt = Infinity;
  private last = this.env.now();
  /** Odometer, for the power sensor and the state snapshot. */
  private travelledMm = 0;

  get widthMm(): number {
    return this.num('width_mm', 400);
  }

  get wheelCircumferenceMm(): number {
    return this.num('wheel_circumference_mm', 220);
  }

  get maxSpeed(): number {
    return this.num('max_speed_mm_per_sec', 500);
  }

  get maxAngular(): number {
    return this.num('max_angular_deg_per_sec', 90);
  }

  private advance(): void {
    const now = this.env.now();
    const until = Math.min(now, this.endsAt);
    const dt = (until - this.last) / 1000;
    if (dt > 0 && (this.v !== 0 || this.w !== 0)) this.integrate(dt);
    this.last = Math.max(this.last, until);
    if (now >= this.endsAt) {
      this.last = now;
      this.setMotion(0, 0, 'idle');
    }
  }

  private integrate(dt: number): void {
    const t0 = this.pose.theta * DEG;
    const omega = this.w * DEG;
    if (Math.abs(omega) < 1e-9) {
      this.pose.x += -Math.sin(t0) * this.v * dt;
      this.pose.y += Math.cos(t0) * this.v * dt;
    } else {
      const t1 = t0 + omega * dt;
      this.pose.x += (this.v / omega) * (Math.cos(t1) - Math.cos(t0));
      this.pose.y += (this.v / omega) * (Math.sin(t1) - Math.sin(t0));
    }
    this.pose.theta = ((((this.pose.theta + this.w * dt) % 360) + 540) % 360) - 180;
    this.travelledMm += Math.abs(this.v) * dt;
  }

  private setMotion(v: number, w: number, mode: Mode, endsAt = Infinity): void {
    this.v = v;
    this.w = w;
    this.mode = mode;
    this.endsAt = endsAt;
    this.driveWheels();
  }

  private driveWheels(): void {
    const half = (this.w * DEG * this.widthMm) / 2;
    const toRpm = (mmPerSec: number): number => (mmPerSec / this.wheelCircumferenceMm) * 60;
    for (const [names, speed] of [
      [this.strList('left'), this.v - half],
      [this.strList('right'), this.v + half],
    ] as const) {
      for (const n of names) {
        const m = this.env.find(n);
        if (m instanceof SimMotor) m.driveFromBase(this.name, toRpm(speed));
      }
    }
  }

  currentPose(): Pose2D {
    this.advance();
    return { ...this.pose };
  }

  /** Forward speed (mm/s) and turn rate (deg/s, CCW) right now. */
  velocity(): { v: number; w: number } {
    this.advance();
    return { v: this.v, w: this.w };
  }

  override isMoving(): boolean {
    this.advance();
    return this.v !== 0 || this.w !== 0;
  }

  setPower(linearY: number, angularZ: number): void {
    inRange(linearY, -1, 1, 'linear.y power');
    inRange(angularZ, -1, 1, 'angular.z power');
    this.advance();
    this.move.end('stopped');
    const idle = linearY === 0 && angularZ === 0;
    this.setMotion(linearY * this.maxSpeed, angularZ * this.maxAngular, idle ? 'idle' : 'power');
  }

  setVelocity(linearMmPerSec: number, angularDegPerSec: number): void {
    finite(linearMmPerSec, 'linear.y velocity');
    finite(angularDegPerSec, 'angular.z velocity');
    this.advance();
    this.move.end('stopped');
    const idle = linearMmPerSec === 0 && angularDegPerSec === 0;
    this.setMotion(linearMmPerSec, angularDegPerSec, idle ? 'idle' : 'velocity');
  }

  moveStraight(distanceMm: number, mmPerSec: number): Promise<MoveOutcome> {
    finite(distanceMm, 'distance_mm');
    finite(mmPerSec, 'mm_per_sec');
    this.advance();
    if (distanceMm === 0 || mmPerSec === 0) {
      this.stop();
      return Promise.resolve('done');
    }
    const speed = Math.sign(distanceMm) * Math.sign(mmPerSec) * Math.abs(mmPerSec);
    const ms = (Math.abs(distanceMm) / Math.abs(mmPerSec)) * 1000;
    return this.timed(speed, 0, 'straight', ms);
  }

  spin(angleDeg: number, degsPerSec: number): Promise<MoveOutcome> {
    finite(angleDeg, 'angle_deg');
    finite(degsPerSec, 'degs_per_sec');
    this.advance();
    if (angleDeg === 0 || degsPerSec === 0) {
      this.stop();
      return Promise.resolve('done');
    }
    const rate = Math.sign(angleDeg) * Math.sign(degsPerSec) * Math.abs(degsPerSec);
    const ms = (Math.abs(angleDeg) / Math.abs(degsPerSec)) * 1000;
    return this.timed(0, rate, 'spin', ms);
  }

  private timed(v: number, w: number, mode: Mode, ms: number): Promise<MoveOutcome> {
    this.move.end('stopped');
    const now = this.env.now();
    this.last = now;
    this.setMotion(v, w, mode, now + ms);
    return this.move.begin(ms, () => this.advance());
  }

  override stop(): void {
    this.advance();
    this.setMotion(0, 0, 'idle');
    this.move.end('stopped');
  }

  override snapshot(): JsonObject {
    const p = this.currentPose();
    return {
      pose: { x_mm: p.x, y_mm: p.y, theta_deg: p.theta },
      linear_mm_per_sec: this.v,
      angular_deg_per_sec: this.w,
      is_moving: this.v !== 0 || this.w !== 0,
      mode: this.mode,
      odometer_mm: this.travelledMm,
    };
  }

  protected override commands(): Record<string, CommandHandler> {
    return {
      get_pose: () => {
        const p = this.currentPose();
        return { x_mm: p.x, y_mm: p.y, theta_deg: p.theta };
      },
      set_pose: (cmd) => {
        this.advance();
        this.pose = {
          x: cmdNumber(cmd, 'x_mm', 0),
          y: cmdNumber(cmd, 'y_mm', 0),
          theta: cmdNumber(cmd, 'theta_deg', 0),
        };
        return { x_mm: this.pose.x, y_mm: this.pose.y, theta_deg: this.pose.theta };
      },
    };
  }
}
