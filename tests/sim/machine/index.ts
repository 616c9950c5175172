/**
 * The simulated machine's model: resources that behave like viam-server's, sessions, operations,
 * a call log and control routes. The transport (tests/sim/transport) serves what
 * registerServices puts in the router over gRPC-web and the WebRTC data channel.
 */
import type { ConnectRouter, Interceptor } from '@connectrpc/connect';
import type { CallEntry } from './call-log.ts';
import type { MachineConfig } from './config.ts';
import { handleControl } from './control.ts';
import { Machine, type MachineLogLine } from './machine.ts';
import { registerComponentServices } from './rpc/components.ts';
import { registerRobotService } from './rpc/robot.ts';
import { createUnimplementedInterceptor } from './unimplemented.ts';

export type { MachineConfig, ResourceConfig, JsonObject, JsonValue, UnimplementedWording } from './config.ts';
export { loadConfig, parseMachineConfig, ConfigError, DEMO_CONFIG_FILE } from './config.ts';
export type { CallEntry } from './call-log.ts';
export { encodePng, renderTestPattern, movingBox } from './png.ts';
export type { MachineLogLine, LogLevel, LogFieldValue } from './machine.ts';
export {
  DEFAULT_HOSTNAME,
  DEFAULT_MACHINE_ID,
  DEFAULT_PART_ID,
  DEFAULT_LOCATION_ID,
  DEFAULT_ORG_ID,
  DEFAULT_VERSION,
} from './machine.ts';
export { scaleConfig } from './scale-config.ts';

export interface SimMachine {
  readonly hostname: string;
  readonly machineId: string;
  /** RobotService and every component/service API (not StreamService, auth or signaling). */
  registerServices(router: ConnectRouter): void;
  /**
   * Interceptors the router should run inside the transport's own (which logs the call): the machine's
   * Unimplemented answers (older viam-server, partial models), for every service it serves, including
   * StreamService and reflection.
   */
  readonly interceptors?: readonly Interceptor[];
  /** Camera component names, for StreamService. */
  cameraNames(): string[];
  /** A camera's live video state (frozen or slowed through /__sim/video); undefined = normal. */
  videoFeed(camera: string): { readonly frozen: boolean; readonly fps?: number } | undefined;
  /** The transport reports every RPC here. */
  logCall(entry: Omit<CallEntry, 't'>): void;
  /** A /__sim/ route; `subpath` follows /__sim/. undefined = not ours. */
  handleControl(
    method: string,
    subpath: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown } | undefined>;
  /** Stop all timers. */
  dispose(): void;
}

export interface CreateMachineOptions {
  config: MachineConfig;
  heartbeatWindowMs: number;
  hostname?: string;
  startedAt?: number;
  onLog?: (line: MachineLogLine) => void;
  onConfigChange?: (revision: string) => void;
}

export function createMachine(opts: CreateMachineOptions): SimMachine {
  const m = new Machine(opts);
  return {
    hostname: m.hostname,
    machineId: m.machineId,
    registerServices(router) {
      registerRobotService(m, router);
      registerComponentServices(m, router);
    },
    interceptors: [createUnimplementedInterceptor(m)],
    cameraNames: () => m.cameraNames(),
    videoFeed: (camera) => m.video.get(camera),
    logCall: (entry) => m.logCall(entry),
    handleControl: (method, subpath, body) => handleControl(m, method, subpath, body),
    dispose: () => m.dispose(),
  };
}

/** The model object behind a SimMachine, for unit tests that inspect it directly. */
export { Machine };
