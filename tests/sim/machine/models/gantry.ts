/** A multi-axis gantry: each axis travels within [0, length] at its own speed; Home goes to 0. */
import type { JsonObject } from '../config.ts';
import { invalidArgument } from '../errors.ts';
import { MoveTracker, Travel, type MoveOutcome } from '../motion.ts';
import { SimResource } from '../resource.ts';

export class SimGantry extends SimResource {
  override readonly actuator = true;
  private readonly move = new MoveTracker();
  private pos: number[] = this.lengths().map(() => 0);
  private travel: Travel | undefined;

  lengths(): number[] {
    return this.numList('lengths_mm', [1000, 800, 300]);
  }

  positions(): number[] {
    if (this.travel) {
      const now = this.env.now();
      this.pos = this.travel.at(now);
      if (this.travel.done(now)) this.travel = undefined;
    }
    return [...this.pos];
  }

  override isMoving(): boolean {
    this.positions();
    return this.travel !== undefined;
  }

  moveToPosition(targets: readonly number[], speeds: readonly number[]): Promise<MoveOutcome> {
    const lengths = this.lengths();
    if (targets.length !== lengths.length) {
      throw invalidArgument(`gantry has ${lengths.length} axes, got ${targets.length} positions`);
    }
    targets.forEach((t, i) => {
      const len = lengths[i] ?? 0;
      if (!Number.isFinite(t) || t < 0 || t > len)
        throw invalidArgument(`position ${t} for axis ${i} out of range [0, ${len}]`);
    });
    if (speeds.length !== 0 && speeds.length !== lengths.length) {
      throw invalidArgument(`speeds_mm_per_sec needs ${lengths.length} values or none`);
    }
    const fallback = this.num('speed_mm_per_sec', 100);
    const s = lengths.map((_, i) => {
      const v = speeds[i];
      if (v === undefined || v === 0) return fallback;
      if (!Number.isFinite(v) || v < 0)
        throw invalidArgument(`speed for axis ${i} must be a positive number`);
      return v;
    });
    this.travel = new Travel(this.positions(), targets, s, this.env.now(), false);
    const travel = this.travel;
    return this.move.begin(travel.durationMs, () => {
      if (this.travel === travel) {
        this.pos = [...targets];
        this.travel = undefined;
      }
    });
  }

  async home(): Promise<boolean> {
    const outcome = await this.moveToPosition(
      this.lengths().map(() => 0),
      [],
    );
    return outcome === 'done';
  }

  override stop(): void {
    this.positions();
    this.travel = undefined;
    this.move.end('stopped');
  }

  kinematics(): Uint8Array {
    const axes = ['x', 'y', 'z'];
    const lengths = this.lengths();
    const model = {
      name: this.name,
      links: lengths.map((_, i) => ({
        id: `${axes[i] ?? `axis${i}`}_link`,
        parent: i === 0 ? 'world' : `${axes[i - 1] ?? `axis${i - 1}`}_joint`,
      })),
      joints: lengths.map((len, i) => ({
        id: `${axes[i] ?? `axis${i}`}_joint`,
        type: 'prismatic',
        parent: `${axes[i] ?? `axis${i}`}_link`,
        axis: { x: i === 0 ? 1 : 0, y: i === 1 ? 1 : 0, z: i === 2 ? 1 : 0 },
        max: len,
        min: 0,
      })),
    };
    return new TextEncoder().encode(JSON.stringify(model));
  }

  override snapshot(): JsonObject {
    const p = this.positions();
    return { positions_mm: p, lengths_mm: this.lengths(), is_moving: this.travel !== undefined };
  }
}
