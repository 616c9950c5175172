/**
 * A simulated app.viam.com on one HTTP port: the app API (viam.app.v1.AppService over gRPC-web),
 * auth, and signaling for a fleet of simulated machines, each with its own hostname, ids, config,
 * WebRTC peers and state. Signaling routes by the `rpc-host` header to that machine's peers, and a
 * peer's data channel serves that machine's handlers only. Direct gRPC-web dials reach the default
 * machine (the rover), as `startSim` always did.
 *
 * Test and dev tooling only: nothing here is bundled into the app.
 */
import type { AddressInfo } from 'node:net';
import { createConnectRouter, Code, ConnectError } from '@connectrpc/connect';
import type { AnyMessage, JsonObject } from '@bufbuild/protobuf';
import { RTCDtlsTransport } from 'werift';
import { CallLog } from '../machine/call-log.ts';
import { apiString, resolveApi } from '../machine/config.ts';
import type { MachineConfig, SimMachine } from '../machine/index.ts';
import { AuthService, ExternalAuthService } from '../proto/rpc-auth.ts';
import { SignalingService } from '../proto/rpc-signaling.ts';
import { FaultRegistry } from '../transport/faults.ts';
import { HEADER_SESSION, transportOf } from '../transport/headers.ts';
import { createSimHttpServer, type RequestTarget } from '../transport/http-server.ts';
import {
  AUTHENTICATE_PATH,
  createSimInterceptor,
  SIGNALING_PREFIX,
  type CallLogEntry,
  type CallRoute,
} from '../transport/interceptor.ts';
import type { DtlsRole } from '../transport/peer.ts';
import { createHandlerLookup } from '../transport/router-lookup.ts';
import { createSignalingService } from '../transport/signaling.ts';
import { loadIvf, type Vp8Clip } from '../transport/video.ts';
import { APP_SERVICE_PREFIX, AppService, createAppService } from './app-service.ts';
import { handleCloudControl } from './control.ts';
import { DEFAULT_OFFLINE_DELAY_MS } from './defaults.ts';
import {
  loadFleet,
  machineConfigOf,
  type ApiKeyScope,
  type FleetSpec,
  type MachineSpec,
  type MachineState,
} from './fleet-config.ts';
import { FleetMachine } from './fleet-machine.ts';
import { generateFleet } from './generate.ts';
import { Identity } from './identity.ts';
import type { MachineFacts } from './log-lines.ts';

export * from './defaults.ts';
export {
  loadFleet,
  parseFleet,
  FleetConfigError,
  DEFAULT_FLEET_FILE,
  type FleetSpec,
  type MachineState,
} from './fleet-config.ts';
export { generateFleet } from './generate.ts';
export { AppService } from './app-service.ts';
export type { FleetMachine } from './fleet-machine.ts';

export const DEFAULT_CLOUD_PORT = 8091;
export const DEFAULT_HEARTBEAT_WINDOW_MS = 2000;

export interface StartCloudOptions {
  /** 0 = any free port; default 8091 */
  port?: number;
  /** interface to listen on; default 127.0.0.1 (the url always says localhost) */
  host?: string;
  /** a fleet, or the path of a fleet JSON file; default tests/sim/configs/fleet.json */
  fleet?: FleetSpec | string;
  /** instead of `fleet`: a generated fleet of this many machines (scale tests) */
  machines?: number;
  heartbeatWindowMs?: number;
  /** how long signaling takes to say an offline machine is offline (default: the fleet's, else 1 s) */
  offlineDelayMs?: number;
  dtlsRole?: DtlsRole;
  /** ready-made machines by machine id, used instead of building them from their configs */
  readyMachines?: ReadonlyMap<string, SimMachine>;
  /**
   * Default true: every WebRTC connection's datagrams cross a UDP relay that applies the machine's
   * link conditions (POST /__sim/link). false: straight to werift (a baseline for benchmarks).
   */
  linkRelay?: boolean;
  /** link conditions every machine starts with (`npm run sim -- --link …`) */
  link?: unknown;
  /**
   * The cloud's clock (ms since the epoch) for presence, times and logs; default Date.now. Tests move
   * it to see hours of background logs or an offline machine's age without waiting.
   */
  now?: () => number;
}

