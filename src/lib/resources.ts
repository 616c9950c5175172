/**
 * Resources as the UI thinks of them: identity, API triple, remote part, and their status from
 * GetMachineStatus. Pure: takes plain shapes (the SDK's messages fit them), returns view models.
 */

/** The fields of a common.v1.ResourceName the app uses. */
export interface ResourceNameLike {
  readonly namespace: string;
  readonly type: string;
  readonly subtype: string;
  readonly name: string;
}

export type ResourceState = 'unknown' | 'unconfigured' | 'configuring' | 'ready' | 'removing' | 'unhealthy';
export type MachineState = 'unknown' | 'initializing' | 'running';

/** robot.v1.ResourceStatus.State numbering. */
const RESOURCE_STATES: Record<number, ResourceState> = {
  0: 'unknown',
  1: 'unconfigured',
  2: 'configuring',
  3: 'ready',
  4: 'removing',
  5: 'unhealthy',
};
/** robot.v1.GetMachineStatusResponse.State numbering. */
const MACHINE_STATES: Record<number, MachineState> = { 0: 'unknown', 1: 'initializing', 2: 'running' };

export const resourceStateName = (state: number): ResourceState => RESOURCE_STATES[state] ?? 'unknown';
export const machineStateName = (state: number): MachineState => MACHINE_STATES[state] ?? 'unknown';

export interface Resource {
  /** Unique key: `namespace:type:subtype/name`. */
  readonly key: string;
  readonly name: string;
  /** The name without the remote prefix. */
  readonly shortName: string;
  /** The remote part the resource lives on (`remote:` prefix), or '' for this machine's own. */
  readonly part: string;
  readonly namespace: string;
  readonly type: string;
  readonly subtype: string;
  /** `namespace:type:subtype`, e.g. `rdk:component:motor`. */
  readonly api: string;
}

export function resourceKey(r: ResourceNameLike): string {
  return `${r.namespace}:${r.type}:${r.subtype}/${r.name}`;
}

export function toResource(r: ResourceNameLike): Resource {
  const colon = r.name.lastIndexOf(':');
  return {
    key: resourceKey(r),
    name: r.name,
    shortName: colon >= 0 ? r.name.slice(colon + 1) : r.name,
    part: colon >= 0 ? r.name.slice(0, colon) : '',
    namespace: r.namespace,
    type: r.type,
    subtype: r.subtype,
    api: `${r.namespace}:${r.type}:${r.subtype}`,
  };
}

/** Resources the operator cares about: components and services, not the machine's internal plumbing. */
export function isUserFacing(r: ResourceNameLike): boolean {
  return (r.type === 'component' || r.type === 'service') && r.name !== '' && !r.name.startsWith('builtin');
}

export function sortResources(resources: readonly Resource[]): Resource[] {
  return [...resources].sort(
    (a, b) =>
      a.part.localeCompare(b.part) ||
      a.type.localeCompare(b.type) ||
      a.subtype.localeCompare(b.subtype) ||
      a.name.localeCompare(b.name),
  );
}

export interface TimestampLike {
  readonly seconds: bigint | number;
  readonly nanos: number;
}

export function timestampMs(t: TimestampLike | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Number(t.seconds) * 1000 + t.nanos / 1e6;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

export interface ResourceStatusLike {
  readonly name?: ResourceNameLike | undefined;
  readonly state: number;
  readonly error: string;
  readonly revision: string;
  readonly lastUpdated?: TimestampLike | undefined;
}

export interface MachineStatusLike {
  readonly state: number;
  readonly config?:
    { readonly revision: string; readonly lastUpdated?: TimestampLike | undefined } | undefined;
  readonly resources: readonly ResourceStatusLike[];
}

export interface ResourceStatusView {
  readonly resource: Resource;
  readonly state: ResourceState;
  readonly error: string;
  readonly revision: string;
  readonly lastUpdatedMs: number | undefined;
}

export interface MachineStatusView {
  readonly state: MachineState;
  readonly configRevision: string;
  readonly configUpdatedMs: number | undefined;
  /** Keyed by resource key. */
  readonly resources: ReadonlyMap<string, ResourceStatusView>;
}

export function toStatusView(status: MachineStatusLike): MachineStatusView {
  const resources = new Map<string, ResourceStatusView>();
  for (const r of status.resources) {
    if (!r.name) continue;
    const resource = toResource(r.name);
    resources.set(resource.key, {
      resource,
      state: resourceStateName(r.state),
      error: r.error,
      revision: r.revision,
      lastUpdatedMs: timestampMs(r.lastUpdated),
    });
  }
  return {
    state: machineStateName(status.state),
    configRevision: status.config?.revision ?? '',
    configUpdatedMs: timestampMs(status.config?.lastUpdated),
    resources,
  };
}

export interface ResourceGroup {
  /** Remote part ('' = this machine). */
  readonly part: string;
  /** `type:subtype`-like label, e.g. `component motor`. */
  readonly label: string;
  readonly items: readonly ResourceStatusView[];
}

/**
 * Groups statuses by remote part, then by API, keeping only names that contain `filter`
 * (case-insensitive). Order: this machine first, then parts alphabetically.
 */
export function groupStatuses(statuses: Iterable<ResourceStatusView>, filter = ''): ResourceGroup[] {
  const needle = filter.trim().toLowerCase();
  const groups = new Map<string, { part: string; label: string; items: ResourceStatusView[] }>();
  for (const s of statuses) {
    if (!isUserFacing(s.resource)) continue;
    if (needle !== '' && !s.resource.name.toLowerCase().includes(needle)) continue;
    const label =
      s.resource.namespace !== 'rdk'
        ? s.resource.api
        : s.resource.type === 'service'
          ? `${s.resource.subtype} service`
          : s.resource.subtype;
    const id = `${s.resource.part}\u0000${s.resource.type}\u0000${label}`;
    let group = groups.get(id);
    if (!group) {
      group = { part: s.resource.part, label, items: [] };
      groups.set(id, group);
    }
    group.items.push(s);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, items: g.items.sort((a, b) => a.resource.name.localeCompare(b.resource.name)) }))
    .sort((a, b) => a.part.localeCompare(b.part) || a.label.localeCompare(b.label));
}
