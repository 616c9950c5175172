/**
 * A DC motor with an encoder: power or RPM integrates into position (revolutions); GoFor/GoTo run
 * to a target at a speed and then stop; max_rpm comes from the attributes.
 */
import type { JsonObject } from '../config.ts';
import { finite, inRange, invalidArgument } from '../errors.ts';
import { MoveTracker, type MoveOutcome } from '../motion.ts';
import { SimResource } from '../resource.ts';

type Mode = 'idle' | 'power' | 'rpm' | 'target';

export class SimMotor extends SimResource {
  override readonly actuator = true;
  private readonly move = new MoveTracker();
  /** Revolutions since start, never reset (encoders count from this). */
  private rawRevs = 0;
  private zero = 0;
  /** Signed, current. */
  private rpm = 0;
  private mode: Mode = 'idle';
  private target = 0;
  private last = this.env.now();
  /** Who is driving: 'api' or the name of a base that owns this wheel. */
  private driver = 'api';

  get maxRpm(): number {
    return this.num('max_rpm', 200);
  }

  get ticksPerRotation(): number {
    return this.num('ticks_per_rotation', 1024);
  }

  get encoderName(): string | undefined {
    const e = this.attributes['encoder'];
    return typeof e === 'string' ? e : undefined;
  }

  /** Bring position up to now. */
  private advance(): void {
    const now = this.env.now();
    const dt = now - this.last;
    this.last = now;
    if (dt <= 0 || this.rpm === 0) return;
    const step = (this.rpm / 60000) * dt;
    if (this.mode === 'target') {
      const remaining = this.target - this.rawRevs;
      if (Math.abs(step) >= Math.abs(remaining)) {
        this.rawRevs = this.target;
        this.halt();
        return;
      }
    }
    this.rawRevs += step;
  }

  private halt(): void {
    this.rpm = 0;
    this.mode = 'idle';
    this.driver = 'api';
  }

  get rawPosition(): number {
    this.advance();
    return this.rawRevs;
  }

  position(): number {
    return this.rawPosition - this.zero;
  }

  currentRpm(): number {
    this.advance();
    return this.rpm;
  }

  powerPct(): number {
    return this.currentRpm() / this.maxRpm;
  }

  override isMoving(): boolean {
    return this.currentRpm() !== 0;
  }

  setPower(powerPct: number): void {
    inRange(powerPct, -1, 1, 'power_pct');
    this.advance();
    this.move.end('stopped');
    this.driver = 'api';
    this.rpm = powerPct * this.maxRpm;
    this.mode = this.rpm === 0 ? 'idle' : 'power';
  }

  setRpm(rpm: number): void {
    finite(rpm, 'rpm');
    this.advance();
    this.move.end('stopped');
    this.driver = 'api';
    this.rpm = Math.max(-this.maxRpm, Math.min(this.maxRpm, rpm));
    this.mode = this.rpm === 0 ? 'idle' : 'rpm';
  }

  /** A wheeled base commanding this motor. */
  driveFromBase(base: string, rpm: number): void {
    this.setRpm(rpm);
    this.driver = rpm === 0 ? 'api' : base;
  }

  /** GoFor: revolutions 0 means "run at rpm until told otherwise", as in rdk. */
  goFor(rpm: number, revolutions: number): Promise<MoveOutcome> {
    finite(rpm, 'rpm');
    finite(revolutions, 'revolutions');
    if (Math.abs(rpm) < 0.1) throw invalidArgument('motor speed requested is 0 rev_per_min');
    if (revolutions === 0) {
      this.setRpm(rpm);
      return Promise.resolve('done');
    }
    const dir = Math.sign(rpm) * Math.sign(revolutions);
    return this.runTo(this.rawPosition + dir * Math.abs(revolutions), Math.abs(rpm));
  }

  goTo(rpm: number, positionRevs: number): Promise<MoveOutcome> {
    finite(rpm, 'rpm');
    finite(positionRevs, 'position_revolutions');
    if (Math.abs(rpm) < 0.1) throw invalidArgument('motor speed requested is 0 rev_per_min');
    return this.runTo(positionRevs + this.zero, Math.abs(rpm));
  }

  private runTo(rawTarget: number, speed: number): Promise<MoveOutcome> {
    this.advance();
    const s = Math.min(speed, this.maxRpm);
    const distance = rawTarget - this.rawRevs;
    this.move.end('stopped');
    if (distance === 0) {
      this.halt();
      return Promise.resolve('done');
    }
    this.driver = 'api';
    this.mode = 'target';
    this.target = rawTarget;
    this.rpm = Math.sign(distance) * s;
    const ms = (Math.abs(distance) / s) * 60000;
    return this.move.begin(ms, () => {
      this.advance();
      this.rawRevs = this.target;
      this.halt();
    });
  }

  resetZeroPosition(offset: number): void {
    finite(offset, 'offset');
    // rdk: the current position becomes -offset.
    this.zero = this.rawPosition + offset;
  }

  override stop(): void {
    this.advance();
    this.halt();
    this.move.end('stopped');
  }

  override snapshot(): JsonObject {
    return {
      position: this.position(),
      rpm: this.currentRpm(),
      power_pct: this.powerPct(),
      is_moving: this.isMoving(),
      mode: this.mode,
      driver: this.driver,
      ...(this.mode === 'target' ? { target: this.target - this.zero } : {}),
    };
  }
}