export interface CloudMachineInfo {
  machineId: string;
  name: string;
  partId: string;
  partName: string;
  /** the main part's fqdn: createRobotClient's `host` */
  hostname: string;
  locationId: string;
  orgId: string;
  state: MachineState;
  fragmentIds: string[];
}

export interface CloudUserInfo {
  id: string;
  name: string;
  email: string;
  /** the `access_token` of the user's `userToken` cookie */
  accessToken: string;
  orgIds: string[];
  locationIds: string[];
}

export interface CloudApiKeyInfo {
  id: string;
  key: string;
  name: string;
  scope: ApiKeyScope;
  resourceId: string;
}

export interface RunningCloud {
  /** http://localhost:PORT: the app API, auth and signaling address, and the direct-dial host */
  readonly url: string;
  readonly port: number;
  /** every machine with its current state */
  readonly machines: CloudMachineInfo[];
  /** first = the user who sees the most (in the default fleet: everything) */
  readonly users: CloudUserInfo[];
  readonly apiKeys: CloudApiKeyInfo[];
  /** the default machine and a machine-scoped key for it (what the single-machine app's cookie carries) */
  readonly rover: { hostname: string; machineId: string; partId: string; apiKeyId: string; apiKey: string };
  /** a fleet machine's simulated machine, by machine id, hostname or part id (built if it was not) */
  machine(idOrHost: string): SimMachine;
  /** the cloud's record of a machine (state, faults, peers) */
  fleetMachine(idOrHost: string): FleetMachine;
  /** WebRTC peer connections alive now, over the whole fleet (or one machine) */
  livePeers(idOrHost?: string): number;
  /** frees the port, closes every peer and disposes every machine */
  close(): Promise<void>;
}

/** The fleet's identity of a machine, written over whatever its config's `sim` section says. */
function withIdentity(config: MachineConfig, spec: MachineSpec, orgId: string): MachineConfig {
  return {
    ...structuredClone(config),
    sim: {
      ...config.sim,
      hostname: spec.hostname,
      machine_id: spec.machineId,
      part_id: spec.partId,
      location_id: spec.locationId,
      org_id: orgId,
      version: spec.version.value,
    },
  };
}

