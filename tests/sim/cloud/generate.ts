/**
 * A generated fleet for scale tests (`npm run sim -- --machines 500`): the default fleet's rover
 * (same hostname, ids and API key, so the single-machine app still opens it) plus N-1 machines over
 * three organizations and twelve locations (one of them nested), with mixed states and fragments.
 * Deterministic: the same N gives the same ids, names and states every run.
 *
 * Machine configs are the small ones in tests/sim/configs; none is built until something connects
 * to it or asks for its machine state, so a fleet of 500 costs almost nothing while idle.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_KEY_ID,
  DEFAULT_OFFLINE_DELAY_MS,
  DEFAULT_USER_TOKEN,
  FLEET_USERS,
  ORG_ACME,
  ORG_BETA,
  ROVER,
} from './defaults.ts';
import {
  CONFIGS_DIR,
  type FleetSpec,
  type FragmentSpec,
  type LocationSpec,
  type MachineSpec,
  type OrgSpec,
} from './fleet-config.ts';

export const MAX_GENERATED_MACHINES = 5000;
export const ORG_GAMMA = 'c3e5a7b9-1d3f-4a5b-8c7d-9e1f3a5b7c9d';
const CREATED = Date.UTC(2024, 2, 1, 8, 0);

/** A stable UUID-shaped id from a label. */
export function stableUuid(label: string): string {
  const h = createHash('sha1').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h.slice(16, 17), 16) % 4] ?? '8'}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const KINDS = [
  { kind: 'rover', config: 'rover.json', fragment: 0 },
  { kind: 'arm-cell', config: 'arm-cell.json', fragment: 1 },
  { kind: 'sensor-pod', config: 'sensor-pod.json', fragment: 2 },
  { kind: 'sensor-pod', config: 'sensor-pod.json', fragment: 3 },
] as const;

const PLATFORMS = [
  { platform: 'linux/arm64', os: 'Debian GNU/Linux 12 (bookworm)' },
  { platform: 'linux/amd64', os: 'Ubuntu 24.04 LTS' },
  { platform: 'linux/arm', os: 'Raspberry Pi OS 12 (bookworm)' },
] as const;

const VERSIONS = ['v0.89.0', 'v0.88.1', 'v0.86.0'] as const;

