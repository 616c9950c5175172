/**
 * What this machine does not implement, answered the way real servers answer it:
 * - an older viam-server (sim.old_server) lacks GetMachineStatus, sessions, reflection and
 *   GetCloudMetadata;
 * - sim.all_unimplemented leaves only ResourceNames and GetOperations (a machine at its barest);
 * - sim.unimplemented_methods adds machine-level methods;
 * - a resource's `unimplemented` list is a partial module model.
 *
 * Wording (sim.unimplemented_wording): grpc-go's server.go says "unknown method %v for service %v" or
 * "unknown service %v"; a module's protoc-gen-go-grpc stub says "method %s not implemented"; viam-server
 * itself routes every call it has no handler for through its foreignServiceHandler, which answers rdk's
 * grpc.UnimplementedError, the bare "Unimplemented" ('rdk' wording).
 *
 * One interceptor, run inside the transport's (so the call log records the Unimplemented), serves both
 * transports; over the data channel the status travels in the trailers as goutils sends it, and the
 * SDK drops its code as it does with a real machine.
 */
import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import { apiString, type UnimplementedWording } from './config.ts';
import { moduleServiceDescriptor, PROTO_SERVICE_BY_API } from './descriptors.ts';
import type { Machine } from './machine.ts';
import { isBuiltinApi } from './models/index.ts';

const ROBOT_SERVICE = 'viam.robot.v1.RobotService';
const REFLECTION_SERVICE = 'grpc.reflection.v1.ServerReflection';

/** What an older viam-server lacks (methods of services it has, then services it has not). */
const OLD_SERVER_METHODS = new Set([
  `/${ROBOT_SERVICE}/GetMachineStatus`,
  `/${ROBOT_SERVICE}/StartSession`,
  `/${ROBOT_SERVICE}/SendSessionHeartbeat`,
  `/${ROBOT_SERVICE}/GetCloudMetadata`,
]);
const OLD_SERVER_SERVICES = new Set([REFLECTION_SERVICE]);

/** What a machine at its barest still answers. */
const BARE_METHODS = new Set([`/${ROBOT_SERVICE}/ResourceNames`, `/${ROBOT_SERVICE}/GetOperations`]);
/** Never the machine's to refuse: auth and signaling belong to the signaling service. */
const INFRA_PREFIX = '/proto.rpc.';

function matches(entry: string, path: string, method: string): boolean {
  return entry.startsWith('/') ? entry === path : entry === method;
}

function machineLevel(m: Machine, service: string, method: string): 'method' | 'service' | undefined {
  const path = `/${service}/${method}`;
  if (path.startsWith(INFRA_PREFIX)) return undefined;
  const sim = m.config.sim ?? {};
  if (sim.all_unimplemented === true && !BARE_METHODS.has(path))
    return service === ROBOT_SERVICE ? 'method' : 'service';
  if (sim.old_server === true) {
    if (OLD_SERVER_METHODS.has(path)) return 'method';
    if (OLD_SERVER_SERVICES.has(service)) return 'service';
  }
  if ((sim.unimplemented_methods ?? []).some((entry) => matches(entry, path, method))) return 'method';
  return undefined;
}

/** The resource a unary request names (`name`, or `board_name` for the board's per-pin reads). */
function namedIn(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { name, boardName } = message as { name?: unknown; boardName?: unknown };
  return typeof name === 'string' ? name : typeof boardName === 'string' ? boardName : undefined;
}

function resourceLacks(m: Machine, service: string, method: string, message: unknown): boolean {
  const name = namedIn(message);
  if (name === undefined) return false;
  const path = `/${service}/${method}`;
  return m.resources().some((r) => {
    if (r.name !== name || !r.config.unimplemented?.some((entry) => matches(entry, path, method)))
      return false;
    const own = isBuiltinApi(r.api)
      ? PROTO_SERVICE_BY_API[apiString(r.api)]
      : moduleServiceDescriptor(r.api.namespace, r.api.type, r.api.subtype).typeName;
    return own === service;
  });
}

/** The status message for a call the machine does not implement, or undefined to serve it. */
export function unimplementedAnswer(
  m: Machine,
  service: string,
  method: string,
  message: unknown,
): string | undefined {
  const wording: UnimplementedWording = m.config.sim?.unimplemented_wording ?? 'grpc-go';
  const level = machineLevel(m, service, method);
  if (level !== undefined) {
    if (wording === 'rdk') return 'Unimplemented';
    return level === 'service'
      ? `unknown service ${service}`
      : `unknown method ${method} for service ${service}`;
  }
  if (resourceLacks(m, service, method, message))
    return wording === 'rdk' ? 'Unimplemented' : `method ${method} not implemented`;
  return undefined;
}

export function createUnimplementedInterceptor(m: Machine): Interceptor {
  return (next) => async (req) => {
    const why = unimplementedAnswer(
      m,
      req.service.typeName,
      req.method.name,
      req.stream ? undefined : req.message,
    );
    if (why !== undefined) throw new ConnectError(why, Code.Unimplemented);
    return next(req);
  };
}
