/**
 * The cloud's /__sim/ control routes (JSON in, JSON out; test tooling only).
 *
 *   GET    /__sim/fleet                          machines (ids, hostnames, parts, state, location, org),
 *                                                organizations, locations, users and keys (no secrets)
 *   GET    /__sim/machines/<id|hostname|part id>  one machine's fleet entry
 *   POST   /__sim/machines/<id>/state {state}     online | offline | awaiting_setup (kept until changed)
 *   POST   /__sim/machines/<id>/removed {removed}  deleted from the fleet (true) or back (false): the
 *                                                app API no longer lists or finds it
 *   *      /__sim/machines/<id>/<route>           any per-machine route below, for that machine
 *   *      /__sim/<route>                         the same, for the default machine (the rover)
 *
 *   per-machine routes: faults (POST/GET/DELETE), drop-peers, offline {ms}, online, peers, calls,
 *   state (GET: physical state), sessions, resources/unhealthy, resources/healthy, reconfigure,
 *   stop-all, names/unchecked, and the machine's logs:
 *     POST   logs {count?, level?: debug|info|warn|error|mixed, rate?, hostile?, message?, logger?}
 *            writes lines now, or `rate` per second (a flood, up to 5,000/s; one per machine)
 *     GET    logs                 {stored, bytes, openStreams, flood}
 *     DELETE logs · DELETE logs/flood
 *     GET    logs/streams         {open}: TailRobotPartLogs streams open now
 *
 *   POST   /__sim/cloud/faults {method, latencyMs?, errorCode?, errorMessage?, durationMs?}
 *   GET    /__sim/cloud/faults · DELETE /__sim/cloud/faults
 *                                                latency and errors on AppService (and, when named,
 *                                                Authenticate): a slow or failing cloud
 *   GET    /__sim/cloud/calls[?since=ms] · DELETE /__sim/cloud/calls
 *                                                every AppService and auth call, as the machines log theirs
 *   GET    /__sim/cloud/logs/streams               {open, machines}: every open TailRobotPartLogs
 *   POST   /__sim/cloud/tokens/revoke  {token | user | apiKeyId}   Unauthenticated from now on
 *   POST   /__sim/cloud/tokens/expire  {token | user}              the user token is expired from now on
 *   POST   /__sim/cloud/tokens/restore {token | user | apiKeyId}   undoes both
 */
import type { CallLog } from '../machine/call-log.ts';
import { handleTransportControl } from '../transport/control.ts';
import type { FaultRegistry, FaultSpec } from '../transport/faults.ts';
import type { ControlResult } from '../transport/http-server.ts';
import { MACHINE_STATES, type MachineState } from './fleet-config.ts';
import type { FleetMachine } from './fleet-machine.ts';
import type { Identity } from './identity.ts';
import { parseInject } from './logs.ts';

export interface CloudControlDeps {
  defaultMachine: FleetMachine;
  find(idOrHost: string): FleetMachine | undefined;
  setRemoved(machine: FleetMachine, removed: boolean): void;
  fleetListing(): unknown;
  machineInfo(m: FleetMachine): unknown;
  cloudFaults: FaultRegistry;
  cloudCalls: CallLog;
  identity: Identity;
  machines: readonly FleetMachine[];
}

const MACHINES_PREFIX = 'machines/';
const CLOUD_PREFIX = 'cloud/';

function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

function bad(error: string): ControlResult {
  return { status: 400, body: { error } };
}

export async function handleCloudControl(
  deps: CloudControlDeps,
  method: string,
  subpath: string,
  body: unknown,
  query: URLSearchParams,
): Promise<ControlResult | undefined> {
  const path = subpath.replace(/^\/+|\/+$/gu, '');
  if (method === 'GET' && path === 'fleet') return { status: 200, body: deps.fleetListing() };
  if (path === 'machines' && method === 'GET') return { status: 200, body: deps.fleetListing() };
  if (path.startsWith(MACHINES_PREFIX)) {
    const rest = path.slice(MACHINES_PREFIX.length);
    const slash = rest.indexOf('/');
    const key = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
    const machine = deps.find(key);
    if (!machine) return { status: 404, body: { error: `no machine "${key}" in the fleet` } };
    return machineControl(deps, machine, method, slash === -1 ? '' : rest.slice(slash + 1), body, query);
  }
  if (path.startsWith(CLOUD_PREFIX))
    return cloudControl(deps, method, path.slice(CLOUD_PREFIX.length), body, query);
  return machineControl(deps, deps.defaultMachine, method, path, body, query);
}

