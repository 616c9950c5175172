/**
 * One simulated Viam machine behind its own simulated cloud: Viam's signaling server and the
 * machine's WebRTC peer at once, so @viamrobotics/sdk connects to it as in production.
 *
 * A thin wrapper over `startCloud` (tests/sim/cloud) with a fleet of one machine, one organization,
 * one location and one machine-scoped API key: the shape every transport spec was written against.
 * For a fleet (several machines, users, the app API at scale) use `startCloud` itself.
 */
import type { MachineConfig, SimMachine, UnimplementedWording } from './machine/index.ts';
import {
  DEFAULT_HOSTNAME,
  DEFAULT_LOCATION_ID,
  DEFAULT_MACHINE_ID,
  DEFAULT_ORG_ID,
  DEFAULT_PART_ID,
  DEFAULT_VERSION,
  loadConfig,
} from './machine/index.ts';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_KEY_ID,
  DEFAULT_CLOUD_PORT,
  DEFAULT_HEARTBEAT_WINDOW_MS,
  startCloud,
  type FleetSpec,
  type RunningCloud,
} from './cloud/index.ts';
import type { DtlsRole } from './transport/peer.ts';

export { DEFAULT_API_KEY_ID, DEFAULT_API_KEY, DEFAULT_HEARTBEAT_WINDOW_MS } from './cloud/index.ts';
export const DEFAULT_PORT = DEFAULT_CLOUD_PORT;

export interface StartSimOptions {
  /** 0 = any free port; default 8091 */
  port?: number;
  /** interface to listen on; default 127.0.0.1 (the url always says localhost) */
  host?: string;
  /** a machine config, or the path of a JSON file; default: the demo rover */
  config?: MachineConfig | string;
  apiKeyId?: string;
  apiKey?: string;
  heartbeatWindowMs?: number;
  /** the machine's hostname (the rpc-host signaling routes by) */
  hostname?: string;
  /** a ready-made machine instead of one built from config (tests of the transport alone) */
  machine?: SimMachine;
  /**
   * The machine's DTLS role on WebRTC connections. 'server' (default) connects ~50 ms
   * faster; 'client' is what werift picks by itself and is where werift's DTLS
   * sequence-number defect shows (tests use it to guard the workaround).
   */
  dtlsRole?: DtlsRole;
  /** see StartCloudOptions.linkRelay / .link */
  linkRelay?: boolean;
  link?: unknown;
  /** Behave like an older viam-server (config `sim.old_server`): see tests/sim/machine/unimplemented.ts. */
  oldServer?: boolean;
  /** Every machine method but ResourceNames and GetOperations answers Unimplemented (`sim.all_unimplemented`). */
  allUnimplemented?: boolean;
  /** The words of Unimplemented answers (`sim.unimplemented_wording`). */
  unimplementedWording?: UnimplementedWording;
}

export interface RunningSim {
  /** http://localhost:PORT: the signaling address and the direct-dial host */
  readonly url: string;
  readonly port: number;
  readonly hostname: string;
  readonly machineId: string;
  readonly apiKeyId: string;
  readonly apiKey: string;
  readonly machine: SimMachine;
  /** the cloud behind it (a fleet of this one machine) */
  readonly cloud: RunningCloud;
  /** WebRTC peer connections alive now */
  livePeers(): number;
  /** frees the port, closes every peer and disposes the machine */
  close(): Promise<void>;
}

/** A fleet of exactly one machine, with the identity its config (or the ready machine) gives it. */
export function singleMachineFleet(opts: StartSimOptions): FleetSpec {
  const loaded: MachineConfig = opts.machine
    ? { components: [], services: [] }
    : typeof opts.config === 'object'
      ? opts.config
      : loadConfig(opts.config);
  // Flags add to what the config says; they never switch a config's own setting off.
  const config: MachineConfig = {
    ...loaded,
    sim: {
      ...loaded.sim,
      ...(opts.oldServer === true ? { old_server: true } : {}),
      ...(opts.allUnimplemented === true ? { all_unimplemented: true } : {}),
      ...(opts.unimplementedWording ? { unimplemented_wording: opts.unimplementedWording } : {}),
    },
  };
  const sim = config.sim ?? {};
  const machineId = opts.machine?.machineId ?? sim.machine_id ?? DEFAULT_MACHINE_ID;
  const hostname = opts.machine?.hostname ?? opts.hostname ?? sim.hostname ?? DEFAULT_HOSTNAME;
  const locationId = sim.location_id ?? DEFAULT_LOCATION_ID;
  const orgId = sim.org_id ?? DEFAULT_ORG_ID;
  const created = Date.UTC(2024, 0, 15, 9, 30);
  const label = hostname.split('.')[0] ?? 'machine';
  return {
    orgs: [{ id: orgId, name: 'Simulated Org', publicNamespace: 'simulated-org', createdOn: created }],
    locations: [
      { id: locationId, name: 'Simulated Location', orgId, parentLocationId: '', createdOn: created },
    ],
    fragments: [],
    machines: [
      {
        machineId,
        name: label.replace(/-main$/u, ''),
        locationId,
        partId: sim.part_id ?? DEFAULT_PART_ID,
        partName: label,
        hostname,
        localFqdn: hostname,
        config,
        state: 'online',
        lastOnlineAgoS: 0,
        fragmentIds: [],
        version: { kind: 'major', value: sim.version ?? DEFAULT_VERSION },
        platform: 'linux/arm64',
        os: 'Debian GNU/Linux 12 (bookworm)',
        agentVersion: 'v0.20.2',
        publicIp: '203.0.113.10',
        createdOn: created,
      },
    ],
    users: [],
    apiKeys: [
      {
        id: opts.apiKeyId ?? DEFAULT_API_KEY_ID,
        key: opts.apiKey ?? DEFAULT_API_KEY,
        name: 'machine key',
        scope: 'machine',
        resourceId: machineId,
      },
    ],
  };
}

export async function startSim(opts: StartSimOptions = {}): Promise<RunningSim> {
  const fleet = singleMachineFleet(opts);
  const only = fleet.machines[0];
  const key = fleet.apiKeys[0];
  if (!only || !key) throw new Error('unreachable: a single-machine fleet has one machine and one key');
  const cloud = await startCloud({
    fleet,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    heartbeatWindowMs: opts.heartbeatWindowMs ?? DEFAULT_HEARTBEAT_WINDOW_MS,
    ...(opts.dtlsRole ? { dtlsRole: opts.dtlsRole } : {}),
    ...(opts.machine ? { readyMachines: new Map([[only.machineId, opts.machine]]) } : {}),
    ...(opts.linkRelay === false ? { linkRelay: false } : {}),
    ...(opts.link !== undefined ? { link: opts.link } : {}),
  });
  return {
    url: cloud.url,
    port: cloud.port,
    hostname: only.hostname,
    machineId: only.machineId,
    apiKeyId: key.id,
    apiKey: key.key,
    machine: cloud.machine(only.machineId),
    cloud,
    livePeers: () => cloud.livePeers(),
    close: () => cloud.close(),
  };
}
