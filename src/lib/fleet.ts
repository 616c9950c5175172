/**
 * The fleet as the list shows it: ListMachineSummaries' answer mapped to a view model, grouped by
 * organization and location, searched and filtered, and the words for a machine's state. Pure: the
 * input types are the fields of the SDK's messages this module reads, so plain objects test it.
 */
import { compareIds, nameComparison } from './collate.ts';
import { formatAge } from './time.ts';

/** OnlineState as the app API numbers it (viam.app.v1.OnlineState). */
export const ONLINE_STATE = { unspecified: 0, online: 1, offline: 2, awaitingSetup: 3 } as const;

/** Where OnlineState is unspecified, Viam's own examples call a part live if it checked in this recently. */
export const LIVE_WITHIN_MS = 10_000;

/** The app API's default ListMachineSummaries limit when none is given. */
export const DEFAULT_SUMMARY_LIMIT = 100;

export interface TimestampLike {
  readonly seconds: bigint | number;
  readonly nanos?: number;
}

export interface PartSummaryLike {
  readonly partId: string;
  readonly partName: string;
  readonly isMainPart: boolean;
  readonly onlineState: number;
  readonly secondsSinceOnline?: bigint | number;
  readonly lastAccess?: TimestampLike | undefined;
  readonly lastOnline?: TimestampLike | undefined;
  readonly viamServerVersion?:
    { readonly version: { readonly case?: string; readonly value?: string } } | undefined;
  readonly os?: string | undefined;
  readonly platform?: string | undefined;
  readonly fragments: readonly { readonly id: string; readonly name: string }[];
}

export interface MachineSummaryLike {
  readonly machineId: string;
  readonly machineName: string;
  readonly partSummaries: readonly PartSummaryLike[];
}

export interface LocationSummaryLike {
  readonly locationId: string;
  readonly locationName: string;
  readonly machineSummaries: readonly MachineSummaryLike[];
}

export type MachineState = 'online' | 'offline' | 'awaiting-setup';

export interface Fragment {
  readonly id: string;
  readonly name: string;
}

/** One machine, ready to render. Objects are reused between refreshes when nothing changed. */
export interface FleetMachine {
  readonly id: string;
  readonly name: string;
  readonly state: MachineState;
  /** Epoch ms the machine (its main part) was last online, when the cloud says. */
  readonly lastOnlineAt?: number;
  readonly mainPartId: string;
  readonly mainPartName: string;
  readonly partCount: number;
  /** viam-server's version on the main part, '' when unknown. */
  readonly version: string;
  readonly platform: string;
  readonly os: string;
  /** Every fragment of any of its parts, by name. */
  readonly fragments: readonly Fragment[];
  readonly locationId: string;
  readonly locationName: string;
  /** '' when the location's organization is not known. */
  readonly orgId: string;
  readonly orgName: string;
}

export interface FleetLocation {
  readonly id: string;
  readonly name: string;
  readonly machines: readonly FleetMachine[];
}

export interface FleetOrg {
  /** '' for locations whose organization is not known. */
  readonly id: string;
  readonly name: string;
  readonly locations: readonly FleetLocation[];
}

export interface FleetCounts {
  readonly total: number;
  readonly online: number;
  readonly offline: number;
  readonly awaitingSetup: number;
}

export interface FleetView {
  /** Every machine, sorted by organization, location, then name. */
  readonly machines: readonly FleetMachine[];
  readonly byId: ReadonlyMap<string, FleetMachine>;
  readonly counts: FleetCounts;
  /** Every machine grouped by organization and location (the list unfiltered). */
  readonly groups: readonly FleetOrg[];
  /** What the location and fragment filters offer. */
  readonly options: FilterOptions;
  /** The answer held as many machines as were asked for: there may be more. */
  readonly truncated: boolean;
}

export interface OrgRef {
  readonly id: string;
  readonly name: string;
}

/** Names as people sort them (src/lib/collate.ts), in the page's language. */
const compareNames = nameComparison(typeof navigator === 'undefined' ? undefined : navigator.language);
const byName = (a: { name: string }, b: { name: string }) => compareNames(a.name, b.name);