export async function startCloud(opts: StartCloudOptions = {}): Promise<RunningCloud> {
  const spec =
    opts.machines !== undefined
      ? generateFleet(opts.machines)
      : typeof opts.fleet === 'object'
        ? opts.fleet
        : loadFleet(opts.fleet);
  if (spec.machines.length === 0) throw new Error('a fleet needs at least one machine');
  const heartbeatWindowMs = opts.heartbeatWindowMs ?? DEFAULT_HEARTBEAT_WINDOW_MS;
  const offlineDelayMs = opts.offlineDelayMs ?? spec.offlineDelayMs ?? DEFAULT_OFFLINE_DELAY_MS;
  const now = opts.now ?? Date.now;
  const bootedAt = now();
  // One DTLS certificate for every connection (werift caches it process-wide); made now, not on the first dial.
  const certificate = await RTCDtlsTransport.SetupCertificate();

  const locationsById = new Map(spec.locations.map((l) => [l.id, l]));
  const orgOf = (locationId: string): string => locationsById.get(locationId)?.orgId ?? '';
  const configCache = new Map<string, MachineConfig>();
  const baseConfig = (s: MachineSpec): MachineConfig => {
    if (typeof s.config !== 'string') return s.config;
    let c = configCache.get(s.config);
    if (!c) {
      c = machineConfigOf(s);
      configCache.set(s.config, c);
    }
    return c;
  };
  // Every config file is read now, so a bad one fails the start rather than the first dial.
  for (const s of spec.machines) baseConfig(s);

  const factsCache = new Map<string, MachineFacts>();
  const factsOf = (s: MachineSpec): MachineFacts => {
    let facts = factsCache.get(s.machineId);
    if (!facts) {
      const config = baseConfig(s);
      const resources = [
        ...(config.components ?? []).map((rc) => ({ rc, kind: 'component' as const })),
        ...(config.services ?? []).map((rc) => ({ rc, kind: 'service' as const })),
      ].map(({ rc, kind }) => {
        const api = resolveApi(rc, kind);
        return {
          fullName: `${apiString(api)}/${rc.name}`,
          name: rc.name,
          subtype: api.subtype,
          model: rc.model ?? '',
        };
      });
      facts = {
        name: s.name,
        version: s.version.value,
        hostname: s.hostname,
        resources,
        modules: (config.modules ?? []).map((m) => m.name),
      };
      factsCache.set(s.machineId, facts);
    }
    return facts;
  };

  const byId = new Map<string, FleetMachine>();
  const byHost = new Map<string, FleetMachine>();
  const byPart = new Map<string, FleetMachine>();
  const identity = new Identity(
    spec.users,
    spec.apiKeys,
    { location: (id) => locationsById.get(id), machine: (id) => byId.get(id)?.spec },
    now,
  );
  let clip: Vp8Clip | undefined;
  // Assigned once the HTTP server exists; machines only cut connections after that.
  let cutConnections: (machineId: string) => void = () => undefined;

  const machines = spec.machines.map((s) => {
    const ready = opts.readyMachines?.get(s.machineId);
    const m = new FleetMachine(s, {
      certificate,
      heartbeatWindowMs,
      identity,
      clip: () => (clip ??= loadIvf()),
      configOf: (ms) => withIdentity(baseConfig(ms), ms, orgOf(ms.locationId)),
      bootedAt,
      now,
      cutConnections: (id) => cutConnections(id),
      facts: factsOf,
      secrets: spec.apiKeys
        .filter((k) => k.scope === 'machine' && k.resourceId === s.machineId)
        .map((k) => k.key),
      editors: spec.users
        .filter((u) => u.email !== '' && u.orgIds.includes(orgOf(s.locationId)))
        .map((u) => u.email),
      ...(opts.dtlsRole ? { dtlsRole: opts.dtlsRole } : {}),
      ...(ready ? { ready } : {}),
      ...(opts.linkRelay === false ? { linkRelay: false } : {}),
    });
    if (opts.link !== undefined) m.link.update(opts.link);
    byId.set(s.machineId, m);
    byHost.set(s.hostname.toLowerCase(), m);
    byPart.set(s.partId, m);
    return m;
  });
  const defaultMachine =
    (spec.defaultMachineId === undefined ? undefined : byId.get(spec.defaultMachineId)) ?? machines[0];
  if (!defaultMachine) throw new Error('a fleet needs at least one machine');
  // The default machine is built at once, as startSim always built its one machine.
  defaultMachine.build();

  const find = (idOrHost: string): FleetMachine | undefined =>
    byId.get(idOrHost) ?? byHost.get(idOrHost.toLowerCase()) ?? byPart.get(idOrHost);
  const byRpcHost = (header: Headers): FleetMachine | undefined => {
    const host = header.get('rpc-host');
    return host ? byHost.get(host.toLowerCase()) : undefined;
  };

  const cloudFaults = new FaultRegistry();
  const cloudCalls = new CallLog(5000);
  const logCloud = (entry: CallLogEntry): void => cloudCalls.add({ t: now(), ...entry });
  const both =
    (machine: FleetMachine) =>
    (entry: CallLogEntry): void => {
      logCloud(entry);
      machine.sim.logCall(entry);
    };

  const routeCall = (path: string, header: Headers, message: AnyMessage | undefined): CallRoute => {
    if (path === AUTHENTICATE_PATH) {
      // Logged with the machine the key is for (its call log always showed its dials' Authenticate).
      const entity = (message as { entity?: unknown } | undefined)?.entity;
      const key = typeof entity === 'string' ? spec.apiKeys.find((k) => k.id === entity) : undefined;
      const machine =
        key?.scope === 'machine' ? (byId.get(key.resourceId) ?? defaultMachine) : defaultMachine;
      return { log: both(machine), faults: [cloudFaults], admit: () => undefined };
    }
    if (path.startsWith(SIGNALING_PREFIX)) {
      const target = byRpcHost(header);
      return {
        log: both(target ?? defaultMachine),
        faults: target ? [target.faults] : [],
        admit: () => {
          const principal = identity.principalOf(header);
          const host = header.get('rpc-host') ?? '';
          if (!target) throw new ConnectError(`no machine for rpc-host "${host}"`, Code.NotFound);
          if (!identity.canReachMachine(principal, target.machineId)) {
            throw new ConnectError(`permission denied for host "${host}"`, Code.PermissionDenied);
          }
        },
      };
    }
    if (path.startsWith(APP_SERVICE_PREFIX)) {
      return { log: logCloud, faults: [cloudFaults], admit: () => void identity.principalOf(header) };
    }
    return { log: both(defaultMachine), faults: [cloudFaults], admit: () => undefined };
  };

  const router = createConnectRouter({ interceptors: [createSimInterceptor({ route: routeCall })] });
  router.service(AuthService, {
    authenticate: (req) => ({
      accessToken: identity.authenticate(req.entity, req.credentials?.type, req.credentials?.payload ?? ''),
    }),
  });
  router.service(ExternalAuthService, {
    authenticateTo(req, ctx) {
      const principal = identity.principalOf(ctx.requestHeader);
      const target = find(req.entity);
      if (!target || !identity.canReachMachine(principal, target.machineId)) {
        throw new ConnectError(`unknown entity "${req.entity}"`, Code.PermissionDenied);
      }
      return { accessToken: identity.authenticateTo(principal, target.machineId) };
    },
  });
  router.service(
    SignalingService,
    createSignalingService((header) => {
      const target = byRpcHost(header);
      // The interceptor admitted only known hosts.
      if (!target) throw new ConnectError('no machine for rpc-host', Code.NotFound);
      return {
        host: target.hostname,
        peers: target.peers,
        ...(target.answersCalls() ? {} : { offlineDelayMs }),
      };
    }),
  );
  // Machines deleted from the fleet (POST /__sim/machines/<id>/removed): the app API no longer
  // knows them, as Viam's forgets a deleted machine; a peer already connected lives on.
  const removed = new Set<string>();
  const known = (m: FleetMachine | undefined) => (m && !removed.has(m.machineId) ? m : undefined);
  router.service(
    AppService,
    createAppService({
      identity,
      orgs: spec.orgs,
      locations: spec.locations,
      fragments: spec.fragments,
      get machines() {
        return removed.size === 0 ? machines : machines.filter((m) => !removed.has(m.machineId));
      },
      machineById: (id) => known(byId.get(id)),
      machineByPartId: (id) => known(byPart.get(id)),
      robotConfigOf: (m) => {
        const { sim: _sim, ...config } = baseConfig(m.spec);
        return config as JsonObject;
      },
      now,
    }),
  );
  const cloudLookup = createHandlerLookup(router);

  const isCloudPath = (path: string): boolean =>
    path.startsWith('/proto.rpc.') || path.startsWith('/viam.app.v1.');

  const route = (path: string, header: Headers): RequestTarget => {
    if (isCloudPath(path)) {
      const handler = cloudLookup(path);
      if (!path.startsWith(SIGNALING_PREFIX)) return { handler };
      const target = byRpcHost(header);
      if (!target) return { handler };
      return { handler, tag: target.machineId, drop: target.isDown() };
    }
    // Anything else is a direct gRPC-web dial of the default machine.
    return {
      handler: defaultMachine.lookup(path),
      tag: defaultMachine.machineId,
      drop: !defaultMachine.answersCalls(),
    };
  };

  const info = (m: FleetMachine): CloudMachineInfo => ({
    machineId: m.machineId,
    name: m.spec.name,
    partId: m.spec.partId,
    partName: m.spec.partName,
    hostname: m.hostname,
    locationId: m.spec.locationId,
    orgId: orgOf(m.spec.locationId),
    state: m.presence().state,
    fragmentIds: [...m.spec.fragmentIds],
  });

  const http = createSimHttpServer({
    route,
    onUnknownMethod: (path, header) => {
      const entry = {
        method: path,
        transport: transportOf(header),
        ...(header.get(HEADER_SESSION) ? { sessionId: header.get(HEADER_SESSION) ?? '' } : {}),
        summary: '',
        code: Code.Unimplemented,
        durationMs: 0,
      };
      if (isCloudPath(path)) logCloud(entry);
      else defaultMachine.sim.logCall(entry);
    },
    control: (method, subpath, body, query) =>
      handleCloudControl(
        {
          defaultMachine,
          find,
          setRemoved: (m, isRemoved) => {
            if (isRemoved) removed.add(m.machineId);
            else removed.delete(m.machineId);
          },
          cloudFaults,
          cloudCalls,
          identity,
          machines,
          machineInfo: (m) => ({ ...info(m), cloudState: m.state, built: m.isBuilt, livePeers: m.livePeers }),
          fleetListing: () => ({
            defaultMachine: defaultMachine.machineId,
            offlineDelayMs,
            orgs: spec.orgs.map((o) => ({ id: o.id, name: o.name })),
            locations: spec.locations.map((l) => ({ id: l.id, name: l.name, orgId: l.orgId })),
            machines: machines.map((m) => ({
              ...info(m),
              livePeers: m.livePeers,
              removed: removed.has(m.machineId),
            })),
            users: spec.users.map((u) => ({
              id: u.id,
              name: u.name,
              orgIds: u.orgIds,
              locationIds: u.locationIds,
              revoked: identity.isRevoked(u.token),
            })),
            apiKeys: spec.apiKeys.map((k) => ({
              id: k.id,
              scope: k.scope,
              resourceId: k.resourceId,
              revoked: identity.isRevoked(k.id),
            })),
          }),
        },
        method,
        subpath,
        body,
        query,
      ),
  });
  cutConnections = (machineId) => http.destroyConnections({ keepControl: true, tag: machineId });

  const port = opts.port ?? DEFAULT_CLOUD_PORT;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(port, host, () => {
      http.server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (http.server.address() as AddressInfo).port;

  const roverKey =
    spec.apiKeys.find((k) => k.scope === 'machine' && k.resourceId === defaultMachine.machineId) ??
    spec.apiKeys.find((k) =>
      identity.canReachMachine(
        { kind: 'api-key', keyId: k.id, scope: k.scope, resourceId: k.resourceId },
        defaultMachine.machineId,
      ),
    );
  const fleetMachine = (idOrHost: string): FleetMachine => {
    const m = find(idOrHost);
    if (!m) throw new Error(`no machine "${idOrHost}" in the fleet`);
    return m;
  };

  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    get machines() {
      return machines.map(info);
    },
    users: spec.users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      accessToken: u.token,
      orgIds: [...u.orgIds],
      locationIds: [...u.locationIds],
    })),
    apiKeys: spec.apiKeys.map((k) => ({ ...k })),
    rover: {
      hostname: defaultMachine.hostname,
      machineId: defaultMachine.machineId,
      partId: defaultMachine.spec.partId,
      apiKeyId: roverKey?.id ?? '',
      apiKey: roverKey?.key ?? '',
    },
    machine: (idOrHost) => fleetMachine(idOrHost).sim,
    fleetMachine,
    livePeers: (idOrHost) =>
      idOrHost === undefined
        ? machines.reduce((n, m) => n + m.livePeers, 0)
        : fleetMachine(idOrHost).livePeers,
    close: () =>
      (closing ??= (async () => {
        for (const m of machines) m.dispose();
        await new Promise<void>((resolve) => {
          http.server.close(() => resolve());
          http.server.closeAllConnections();
        });
      })()),
  };
}
