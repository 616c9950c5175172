/**
 * The machine's configuration, shaped like the `components` / `services` part of a viam-server
 * config so a real machine's JSON (or a trimmed copy) can be dropped in.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface ResourceConfig {
  name: string;
  /** "namespace:type:subtype", e.g. "rdk:component:motor". */
  api?: string;
  /** Legacy form: subtype only ("motor"), with `namespace` defaulting to "rdk". */
  type?: string;
  namespace?: string;
  model?: string;
  attributes?: JsonObject;
  depends_on?: string[];
  /**
   * Simulator-only: methods this resource's model does not implement (a partial module model), by
   * name ("GoTo") or full path ("/viam.component.motor.v1.MotorService/GoTo"). They answer
   * Unimplemented the way a module's generated gRPC stub does.
   */
  unimplemented?: string[];
}

export interface ModuleConfig {
  name: string;
  module_id?: string;
  type?: 'registry' | 'local';
  version?: string;
}

export interface MachineConfig {
  components?: ResourceConfig[];
  services?: ResourceConfig[];
  modules?: ModuleConfig[];
  /** Simulator-only settings; viam-server ignores unknown top-level keys like this one. */
  sim?: {
    hostname?: string;
    machine_id?: string;
    part_id?: string;
    location_id?: string;
    org_id?: string;
    version?: string;
    /** How long the machine reports INITIALIZING after start (ms). */
    startup_ms?: number;
    /** How long reconfigured resources report CONFIGURING (ms). */
    configuring_ms?: number;
    /** Add the default `rdk:service:motion/builtin` like viam-server does (default true). */
    default_services?: boolean;
    /**
     * Behave like an older viam-server: no GetMachineStatus, no sessions (StartSession,
     * SendSessionHeartbeat), no reflection service, no GetCloudMetadata; all answer Unimplemented.
     */
    old_server?: boolean;
    /** Every machine method but ResourceNames and GetOperations answers Unimplemented (bad-input tests). */
    all_unimplemented?: boolean;
    /** More machine-level methods to answer Unimplemented, by name or full path ("GetVersion"). */
    unimplemented_methods?: string[];
    /**
     * The words of those answers. 'grpc-go' (default): "unknown method X for service Y" / "unknown
     * service Y" for what the machine lacks, "method X not implemented" for what a resource's model
     * lacks (protoc-gen-go-grpc's stub). 'rdk': the bare "Unimplemented" viam-server's
     * foreignServiceHandler answers for any call it cannot route (rdk grpc.UnimplementedError).
     */
    unimplemented_wording?: UnimplementedWording;
  };
}

export type UnimplementedWording = 'grpc-go' | 'rdk';

/** A method name or /pkg.Service/Method path, as the `unimplemented` lists take them. */
const METHOD_ENTRY = /^(?:\/[A-Za-z0-9_.]+\/)?[A-Za-z][A-Za-z0-9_]*$/;
const MAX_UNIMPLEMENTED = 100;

/** Check an `unimplemented` list (a resource's or the machine's). */
export function parseMethodList(raw: unknown, where: string): string[] {
  if (
    !Array.isArray(raw) ||
    raw.length > MAX_UNIMPLEMENTED ||
    !raw.every((m): m is string => typeof m === 'string' && METHOD_ENTRY.test(m))
  ) {
    throw new ConfigError(
      `${where}: "unimplemented" must be a list of at most ${MAX_UNIMPLEMENTED} method names ("GoTo") or paths ("/pkg.Service/Method")`,
    );
  }
  return [...raw];
}

export interface ResourceApi {
  namespace: string;
  type: string;
  subtype: string;
}

export function apiString(api: ResourceApi): string {
  return `${api.namespace}:${api.type}:${api.subtype}`;
}

const API_PART = /^[a-zA-Z0-9_-]+$/;
/** Longest name accepted with unchecked names on. */
const MAX_UNCHECKED_NAME = 20_000;

/** viam-server's rule for resource names. */
const NAME_RULE = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

export class ConfigError extends Error {}

