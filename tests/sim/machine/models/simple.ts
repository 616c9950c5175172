/** Resources with little physics: switch, button, generic component, and DoCommand-only ones. */
import type { JsonObject } from '../config.ts';
import { invalidArgument } from '../errors.ts';
import { SimResource, type CommandHandler } from '../resource.ts';

export class SimSwitch extends SimResource {
  private pos = 0;

  count(): number {
    return Math.max(2, Math.round(this.num('position_count', 3)));
  }

  labels(): string[] {
    return this.strList('labels').slice(0, this.count());
  }

  position(): number {
    return this.pos;
  }

  setPosition(p: number): void {
    if (p >= this.count())
      throw invalidArgument(`switch has ${this.count()} positions; ${p} is out of range`);
    this.pos = p;
  }

  override snapshot(): JsonObject {
    return { position: this.pos, number_of_positions: this.count(), label: this.labels()[this.pos] ?? null };
  }
}

export class SimButton extends SimResource {
  private pushes = 0;
  private lastPushed: number | undefined;

  push(): void {
    this.pushes += 1;
    this.lastPushed = this.env.now();
  }

  override snapshot(): JsonObject {
    return { pushes: this.pushes, last_pushed: this.lastPushed ?? null };
  }
}

/**
 * A resource that only answers DoCommand: the generic component, the generic service, modular
 * resources of unknown APIs. `counter` and `ping` give a UI something stateful to show.
 */
export class SimDoCommandOnly extends SimResource {
  private counter = 0;

  protected override commands(): Record<string, CommandHandler> {
    return {
      ping: () => ({ pong: true, t: this.env.now() }),
      increment: (cmd) => {
        const by = cmd['by'];
        this.counter += typeof by === 'number' && Number.isFinite(by) ? by : 1;
        return { counter: this.counter };
      },
    };
  }

  override snapshot(): JsonObject {
    return { counter: this.counter, model: this.model };
  }
}
