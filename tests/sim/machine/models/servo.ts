/** A hobby servo: Move travels to an angle at a finite speed and returns when it gets there. */
import type { JsonObject } from '../config.ts';
import { invalidArgument } from '../errors.ts';
import { MoveTracker, Travel, type MoveOutcome } from '../motion.ts';
import { SimResource } from '../resource.ts';

export class SimServo extends SimResource {
  override readonly actuator = true;
  private readonly move = new MoveTracker();
  private angle = this.num('starting_position_deg', 90);
  private travel: Travel | undefined;

  position(): number {
    if (this.travel) {
      const now = this.env.now();
      this.angle = this.travel.at(now)[0] ?? this.angle;
      if (this.travel.done(now)) this.travel = undefined;
    }
    return this.angle;
  }

  override isMoving(): boolean {
    this.position();
    return this.travel !== undefined;
  }

  moveTo(angleDeg: number): Promise<MoveOutcome> {
    const min = this.num('min_angle_deg', 0);
    const max = this.num('max_angle_deg', 180);
    if (!Number.isFinite(angleDeg) || angleDeg < min || angleDeg > max) {
      throw invalidArgument(`angle ${angleDeg} out of range [${min}, ${max}]`);
    }
    this.travel = new Travel(
      [this.position()],
      [angleDeg],
      [this.num('speed_degs_per_sec', 120)],
      this.env.now(),
      true,
    );
    const travel = this.travel;
    return this.move.begin(travel.durationMs, () => {
      if (this.travel === travel) {
        this.angle = angleDeg;
        this.travel = undefined;
      }
    });
  }

  override stop(): void {
    this.position();
    this.travel = undefined;
    this.move.end('stopped');
  }

  override snapshot(): JsonObject {
    return { position_deg: this.position(), is_moving: this.travel !== undefined };
  }
}