async function machineControl(
  deps: CloudControlDeps,
  m: FleetMachine,
  method: string,
  path: string,
  body: unknown,
  query: URLSearchParams,
): Promise<ControlResult | undefined> {
  if (path === '' && method === 'GET') return { status: 200, body: deps.machineInfo(m) };
  if (path === 'state' && method === 'POST') {
    const state = asRecord(body)['state'];
    if (typeof state !== 'string' || !(MACHINE_STATES as readonly string[]).includes(state)) {
      return bad(`"state" must be one of ${MACHINE_STATES.join(', ')}`);
    }
    m.setState(state as MachineState);
    return { status: 200, body: deps.machineInfo(m) };
  }
  if (path === 'removed' && method === 'POST') {
    const removed = asRecord(body)['removed'];
    if (typeof removed !== 'boolean') return bad('"removed" must be true or false');
    deps.setRemoved(m, removed);
    return { status: 200, body: { ...asRecord(deps.machineInfo(m)), removed } };
  }
  const own = handleTransportControl(
    {
      faults: m.faults,
      get peers() {
        return m.peers;
      },
      link: m.link,
      isOffline: () => !m.answersCalls(),
      goOffline: (ms) => m.goDown(ms),
      goOnline: () => m.comeBack(),
    },
    method,
    path,
    body,
  );
  if (own) {
    if (
      own.status === 200 &&
      path.replace(/\/+$/u, '') === 'faults' &&
      (method === 'POST' || method === 'DELETE')
    ) {
      m.noteFaults(method === 'POST' ? (own.body as { fault: FaultSpec }).fault : undefined);
    }
    return own;
  }
  const logs = logControl(m, method, path, body);
  if (logs) return logs;
  // GET routes have no body: hand the machine the query parameters instead.
  const machineBody = body === undefined && [...query.keys()].length > 0 ? Object.fromEntries(query) : body;
  return m.sim.handleControl(method, path, machineBody);
}

function logControl(m: FleetMachine, method: string, path: string, body: unknown): ControlResult | undefined {
  switch (`${method} ${path}`) {
    case 'POST logs': {
      const spec = parseInject(asRecord(body));
      if (typeof spec === 'string') return bad(spec);
      const result = m.logs.inject(spec);
      return { status: 200, body: { ...result, stored: m.logs.size } };
    }
    case 'GET logs':
      return {
        status: 200,
        body: {
          stored: m.logs.size,
          bytes: m.logs.totalBytes,
          openStreams: m.openLogStreams,
          flood: m.logs.floodState(),
        },
      };
    case 'DELETE logs':
      m.logs.stopFlood();
      m.logs.clear();
      return { status: 200, body: { stored: 0 } };
    case 'DELETE logs/flood':
      return { status: 200, body: { stopped: m.logs.stopFlood() } };
    case 'GET logs/streams':
      return { status: 200, body: { open: m.openLogStreams } };
    default:
      return undefined;
  }
}

function cloudControl(
  deps: CloudControlDeps,
  method: string,
  path: string,
  body: unknown,
  query: URLSearchParams,
): ControlResult | undefined {
  switch (`${method} ${path}`) {
    case 'POST faults':
      try {
        const r = asRecord(body);
        const fault = deps.cloudFaults.add({
          method: typeof r['method'] === 'string' ? r['method'] : '',
          ...(r['latencyMs'] !== undefined ? { latencyMs: r['latencyMs'] as number } : {}),
          ...(r['errorCode'] !== undefined ? { errorCode: r['errorCode'] as number } : {}),
          ...(typeof r['errorMessage'] === 'string' ? { errorMessage: r['errorMessage'] } : {}),
          ...(r['durationMs'] !== undefined ? { durationMs: r['durationMs'] as number } : {}),
        });
        return { status: 200, body: { fault } };
      } catch (err) {
        return bad(err instanceof Error ? err.message : String(err));
      }
    case 'GET faults':
      return { status: 200, body: { faults: deps.cloudFaults.list() } };
    case 'DELETE faults':
      deps.cloudFaults.clear();
      return { status: 200, body: { faults: [] } };
    case 'GET calls': {
      const since = query.get('since');
      const t = since === null ? undefined : Number(since);
      if (t !== undefined && !Number.isFinite(t)) return bad('"since" must be a number (ms since the epoch)');
      return { status: 200, body: { calls: deps.cloudCalls.list(t) } };
    }
    case 'DELETE calls':
      deps.cloudCalls.clear();
      return { status: 200, body: { calls: [] } };
    case 'GET logs/streams': {
      const machines = deps.machines
        .filter((m) => m.openLogStreams > 0)
        .map((m) => ({ machineId: m.machineId, hostname: m.hostname, open: m.openLogStreams }));
      return { status: 200, body: { open: machines.reduce((n, m) => n + m.open, 0), machines } };
    }
    case 'POST tokens/revoke':
    case 'POST tokens/restore':
    case 'POST tokens/expire':
      return tokenControl(deps.identity, path.slice('tokens/'.length), asRecord(body));
    default:
      return undefined;
  }
}

function tokenControl(identity: Identity, action: string, body: Record<string, unknown>): ControlResult {
  const token = body['token'];
  const user = body['user'];
  const keyId = body['apiKeyId'];
  let subject: string | undefined;
  if (typeof token === 'string') subject = token;
  else if (typeof user === 'string') subject = identity.userByIdOrToken(user)?.token;
  else if (typeof keyId === 'string') subject = keyId;
  else return bad('give {token}, {user} (a user id) or {apiKeyId}');
  if (subject === undefined) return { status: 404, body: { error: 'no such user' } };
  if (action === 'expire') {
    if (!identity.expire(subject)) return { status: 404, body: { error: 'no user with that token' } };
    return { status: 200, body: { expired: true } };
  }
  const kind = action === 'revoke' ? identity.revoke(subject) : identity.restore(subject);
  if (!kind) return { status: 404, body: { error: 'no user token or api key id like that' } };
  return { status: 200, body: { kind, revoked: identity.isRevoked(subject) } };
}