export function generateFleet(count: number): FleetSpec {
  if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATED_MACHINES) {
    throw new RangeError(`a generated fleet has 1 to ${MAX_GENERATED_MACHINES} machines`);
  }
  const orgs: OrgSpec[] = [
    { id: ORG_ACME, name: 'Acme Robotics', publicNamespace: 'acme-robotics', createdOn: CREATED },
    { id: ORG_BETA, name: 'Beta Farms', publicNamespace: 'beta-farms', createdOn: CREATED },
    { id: ORG_GAMMA, name: 'Gamma Logistics', publicNamespace: 'gamma-logistics', createdOn: CREATED },
  ];
  const siteNames = ['Warehouse East', 'Lab North', 'Depot South', 'Yard West'];
  const locations: LocationSpec[] = [];
  orgs.forEach((org, o) => {
    siteNames.forEach((site, s) => {
      const first = o === 0 && s === 0;
      locations.push({
        // The rover's location keeps its id, so the single-machine app's metadata is unchanged.
        id: first
          ? ROVER.locationId
          : `gen${o}loc${s}${String.fromCharCode(97 + o)}${String.fromCharCode(97 + s)}`,
        name: o === 0 ? site : `${site} (${org.name})`,
        orgId: org.id,
        parentLocationId: '',
        createdOn: CREATED,
      });
    });
  });
  // One nested location: a bay inside the first site of Gamma Logistics.
  const gammaFirst = locations.find((l) => l.orgId === ORG_GAMMA);
  if (gammaFirst) {
    locations.push({
      id: 'gen2loc9ci',
      name: 'Bay 9 (inside Warehouse East, Gamma)',
      orgId: ORG_GAMMA,
      parentLocationId: gammaFirst.id,
      createdOn: CREATED,
    });
  }
  const fragments: FragmentSpec[] = [
    { name: 'rover-base', orgId: ORG_ACME },
    { name: 'arm-cell-standard', orgId: ORG_ACME },
    { name: 'sensor-pod', orgId: ORG_BETA },
    { name: 'sensor-pod-gamma', orgId: ORG_GAMMA },
  ].map((f, i) => ({
    id: stableUuid(`fragment-${i}`),
    name: f.name,
    orgId: f.orgId,
    public: i === 2,
    config: {},
    createdOn: CREATED,
  }));

  const machines: MachineSpec[] = [
    {
      machineId: ROVER.machineId,
      name: ROVER.name,
      locationId: ROVER.locationId,
      partId: ROVER.partId,
      partName: 'sim-rover-main',
      hostname: ROVER.hostname,
      localFqdn: ROVER.hostname,
      config: resolve(CONFIGS_DIR, 'rover.json'),
      state: 'online',
      lastOnlineAgoS: 0,
      fragmentIds: [fragments[0]?.id ?? ''],
      version: { kind: 'major', value: 'v0.89.0' },
      platform: 'linux/arm64',
      os: 'Debian GNU/Linux 12 (bookworm)',
      agentVersion: 'v0.20.2',
      publicIp: '203.0.113.10',
      createdOn: CREATED,
    },
  ];
  for (let i = 1; i < count; i++) {
    const location = locations[i % locations.length] ?? locations[0];
    if (!location) break;
    const orgIndex = orgs.findIndex((o) => o.id === location.orgId);
    // Kinds follow the organization, so fragments stay inside their owner's machines.
    const kind = KINDS[orgIndex === 0 ? i % 2 : orgIndex + 1] ?? KINDS[0];
    const n = String(i).padStart(3, '0');
    const name = `${kind.kind}-${n}`;
    const roll = i % 10;
    const state = roll === 9 ? 'awaiting_setup' : roll >= 7 ? 'offline' : 'online';
    const platform = PLATFORMS[i % PLATFORMS.length] ?? PLATFORMS[0];
    const hostname = `${name}-main.${location.id}.viam.cloud`;
    machines.push({
      machineId: stableUuid(`machine-${i}`),
      name,
      locationId: location.id,
      partId: stableUuid(`part-${i}`),
      partName: `${name}-main`,
      hostname,
      localFqdn: hostname.replace(/\.viam\.cloud$/u, '.local.viam.cloud'),
      config: resolve(CONFIGS_DIR, kind.config),
      state,
      // Offline for anything from a minute to about a month.
      lastOnlineAgoS: state === 'offline' ? 60 + ((i * 7919) % (30 * 86_400)) : 0,
      fragmentIds: fragments[kind.fragment] ? [fragments[kind.fragment]?.id ?? ''] : [],
      version:
        i % 23 === 0
          ? { kind: 'minor', value: `0.90.0-dev+${n}` }
          : { kind: 'major', value: VERSIONS[i % 3] ?? 'v0.89.0' },
      platform: platform.platform,
      os: platform.os,
      agentVersion: 'v0.20.2',
      publicIp: `203.0.113.${(i % 200) + 20}`,
      createdOn: CREATED + i * 3_600_000,
    });
  }

  return {
    orgs,
    locations,
    fragments,
    machines,
    users: [
      {
        id: FLEET_USERS.operator.id,
        name: 'Sim Operator',
        email: 'operator@example.com',
        token: DEFAULT_USER_TOKEN,
        orgIds: orgs.map((o) => o.id),
        locationIds: [],
      },
      {
        id: FLEET_USERS.warehouse.id,
        name: 'Wendy (Warehouse East only)',
        email: 'wendy@example.com',
        token: FLEET_USERS.warehouse.token,
        orgIds: [],
        locationIds: [ROVER.locationId],
      },
      {
        id: FLEET_USERS.farms.id,
        name: 'Farah (Beta Farms)',
        email: 'farah@example.com',
        token: FLEET_USERS.farms.token,
        orgIds: [ORG_BETA],
        locationIds: [],
      },
    ],
    apiKeys: [
      {
        id: DEFAULT_API_KEY_ID,
        key: DEFAULT_API_KEY,
        name: 'sim-rover machine key',
        scope: 'machine',
        resourceId: ROVER.machineId,
      },
    ],
    offlineDelayMs: DEFAULT_OFFLINE_DELAY_MS,
    defaultMachineId: ROVER.machineId,
  };
}
