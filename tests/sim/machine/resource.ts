/** What every simulated resource shares: identity, config attributes, DoCommand, stop. */
import type { JsonObject, JsonValue, ResourceApi, ResourceConfig } from './config.ts';
import { apiString } from './config.ts';
import { invalidArgument } from './errors.ts';

/** The slice of the machine a resource may use. */
export interface MachineEnv {
  now(): number;
  /** Noise in [0, 1), seeded so runs repeat. */
  random(): number;
  /** Another resource by short name, if configured. */
  find(name: string): SimResource | undefined;
  all(): SimResource[];
}

export type CommandHandler = (cmd: JsonObject) => JsonObject;

export class SimResource {
  readonly fullName: string;
  /** Resources that move and therefore are stopped by Stop, StopAll and session expiry. */
  readonly actuator: boolean = false;

  constructor(
    readonly config: ResourceConfig,
    readonly api: ResourceApi,
    protected readonly env: MachineEnv,
  ) {
    this.fullName = `${apiString(api)}/${config.name}`;
  }

  get name(): string {
    return this.config.name;
  }

  get model(): string {
    return this.config.model ?? 'rdk:builtin:fake';
  }

  get attributes(): JsonObject {
    return this.config.attributes ?? {};
  }

  stop(): void {}

  isMoving(): boolean {
    return false;
  }

  /** Physical state for GET /__sim/state and DoCommand get_state. */
  snapshot(): JsonObject {
    return {};
  }

  /** Named DoCommand handlers, keyed by the `command` field. */
  protected commands(): Record<string, CommandHandler> {
    return {};
  }

  /**
   * DoCommand: `{"command": "<name>", ...}` runs a named command (get_state on every resource);
   * anything else is echoed back, as rdk's fake resources do.
   */
  doCommand(cmd: JsonObject): JsonObject {
    const name = cmd['command'];
    if (typeof name === 'string') {
      if (name === 'get_state') return this.snapshot();
      const handler = this.commands()[name];
      if (handler) return handler(cmd);
    }
    return { ...cmd };
  }

  dispose(): void {
    this.stop();
  }

  protected num(key: string, fallback: number): number {
    const v = this.attributes[key];
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  }

  protected str(key: string, fallback: string): string {
    const v = this.attributes[key];
    return typeof v === 'string' ? v : fallback;
  }

  protected strList(key: string): string[] {
    const v = this.attributes[key];
    if (typeof v === 'string') return [v];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  protected numList(key: string, fallback: number[]): number[] {
    const v = this.attributes[key];
    if (!Array.isArray(v)) return fallback;
    const nums = v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return nums.length === v.length && nums.length > 0 ? nums : fallback;
  }
}

/** A number field of a DoCommand payload, or InvalidArgument. */
export function cmdNumber(cmd: JsonObject, key: string, fallback?: number): number {
  const v: JsonValue | undefined = cmd[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw invalidArgument(`command field "${key}" must be a finite number`);
  return v;
}