/** Resolve a resource config's API from `api` or the legacy `type` + `namespace` form. */
export function resolveApi(rc: ResourceConfig, kind: 'component' | 'service'): ResourceApi {
  if (typeof rc.api === 'string' && rc.api !== '') {
    const parts = rc.api.split(':');
    if (parts.length !== 3 || !parts.every((p) => API_PART.test(p))) {
      throw new ConfigError(`resource "${rc.name}": api "${rc.api}" must look like namespace:type:subtype`);
    }
    const [namespace, type, subtype] = parts as [string, string, string];
    return { namespace, type, subtype };
  }
  if (typeof rc.type === 'string' && API_PART.test(rc.type)) {
    const namespace = typeof rc.namespace === 'string' && rc.namespace !== '' ? rc.namespace : 'rdk';
    return { namespace, type: kind, subtype: rc.type };
  }
  throw new ConfigError(`resource "${rc.name}": needs "api" or "type"`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Check one resource config (from a file or a reconfigure request) and normalise it. */
export function parseResourceConfig(
  raw: unknown,
  kind: 'component' | 'service',
  opts: { anyName?: boolean } = {},
): ResourceConfig & { resolved: ResourceApi } {
  if (!isObject(raw)) throw new ConfigError(`a ${kind} config must be an object`);
  const name = raw['name'];
  // `anyName` (robustness tests only, via POST /__sim/names/unchecked) lets a hostile machine send
  // names viam-server would refuse: markup, RTL and zero-width characters, very long text.
  const valid = opts.anyName
    ? typeof name === 'string' && name !== '' && name.length <= MAX_UNCHECKED_NAME
    : typeof name === 'string' && NAME_RULE.test(name) && name.length <= 60;
  if (!valid || typeof name !== 'string') {
    throw new ConfigError(`${kind} name ${JSON.stringify(name)} is not a valid resource name`);
  }
  const attributes = raw['attributes'];
  if (attributes !== undefined && !isObject(attributes)) {
    throw new ConfigError(`resource "${name}": attributes must be an object`);
  }
  const model = raw['model'];
  if (model !== undefined && typeof model !== 'string')
    throw new ConfigError(`resource "${name}": model must be a string`);
  const rc: ResourceConfig = {
    name,
    model: model ?? 'rdk:builtin:fake',
    attributes: (attributes ?? {}) as JsonObject,
  };
  if (typeof raw['api'] === 'string') rc.api = raw['api'];
  if (typeof raw['type'] === 'string') rc.type = raw['type'];
  if (typeof raw['namespace'] === 'string') rc.namespace = raw['namespace'];
  if (raw['unimplemented'] !== undefined)
    rc.unimplemented = parseMethodList(raw['unimplemented'], `resource "${name}"`);
  return { ...rc, resolved: resolveApi(rc, kind) };
}

export function parseMachineConfig(raw: unknown): MachineConfig {
  if (!isObject(raw)) throw new ConfigError('machine config must be a JSON object');
  const out: MachineConfig = {};
  const seen = new Set<string>();
  for (const kind of ['component', 'service'] as const) {
    const list = raw[`${kind}s`];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ConfigError(`"${kind}s" must be an array`);
    const parsed = list.map((item) => {
      const { resolved: _resolved, ...rc } = parseResourceConfig(item, kind);
      const key = `${kind}/${rc.name}`;
      if (seen.has(key)) throw new ConfigError(`duplicate ${kind} name "${rc.name}"`);
      seen.add(key);
      return rc;
    });
    if (kind === 'component') out.components = parsed;
    else out.services = parsed;
  }
  if (Array.isArray(raw['modules'])) out.modules = raw['modules'] as ModuleConfig[];
  if (isObject(raw['sim'])) {
    const sim = raw['sim'];
    if (sim['unimplemented_methods'] !== undefined) parseMethodList(sim['unimplemented_methods'], 'sim');
    const wording = sim['unimplemented_wording'];
    if (wording !== undefined && wording !== 'grpc-go' && wording !== 'rdk')
      throw new ConfigError('sim: "unimplemented_wording" must be "grpc-go" or "rdk"');
    out.sim = sim;
  }
  return out;
}

const here = dirname(fileURLToPath(import.meta.url));
export const DEMO_CONFIG_FILE = resolve(here, '../configs/rover.json');

/** Read a config file; with no file, the demo rover. */
export function loadConfig(file?: string): MachineConfig {
  const path = file ?? DEMO_CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read machine config ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`machine config ${path} is not JSON: ${(err as Error).message}`);
  }
  return parseMachineConfig(raw);
}
