/**
 * A parallel gripper: Open/Grab take `travel_ms`; Grab succeeds when there is an object between
 * the fingers (DoCommand {"command":"set_object","present":false} takes it away).
 */
import type { JsonObject } from '../config.ts';
import { MoveTracker, Travel } from '../motion.ts';
import { SimResource, type CommandHandler } from '../resource.ts';

export class SimGripper extends SimResource {
  override readonly actuator = true;
  private readonly move = new MoveTracker();
  /** 0 closed .. 1 open */
  private opening = 1;
  private travel: Travel | undefined;
  private objectPresent = true;
  private holding = false;

  private fraction(): number {
    if (this.travel) {
      const now = this.env.now();
      this.opening = this.travel.at(now)[0] ?? this.opening;
      if (this.travel.done(now)) this.travel = undefined;
    }
    return this.opening;
  }

  override isMoving(): boolean {
    this.fraction();
    return this.travel !== undefined;
  }

  private async goTo(target: number): Promise<boolean> {
    // An object stops the fingers part way.
    const stopAt = target === 0 && this.objectPresent ? 0.35 : target;
    const from = this.fraction();
    const perSec = 1000 / this.num('travel_ms', 600);
    this.travel = new Travel([from], [stopAt], [perSec], this.env.now(), true);
    const travel = this.travel;
    const outcome = await this.move.begin(travel.durationMs, () => {
      if (this.travel === travel) {
        this.opening = stopAt;
        this.travel = undefined;
      }
    });
    return outcome === 'done';
  }

  async open(): Promise<void> {
    this.holding = false;
    await this.goTo(1);
  }

  async grab(): Promise<boolean> {
    const finished = await this.goTo(0);
    this.holding = finished && this.objectPresent;
    return this.holding;
  }

  isHoldingSomething(): boolean {
    return this.holding;
  }

  override stop(): void {
    this.fraction();
    this.travel = undefined;
    this.move.end('stopped');
  }

  protected override commands(): Record<string, CommandHandler> {
    return {
      set_object: (cmd) => {
        this.objectPresent = cmd['present'] !== false;
        if (!this.objectPresent) this.holding = false;
        return { object_present: this.objectPresent };
      },
    };
  }

  override snapshot(): JsonObject {
    return {
      opening: this.fraction(),
      is_moving: this.travel !== undefined,
      holding_something: this.holding,
      object_present: this.objectPresent,
    };
  }
}
