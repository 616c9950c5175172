/**
 * The fleet a simulated cloud serves, as a JSON file (tests/sim/configs/fleet.json is the default):
 * organizations, locations, fragments, machines (each with its machine config inline or as a path
 * relative to the fleet file), users with access tokens, and API keys with their scope.
 *
 * Names are any string on purpose: hostile organization, location and machine names are a test
 * concern of the apps, and the cloud must carry them unchanged. Ids and hostnames are checked,
 * because signaling and the control API route by them.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, parseMachineConfig, type MachineConfig } from '../machine/index.ts';

export type MachineState = 'online' | 'offline' | 'awaiting_setup';
export const MACHINE_STATES: readonly MachineState[] = ['online', 'offline', 'awaiting_setup'];

export type ApiKeyScope = 'machine' | 'location' | 'organization';

export interface OrgSpec {
  id: string;
  name: string;
  publicNamespace: string;
  createdOn: number;
}

export interface LocationSpec {
  id: string;
  name: string;
  orgId: string;
  parentLocationId: string;
  createdOn: number;
}

export interface FragmentSpec {
  id: string;
  name: string;
  orgId: string;
  public: boolean;
  /** the fragment's own config (components it adds), shown by ListMachineFragments */
  config: Record<string, unknown>;
  createdOn: number;
}

export interface MachineSpec {
  machineId: string;
  name: string;
  locationId: string;
  partId: string;
  partName: string;
  /** the main part's fqdn: what signaling routes by (rpc-host) */
  hostname: string;
  localFqdn: string;
  /** the machine config, or the path of one (loaded when the machine is first needed) */
  config: MachineConfig | string;
  state: MachineState;
  /** for offline machines: how long ago they were last online */
  lastOnlineAgoS: number;
  fragmentIds: string[];
  /** viam-server version: a release ('major') or a dev build ('minor') */
  version: { kind: 'major' | 'minor'; value: string };
  platform: string;
  os: string;
  agentVersion: string;
  publicIp: string;
  createdOn: number;
}

export interface UserSpec {
  id: string;
  name: string;
  email: string;
  token: string;
  /** organizations the user is a member of (every location in them) */
  orgIds: string[];
  /** single locations the user was given (and their sub-locations) */
  locationIds: string[];
  /** ms since the epoch; absent = never */
  expiresAt?: number;
}

export interface ApiKeySpec {
  id: string;
  key: string;
  name: string;
  scope: ApiKeyScope;
  /** the machine, location or organization id the key is for */
  resourceId: string;
}

export interface FleetSpec {
  orgs: OrgSpec[];
  locations: LocationSpec[];
  fragments: FragmentSpec[];
  machines: MachineSpec[];
  users: UserSpec[];
  apiKeys: ApiKeySpec[];
  /** how long signaling takes to say an offline machine is offline */
  offlineDelayMs?: number;
  /** the machine direct gRPC-web dials reach, and the one /__sim/<route> addresses (default: the first) */
  defaultMachineId?: string;
}

export class FleetConfigError extends Error {}

const here = dirname(fileURLToPath(import.meta.url));
export const CONFIGS_DIR = resolve(here, '../configs');
export const DEFAULT_FLEET_FILE = resolve(CONFIGS_DIR, 'fleet.json');

const MAX_NAME = 20_000;
/** ids and hostnames end up in URLs, headers and control routes */
const ID_RULE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/u;
const TIME_2024 = Date.UTC(2024, 0, 15, 9, 30);

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(raw: Raw, key: string): Raw[] {
  const v = raw[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isObject))
    throw new FleetConfigError(`"${key}" must be an array of objects`);
  return v;
}