function toMs(ts: TimestampLike | undefined): number | undefined {
  if (!ts) return undefined;
  const seconds = Number(ts.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

function stateOf(part: PartSummaryLike | undefined, fetchedAt: number): MachineState {
  if (!part) return 'awaiting-setup';
  switch (part.onlineState) {
    case ONLINE_STATE.online:
      return 'online';
    case ONLINE_STATE.offline:
      return 'offline';
    case ONLINE_STATE.awaitingSetup:
      return 'awaiting-setup';
    default: {
      const access = toMs(part.lastAccess);
      return access !== undefined && fetchedAt - access < LIVE_WITHIN_MS ? 'online' : 'offline';
    }
  }
}

function lastOnlineOf(part: PartSummaryLike | undefined, fetchedAt: number): number | undefined {
  if (!part) return undefined;
  const explicit = toMs(part.lastOnline) ?? toMs(part.lastAccess);
  if (explicit !== undefined) return explicit;
  const seconds = Number(part.secondsSinceOnline ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? fetchedAt - seconds * 1000 : undefined;
}

// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Control characters never reach the page; an empty name still says something. */
function clean(text: string, fallback: string): string {
  // Most names have none: tested first, so they are not copied.
  const cleaned = (CONTROL.test(text) ? text.replace(CONTROLS, ' ') : text).trim();
  return cleaned === '' ? fallback : cleaned;
}

function sameMachine(a: FleetMachine, b: FleetMachine): boolean {
  // A last-online time derived from "seconds since" moves with each fetch by a second or so.
  const lastOnlineClose =
    a.lastOnlineAt === b.lastOnlineAt ||
    (a.lastOnlineAt !== undefined &&
      b.lastOnlineAt !== undefined &&
      Math.abs(a.lastOnlineAt - b.lastOnlineAt) < 2000);
  return (
    lastOnlineClose &&
    a.id === b.id &&
    a.name === b.name &&
    a.state === b.state &&
    a.mainPartId === b.mainPartId &&
    a.mainPartName === b.mainPartName &&
    a.partCount === b.partCount &&
    a.version === b.version &&
    a.platform === b.platform &&
    a.os === b.os &&
    a.locationId === b.locationId &&
    a.locationName === b.locationName &&
    a.orgId === b.orgId &&
    a.orgName === b.orgName &&
    a.fragments.length === b.fragments.length &&
    a.fragments.every((f, i) => {
      const other = b.fragments[i];
      return other !== undefined && f.id === other.id && f.name === other.name;
    })
  );
}

/**
 * Maps one ListMachineSummaries answer to the view. A machine whose fields did not change keeps its
 * previous object, so the list re-renders only what changed.
 *
 * @param orgOfLocation the organization of each location id, where known
 * @param limit what the request asked for, to tell a full answer from a cut one
 */
export function toFleetView(
  locations: readonly LocationSummaryLike[],
  orgOfLocation: ReadonlyMap<string, OrgRef>,
  fetchedAt: number,
  limit: number,
  previous?: FleetView,
): FleetView {
  const byId = new Map<string, FleetMachine>();
  for (const location of locations) {
    const org = orgOfLocation.get(location.locationId);
    const locationName = clean(location.locationName, location.locationId || 'Unnamed location');
    for (const summary of location.machineSummaries) {
      if (summary.machineId === '' || byId.has(summary.machineId)) continue;
      const parts = summary.partSummaries;
      const main = parts.find((p) => p.isMainPart) ?? parts[0];
      const fragments = new Map<string, Fragment>();
      for (const part of parts) {
        for (const f of part.fragments) {
          if (f.id !== '' && !fragments.has(f.id))
            fragments.set(f.id, { id: f.id, name: clean(f.name, f.id) });
        }
      }
      const state = stateOf(main, fetchedAt);
      const lastOnlineAt = state === 'online' ? undefined : lastOnlineOf(main, fetchedAt);
      const next: FleetMachine = {
        id: summary.machineId,
        name: clean(summary.machineName, 'Unnamed machine'),
        state,
        ...(lastOnlineAt === undefined ? {} : { lastOnlineAt }),
        mainPartId: main?.partId ?? '',
        mainPartName: clean(main?.partName ?? '', ''),
        partCount: parts.length,
        version: clean(main?.viamServerVersion?.version.value ?? '', ''),
        platform: clean(main?.platform ?? '', ''),
        os: clean(main?.os ?? '', ''),
        fragments: [...fragments.values()].sort(byName),
        locationId: location.locationId,
        locationName,
        orgId: org?.id ?? '',
        orgName: org ? clean(org.name, org.id) : '',
      };
      const before = previous?.byId.get(next.id);
      byId.set(next.id, before && sameMachine(before, next) ? before : next);
    }
  }
  const machines = sortMachines(byId.values());
  // Made here, with the mapping, rather than by each element that shows them, in the task that draws.
  return {
    machines,
    byId,
    counts: countStates(machines),
    groups: groupMachines(machines),
    options: filterOptions(machines),
    truncated: limit > 0 && byId.size >= limit,
  };
}

/**
 * By organization (known ones by name, unknown last), location (by name, then id), then name and id.
 * Sorted a location at a time: the machines of one location share its organization and name, so
 * only names are compared within it (500 machines: a third of the comparisons, each one collation
 * instead of three).
 */
function sortMachines(all: Iterable<FleetMachine>): FleetMachine[] {
  const byLocation = new Map<string, FleetMachine[]>();
  for (const m of all) {
    const group = byLocation.get(m.locationId);
    if (group) group.push(m);
    else byLocation.set(m.locationId, [m]);
  }
  const groups = [...byLocation.values()];
  for (const group of groups) group.sort((a, b) => compareNames(a.name, b.name) || compareIds(a.id, b.id));
  groups.sort((ga, gb) => {
    const a = ga[0];
    const b = gb[0];
    if (!a || !b) return 0;
    return (
      orgOrder(a, b) || compareNames(a.locationName, b.locationName) || compareIds(a.locationId, b.locationId)
    );
  });
  return groups.flat();
}

/** Known organizations by name; machines of unknown ones last. */
function orgOrder(a: FleetMachine, b: FleetMachine): number {
  if (a.orgId === b.orgId) return 0;
  if (a.orgId === '') return 1;
  if (b.orgId === '') return -1;
  return compareNames(a.orgName, b.orgName) || compareIds(a.orgId, b.orgId);
}

export function countStates(machines: readonly FleetMachine[]): FleetCounts {
  let online = 0;
  let offline = 0;
  let awaitingSetup = 0;
  for (const m of machines) {
    if (m.state === 'online') online += 1;
    else if (m.state === 'offline') offline += 1;
    else awaitingSetup += 1;
  }
  return { total: machines.length, online, offline, awaitingSetup };
}

/** Groups already sorted machines (as toFleetView sorts them) by organization, then location. */
export function groupMachines(machines: readonly FleetMachine[]): FleetOrg[] {
  const orgs: {
    id: string;
    name: string;
    locations: { id: string; name: string; machines: FleetMachine[] }[];
  }[] = [];
  for (const m of machines) {
    let org = orgs.at(-1);
    if (org?.id !== m.orgId) {
      org = { id: m.orgId, name: m.orgName, locations: [] };
      orgs.push(org);
    }
    let location = org.locations.at(-1);
    if (location?.id !== m.locationId) {
      location = { id: m.locationId, name: m.locationName, machines: [] };
      org.locations.push(location);
    }
    location.machines.push(m);
  }
  return orgs;
}

export interface FleetFilter {
  /** Words that must all be in the machine's name (any case). */
  readonly query: string;
  /** '' = every location. */
  readonly locationId: string;
  /** '' = every state. */
  readonly state: MachineState | '';
  /** '' = with or without fragments. */
  readonly fragmentId: string;
}

export const NO_FILTER: FleetFilter = { query: '', locationId: '', state: '', fragmentId: '' };

const fold = (text: string) => text.normalize('NFKC').toLocaleLowerCase();

export function isFiltered(filter: FleetFilter): boolean {
  return (
    filter.query.trim() !== '' || filter.locationId !== '' || filter.state !== '' || filter.fragmentId !== ''
  );
}

export function filterMachines(
  machines: readonly FleetMachine[],
  filter: FleetFilter,
): readonly FleetMachine[] {
  if (!isFiltered(filter)) return machines;
  const terms = fold(filter.query)
    .split(/\s+/)
    .filter((t) => t !== '');
  return machines.filter((m) => {
    if (filter.locationId !== '' && m.locationId !== filter.locationId) return false;
    if (filter.state !== '' && m.state !== filter.state) return false;
    if (filter.fragmentId !== '' && !m.fragments.some((f) => f.id === filter.fragmentId)) return false;
    if (terms.length === 0) return true;
    const name = fold(m.name);
    return terms.every((t) => name.includes(t));
  });
}

export interface FilterOptions {
  readonly locations: readonly { readonly id: string; readonly name: string; readonly orgName: string }[];
  readonly fragments: readonly Fragment[];
}

/** What the location and fragment filters offer: what the fleet holds. */
export function filterOptions(machines: readonly FleetMachine[]): FilterOptions {
  const locations = new Map<string, { id: string; name: string; orgName: string }>();
  const fragments = new Map<string, Fragment>();
  for (const m of machines) {
    if (!locations.has(m.locationId)) {
      locations.set(m.locationId, { id: m.locationId, name: m.locationName, orgName: m.orgName });
    }
    for (const f of m.fragments) if (!fragments.has(f.id)) fragments.set(f.id, f);
  }
  return { locations: [...locations.values()], fragments: [...fragments.values()].sort(byName) };
}

/** A filter that names a location or fragment the fleet no longer holds falls back to "any". */
export function reconcileFilter(filter: FleetFilter, options: FilterOptions): FleetFilter {
  const locationGone = filter.locationId !== '' && !options.locations.some((l) => l.id === filter.locationId);
  const fragmentGone = filter.fragmentId !== '' && !options.fragments.some((f) => f.id === filter.fragmentId);
  if (!locationGone && !fragmentGone) return filter;
  return {
    ...filter,
    ...(locationGone ? { locationId: '' } : {}),
    ...(fragmentGone ? { fragmentId: '' } : {}),
  };
}

export const STATE_LABELS: Record<MachineState, string> = {
  online: 'Online',
  offline: 'Offline',
  'awaiting-setup': 'Awaiting setup',
};

/** "Online", "Offline · last online 3 h ago", "Offline · never seen online", "Awaiting setup". */
export function stateText(machine: FleetMachine, now: number): string {
  if (machine.state !== 'offline') return STATE_LABELS[machine.state];
  return `Offline · ${lastOnlineText(machine.lastOnlineAt, now)}`;
}

export function lastOnlineText(lastOnlineAt: number | undefined, now: number): string {
  if (lastOnlineAt === undefined) return 'last online: unknown';
  return `last online ${formatAge(Math.max(0, now - lastOnlineAt))}`;
}

/** Why a machine cannot be opened, or undefined when it can. */
export function whyNotOpenable(machine: FleetMachine, now: number): string | undefined {
  if (machine.state === 'online') return undefined;
  if (machine.state === 'awaiting-setup') {
    return `${machine.name} is awaiting setup: it has never connected to Viam, so there is nothing to open yet. Finish setting it up (install viam-server with its config), then open it here.`;
  }
  return `${machine.name} is offline (${lastOnlineText(machine.lastOnlineAt, now)}): it cannot be opened until it is back online.`;
}

/** At most `max` characters of a name for a row (the full name goes in its title). */
export function shortName(name: string, max = 80): string {
  const chars = Array.from(name);
  return chars.length <= max ? name : `${chars.slice(0, max - 1).join('')}…`;
}

const MACHINE_ROUTE = /^#\/machine\/([^/?#]+)\/?$/;

/** The machine a `#/machine/<id>` hash names, if it names one. */
export function machineIdFromHash(hash: string): string | undefined {
  const raw = MACHINE_ROUTE.exec(hash)?.[1];
  if (raw === undefined) return undefined;
  try {
    const id = decodeURIComponent(raw);
    return id.trim() === '' ? undefined : id;
  } catch {
    return undefined;
  }
}

export function hashForMachine(machineId: string): string {
  return `#/machine/${encodeURIComponent(machineId)}`;
}
