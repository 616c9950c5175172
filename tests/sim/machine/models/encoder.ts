/** An incremental encoder that mirrors the motor whose `encoder` attribute names it. */
import { encoderApi } from '@viamrobotics/sdk';
import type { JsonObject } from '../config.ts';
import { SimResource } from '../resource.ts';
import { SimMotor } from './motor.ts';

export class SimEncoder extends SimResource {
  private offsetTicks = 0;

  private motor(): SimMotor | undefined {
    const named = this.str('motor', '');
    if (named !== '') {
      const m = this.env.find(named);
      return m instanceof SimMotor ? m : undefined;
    }
    return this.env.all().find((r): r is SimMotor => r instanceof SimMotor && r.encoderName === this.name);
  }

  private rawTicks(): number {
    const m = this.motor();
    return m ? Math.round(m.rawPosition * m.ticksPerRotation) : 0;
  }

  private tpr(): number {
    return this.motor()?.ticksPerRotation ?? this.num('ticks_per_rotation', 1024);
  }

  ticks(): number {
    return this.rawTicks() - this.offsetTicks;
  }

  position(type: encoderApi.PositionType): { value: number; positionType: encoderApi.PositionType } {
    if (type === encoderApi.PositionType.ANGLE_DEGREES) {
      const deg = ((((this.ticks() / this.tpr()) * 360) % 360) + 360) % 360;
      return { value: deg, positionType: encoderApi.PositionType.ANGLE_DEGREES };
    }
    return { value: this.ticks(), positionType: encoderApi.PositionType.TICKS_COUNT };
  }

  resetPosition(): void {
    this.offsetTicks = this.rawTicks();
  }

  override snapshot(): JsonObject {
    return { ticks: this.ticks(), ticks_per_rotation: this.tpr(), motor: this.motor()?.name ?? null };
  }
}