function id(raw: Raw, key: string, what: string): string {
  const v = raw[key];
  if (typeof v !== 'string' || !ID_RULE.test(v)) {
    throw new FleetConfigError(
      `${what}: "${key}" must be an id (letters, digits, . _ : -), got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function name(raw: Raw, key: string, what: string, fallback?: string): string {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'string' || v.length > MAX_NAME) {
    throw new FleetConfigError(`${what}: "${key}" must be a string of at most ${MAX_NAME} characters`);
  }
  return v;
}

function optString(raw: Raw, key: string, what: string, fallback: string): string {
  const v = raw[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new FleetConfigError(`${what}: "${key}" must be a string`);
  return v;
}

function ids(raw: Raw, key: string, what: string): string[] {
  const v = raw[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
    throw new FleetConfigError(`${what}: "${key}" must be an array of ids`);
  }
  return v;
}

function time(raw: Raw, key: string, what: string, fallback: number): number {
  const v = raw[key];
  if (v === undefined) return fallback;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new FleetConfigError(`${what}: "${key}" must be an ISO date`);
  return t;
}

function nonNegative(raw: Raw, key: string, what: string, fallback: number): number {
  const v = raw[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new FleetConfigError(`${what}: "${key}" must be a non-negative number`);
  }
  return v;
}

function unique<T>(items: T[], key: (t: T) => string, what: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) throw new FleetConfigError(`duplicate ${what} "${k}"`);
    seen.add(k);
  }
}

/** Lowercase DNS label from any name (hostile names included), never empty. */
export function dnsLabel(text: string): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/gu, '-')
    .slice(0, 50)
    .replace(/^-+|-+$/gu, '');
  return label === '' ? 'machine' : label;
}

/** Check and normalise a fleet config. `baseDir` resolves machine config paths. */
export function parseFleet(raw: unknown, baseDir: string = CONFIGS_DIR): FleetSpec {
  if (!isObject(raw)) throw new FleetConfigError('a fleet config must be a JSON object');

  const orgs = list(raw, 'orgs').map((o, i): OrgSpec => {
    const what = `orgs[${i}]`;
    const orgId = id(o, 'id', what);
    return {
      id: orgId,
      name: name(o, 'name', what),
      publicNamespace: optString(o, 'public_namespace', what, dnsLabel(name(o, 'name', what))),
      createdOn: time(o, 'created_on', what, TIME_2024),
    };
  });
  unique(orgs, (o) => o.id, 'organization id');
  const orgIds = new Set(orgs.map((o) => o.id));

  const locations = list(raw, 'locations').map((l, i): LocationSpec => {
    const what = `locations[${i}]`;
    const orgId = id(l, 'org_id', what);
    if (!orgIds.has(orgId)) throw new FleetConfigError(`${what}: no organization "${orgId}"`);
    return {
      id: id(l, 'id', what),
      name: name(l, 'name', what),
      orgId,
      parentLocationId: optString(l, 'parent_location_id', what, ''),
      createdOn: time(l, 'created_on', what, TIME_2024),
    };
  });
  unique(locations, (l) => l.id, 'location id');
  const locationIds = new Set(locations.map((l) => l.id));
  for (const l of locations) {
    if (l.parentLocationId !== '' && !locationIds.has(l.parentLocationId)) {
      throw new FleetConfigError(`location "${l.id}": no parent location "${l.parentLocationId}"`);
    }
  }

  const fragments = list(raw, 'fragments').map((f, i): FragmentSpec => {
    const what = `fragments[${i}]`;
    const orgId = id(f, 'org_id', what);
    if (!orgIds.has(orgId)) throw new FleetConfigError(`${what}: no organization "${orgId}"`);
    const config = f['config'] ?? {};
    if (!isObject(config)) throw new FleetConfigError(`${what}: "config" must be an object`);
    return {
      id: id(f, 'id', what),
      name: name(f, 'name', what),
      orgId,
      public: f['public'] === true,
      config,
      createdOn: time(f, 'created_on', what, TIME_2024),
    };
  });
  unique(fragments, (f) => f.id, 'fragment id');
  const fragmentIds = new Set(fragments.map((f) => f.id));

  const machines = list(raw, 'machines').map((m, i): MachineSpec => parseMachine(m, i, baseDir));
  for (const m of machines) {
    if (!locationIds.has(m.locationId)) {
      throw new FleetConfigError(`machine "${m.machineId}": no location "${m.locationId}"`);
    }
    for (const f of m.fragmentIds) {
      if (!fragmentIds.has(f)) throw new FleetConfigError(`machine "${m.machineId}": no fragment "${f}"`);
    }
  }
  unique(machines, (m) => m.machineId, 'machine id');
  unique(machines, (m) => m.partId, 'part id');
  unique(machines, (m) => m.hostname.toLowerCase(), 'machine hostname');

  const users = list(raw, 'users').map((u, i): UserSpec => {
    const what = `users[${i}]`;
    const token = u['token'];
    if (typeof token !== 'string' || token.length < 16 || /\s/u.test(token)) {
      throw new FleetConfigError(`${what}: "token" must be a string of 16+ characters without spaces`);
    }
    const spec: UserSpec = {
      id: optString(u, 'id', what, `user-${i + 1}`),
      name: name(u, 'name', what),
      email: optString(u, 'email', what, ''),
      token,
      orgIds: ids(u, 'orgs', what),
      locationIds: ids(u, 'locations', what),
    };
    for (const o of spec.orgIds)
      if (!orgIds.has(o)) throw new FleetConfigError(`${what}: no organization "${o}"`);
    for (const l of spec.locationIds) {
      if (!locationIds.has(l)) throw new FleetConfigError(`${what}: no location "${l}"`);
    }
    if (u['expires'] !== undefined) spec.expiresAt = time(u, 'expires', what, 0);
    return spec;
  });
  unique(users, (u) => u.token, 'user token');
  unique(users, (u) => u.id, 'user id');

  const machineIds = new Set(machines.map((m) => m.machineId));
  const apiKeys = list(raw, 'api_keys').map((k, i): ApiKeySpec => {
    const what = `api_keys[${i}]`;
    const scope = k['scope'];
    if (scope !== 'machine' && scope !== 'location' && scope !== 'organization') {
      throw new FleetConfigError(`${what}: "scope" must be machine, location or organization`);
    }
    const resourceId = id(k, 'resource', what);
    const known = scope === 'machine' ? machineIds : scope === 'location' ? locationIds : orgIds;
    if (!known.has(resourceId)) throw new FleetConfigError(`${what}: no ${scope} "${resourceId}"`);
    const key = k['key'];
    if (typeof key !== 'string' || key.length < 16) {
      throw new FleetConfigError(`${what}: "key" must be a string of 16+ characters`);
    }
    return { id: id(k, 'id', what), key, name: optString(k, 'name', what, ''), scope, resourceId };
  });
  unique(apiKeys, (k) => k.id, 'api key id');

  const spec: FleetSpec = { orgs, locations, fragments, machines, users, apiKeys };
  if (raw['offline_delay_ms'] !== undefined) {
    spec.offlineDelayMs = Math.min(nonNegative(raw, 'offline_delay_ms', 'fleet', 1000), 60_000);
  }
  if (raw['default_machine'] !== undefined) {
    const d = id(raw, 'default_machine', 'fleet');
    if (!machineIds.has(d)) throw new FleetConfigError(`default_machine: no machine "${d}"`);
    spec.defaultMachineId = d;
  }
  return spec;
}

function parseMachine(m: Raw, i: number, baseDir: string): MachineSpec {
  const what = `machines[${i}]`;
  const machineId = id(m, 'id', what);
  const machineName = name(m, 'name', what);
  const locationId = id(m, 'location_id', what);
  const partName = name(m, 'part_name', what, `${dnsLabel(machineName)}-main`);
  const partLabel = m['part_name'] === undefined ? partName : dnsLabel(partName);
  const hostname =
    m['hostname'] === undefined
      ? `${partLabel}.${locationId.toLowerCase()}.viam.cloud`
      : id(m, 'hostname', what);
  const localFqdn =
    m['local_fqdn'] === undefined
      ? hostname.endsWith('.viam.cloud')
        ? hostname.replace(/\.viam\.cloud$/u, '.local.viam.cloud')
        : hostname
      : id(m, 'local_fqdn', what);
  const state = m['state'] ?? 'online';
  if (typeof state !== 'string' || !(MACHINE_STATES as readonly string[]).includes(state)) {
    throw new FleetConfigError(`${what}: "state" must be one of ${MACHINE_STATES.join(', ')}`);
  }
  const rawConfig = m['config'];
  let config: MachineConfig | string;
  if (typeof rawConfig === 'string') config = resolve(baseDir, rawConfig);
  else if (isObject(rawConfig)) {
    try {
      config = parseMachineConfig(rawConfig);
    } catch (err) {
      throw new FleetConfigError(`${what}: ${(err as Error).message}`);
    }
  } else if (rawConfig === undefined) config = { components: [], services: [] };
  else throw new FleetConfigError(`${what}: "config" must be a machine config object or a file path`);

  const rawVersion = m['viam_server_version'];
  let version: MachineSpec['version'] = { kind: 'major', value: 'v0.89.0' };
  if (typeof rawVersion === 'string') version = { kind: 'major', value: rawVersion };
  else if (isObject(rawVersion)) {
    const major = rawVersion['major'];
    const minor = rawVersion['minor'];
    if (typeof major === 'string') version = { kind: 'major', value: major };
    else if (typeof minor === 'string') version = { kind: 'minor', value: minor };
    else throw new FleetConfigError(`${what}: "viam_server_version" needs "major" or "minor"`);
  } else if (rawVersion !== undefined) {
    throw new FleetConfigError(`${what}: "viam_server_version" must be a string or {major|minor}`);
  }

  return {
    machineId,
    name: machineName,
    locationId,
    partId: m['part_id'] === undefined ? `${machineId}-part` : id(m, 'part_id', what),
    partName,
    hostname,
    localFqdn,
    config,
    state: state as MachineState,
    lastOnlineAgoS: nonNegative(m, 'last_online_ago_s', what, state === 'offline' ? 3 * 3600 : 0),
    fragmentIds: ids(m, 'fragments', what),
    version,
    platform: optString(m, 'platform', what, 'linux/arm64'),
    os: optString(m, 'os', what, 'Debian GNU/Linux 12 (bookworm)'),
    agentVersion: optString(m, 'agent_version', what, 'v0.20.2'),
    publicIp: optString(m, 'public_ip', what, '203.0.113.10'),
    createdOn: time(m, 'created_on', what, TIME_2024),
  };
}

/** Read and check a fleet file; machine config paths are relative to it. */
export function loadFleet(file: string = DEFAULT_FLEET_FILE): FleetSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FleetConfigError(`cannot read fleet config ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FleetConfigError(`fleet config ${file} is not JSON: ${(err as Error).message}`);
  }
  return parseFleet(raw, dirname(file));
}

/** A machine's config, loaded from its file if it names one. */
export function machineConfigOf(spec: MachineSpec): MachineConfig {
  return typeof spec.config === 'string' ? loadConfig(spec.config) : spec.config;
}
