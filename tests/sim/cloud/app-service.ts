/**
 * viam.app.v1.AppService, the part the apps use, with the SDK's own message classes. The SDK exports
 * the messages but not the service descriptor, so the descriptor is written here (a unit test holds
 * it to the one inside the SDK's AppClient). Methods not listed answer Unimplemented.
 *
 * Every call is answered for one caller (user token or API key): what it may not see is
 * PermissionDenied when asked for by id, and simply absent from lists.
 */
import { MethodKind, Struct, Timestamp, type JsonObject } from '@bufbuild/protobuf';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { appApi } from '@viamrobotics/sdk';
import type { FleetMachine } from './fleet-machine.ts';
import type { FragmentSpec, LocationSpec, OrgSpec } from './fleet-config.ts';
import type { Identity, Principal } from './identity.ts';
import { RawGetRobotPartLogsResponse, RawTailRobotPartLogsResponse } from './log-proto.ts';

export const AppService = {
  typeName: 'viam.app.v1.AppService',
  methods: {
    getOrganization: {
      name: 'GetOrganization',
      I: appApi.GetOrganizationRequest,
      O: appApi.GetOrganizationResponse,
      kind: MethodKind.Unary,
    },
    listOrganizations: {
      name: 'ListOrganizations',
      I: appApi.ListOrganizationsRequest,
      O: appApi.ListOrganizationsResponse,
      kind: MethodKind.Unary,
    },
    getLocation: {
      name: 'GetLocation',
      I: appApi.GetLocationRequest,
      O: appApi.GetLocationResponse,
      kind: MethodKind.Unary,
    },
    listLocations: {
      name: 'ListLocations',
      I: appApi.ListLocationsRequest,
      O: appApi.ListLocationsResponse,
      kind: MethodKind.Unary,
    },
    getRobot: {
      name: 'GetRobot',
      I: appApi.GetRobotRequest,
      O: appApi.GetRobotResponse,
      kind: MethodKind.Unary,
    },
    listRobots: {
      name: 'ListRobots',
      I: appApi.ListRobotsRequest,
      O: appApi.ListRobotsResponse,
      kind: MethodKind.Unary,
    },
    getRobotParts: {
      name: 'GetRobotParts',
      I: appApi.GetRobotPartsRequest,
      O: appApi.GetRobotPartsResponse,
      kind: MethodKind.Unary,
    },
    getRobotPart: {
      name: 'GetRobotPart',
      I: appApi.GetRobotPartRequest,
      O: appApi.GetRobotPartResponse,
      kind: MethodKind.Unary,
    },
    // The log responses are the SDK's messages on the wire, with the entry's message declared bytes
    // so a hostile line can carry invalid UTF-8 (log-proto.ts).
    getRobotPartLogs: {
      name: 'GetRobotPartLogs',
      I: appApi.GetRobotPartLogsRequest,
      O: RawGetRobotPartLogsResponse,
      kind: MethodKind.Unary,
    },
    tailRobotPartLogs: {
      name: 'TailRobotPartLogs',
      I: appApi.TailRobotPartLogsRequest,
      O: RawTailRobotPartLogsResponse,
      kind: MethodKind.ServerStreaming,
    },
    getRobotPartHistory: {
      name: 'GetRobotPartHistory',
      I: appApi.GetRobotPartHistoryRequest,
      O: appApi.GetRobotPartHistoryResponse,
      kind: MethodKind.Unary,
    },
    listMachineFragments: {
      name: 'ListMachineFragments',
      I: appApi.ListMachineFragmentsRequest,
      O: appApi.ListMachineFragmentsResponse,
      kind: MethodKind.Unary,
    },
    listMachineSummaries: {
      name: 'ListMachineSummaries',
      I: appApi.ListMachineSummariesRequest,
      O: appApi.ListMachineSummariesResponse,
      kind: MethodKind.Unary,
    },
  },
} as const;

export const APP_SERVICE_PREFIX = `/${AppService.typeName}/`;

/** What the app API reads from the cloud. */
export interface AppDeps {
  identity: Identity;
  orgs: readonly OrgSpec[];
  locations: readonly LocationSpec[];
  fragments: readonly FragmentSpec[];
  machines: readonly FleetMachine[];
  machineById(id: string): FleetMachine | undefined;
  machineByPartId(id: string): FleetMachine | undefined;
  /** the machine config shown as the part's robot_config */
  robotConfigOf(machine: FleetMachine): JsonObject;
  now(): number;
}

/** ListMachineSummaries' limit when none is given (the proto's own default). */
export const SUMMARIES_DEFAULT_LIMIT = 100;
/** A live part reports to the cloud this often; lastAccess is at most this old. */
const CHECK_IN_MS = 5_000;

const ONLINE = {
  online: appApi.OnlineState.ONLINE,
  offline: appApi.OnlineState.OFFLINE,
  awaiting_setup: appApi.OnlineState.AWAITING_SETUP,
} as const;

function msOf(t: Timestamp | undefined): number | undefined {
  if (!t) return undefined;
  return Number(t.seconds) * 1000 + t.nanos / 1e6;
}

function ts(ms: number): Timestamp {
  return Timestamp.fromDate(new Date(ms));
}

function denied(what: string): ConnectError {
  return new ConnectError(`you do not have permission to access ${what}`, Code.PermissionDenied);
}

function notFound(what: string): ConnectError {
  return new ConnectError(`${what} not found`, Code.NotFound);
}

export function createAppService(deps: AppDeps): Partial<ServiceImpl<typeof AppService>> {
  const { identity } = deps;
  const who = (ctx: HandlerContext): Principal => identity.principalOf(ctx.requestHeader);
  const locationsOf = (orgId: string): string[] =>
    deps.locations.filter((l) => l.orgId === orgId).map((l) => l.id);
  const orgById = (id: string): OrgSpec | undefined => deps.orgs.find((o) => o.id === id);
  const locationById = (id: string): LocationSpec | undefined => deps.locations.find((l) => l.id === id);
  const fragmentById = (id: string): FragmentSpec | undefined => deps.fragments.find((f) => f.id === id);
  const visibleOrg = (p: Principal, orgId: string): OrgSpec => {
    const org = orgById(orgId);
    if (!org) throw notFound(`organization "${orgId}"`);
    if (!identity.canSeeOrg(p, org.id, locationsOf(org.id))) throw denied(`organization "${orgId}"`);
    return org;
  };
  const visibleLocation = (p: Principal, locationId: string): LocationSpec => {
    const loc = locationById(locationId);
    if (!loc) throw notFound(`location "${locationId}"`);
    if (!identity.canSeeLocation(p, loc.id)) throw denied(`location "${locationId}"`);
    return loc;
  };
  const visibleMachine = (p: Principal, machineId: string): FleetMachine => {
    const m = deps.machineById(machineId);
    if (!m) throw notFound(`robot "${machineId}"`);
    if (!identity.canReachMachine(p, m.machineId)) throw denied(`robot "${machineId}"`);
    return m;
  };
  const visiblePart = (p: Principal, partId: string): FleetMachine => {
    const m = deps.machineByPartId(partId);
    if (!m) throw notFound(`robot part "${partId}"`);
    if (!identity.canReachMachine(p, m.machineId)) throw denied(`robot part "${partId}"`);
    return m;
  };

  /** Online state, last access and last online as the cloud reports them now. */
  const liveness = (m: FleetMachine) => {
    const now = deps.now();
    const { state, lastOnline } = m.presence();
    const lastAccess =
      state === 'online' ? Math.floor(now / CHECK_IN_MS) * CHECK_IN_MS : (lastOnline ?? undefined);
    return {
      onlineState: ONLINE[state],
      lastAccess,
      lastOnline,
      secondsSinceOnline:
        state === 'online' || lastOnline === undefined
          ? 0n
          : BigInt(Math.max(0, Math.floor((now - lastOnline) / 1000))),
    };
  };

  const organization = (o: OrgSpec): appApi.Organization =>
    new appApi.Organization({
      id: o.id,
      name: o.name,
      createdOn: ts(o.createdOn),
      publicNamespace: o.publicNamespace,
      defaultRegion: 'us-east1',
    });

  const location = (l: LocationSpec): appApi.Location =>
    new appApi.Location({
      id: l.id,
      name: l.name,
      parentLocationId: l.parentLocationId,
      organizations: [new appApi.LocationOrganization({ organizationId: l.orgId, primary: true })],
      createdOn: ts(l.createdOn),
      robotCount: deps.machines.filter((m) => m.spec.locationId === l.id).length,
    });

  const robot = (m: FleetMachine): appApi.Robot => {
    const live = liveness(m);
    return new appApi.Robot({
      id: m.machineId,
      name: m.spec.name,
      location: m.spec.locationId,
      ...(live.lastAccess !== undefined ? { lastAccess: ts(live.lastAccess) } : {}),
      createdOn: ts(m.spec.createdOn),
      onlineState: live.onlineState,
      secondsSinceOnline: live.secondsSinceOnline,
    });
  };

  const dnsName = (m: FleetMachine): string => m.hostname.replace(/\.viam\.cloud$/u, '');

  const part = (m: FleetMachine): appApi.RobotPart => {
    const live = liveness(m);
    return new appApi.RobotPart({
      id: m.spec.partId,
      name: m.spec.partName,
      dnsName: dnsName(m),
      // The part secret is never handed out by this cloud: apps must not need it.
      secret: '',
      robot: m.machineId,
      locationId: m.spec.locationId,
      robotConfig: Struct.fromJson(deps.robotConfigOf(m)),
      ...(live.lastAccess !== undefined ? { lastAccess: ts(live.lastAccess) } : {}),
      userSuppliedInfo: Struct.fromJson({}),
      mainPart: true,
      fqdn: m.hostname,
      localFqdn: m.spec.localFqdn,
      createdOn: ts(m.spec.createdOn),
      secrets: [],
      lastUpdated: ts(m.spec.createdOn),
      onlineState: live.onlineState,
      secondsSinceOnline: live.secondsSinceOnline,
    });
  };

  const fragment = (f: FragmentSpec): appApi.Fragment => {
    const org = orgById(f.orgId);
    return new appApi.Fragment({
      id: f.id,
      name: f.name,
      fragment: Struct.fromJson(f.config as JsonObject),
      organizationOwner: f.orgId,
      public: f.public,
      createdOn: ts(f.createdOn),
      organizationName: org?.name ?? '',
      robotPartCount: deps.machines.filter((m) => m.spec.fragmentIds.includes(f.id)).length,
      organizationCount: 1,
      onlyUsedByOwner: true,
      visibility: f.public ? appApi.FragmentVisibility.PUBLIC : appApi.FragmentVisibility.PRIVATE,
      lastUpdated: ts(f.createdOn),
      revision: '1',
    });
  };

  const partSummary = (m: FleetMachine): appApi.PartSummary => {
    const live = liveness(m);
    const s = m.spec;
    const never = s.state === 'awaiting_setup' && live.lastOnline === undefined;
    return new appApi.PartSummary({
      partId: s.partId,
      partName: s.partName,
      isMainPart: true,
      onlineState: live.onlineState,
      secondsSinceOnline: live.secondsSinceOnline,
      ...(live.lastAccess !== undefined ? { lastAccess: ts(live.lastAccess) } : {}),
      ...(live.lastOnline !== undefined ? { lastOnline: ts(live.lastOnline) } : {}),
      // A machine never set up has not reported what it runs.
      ...(never
        ? {}
        : {
            viamServerVersion: new appApi.ViamServerVersion({
              version: { case: s.version.kind, value: s.version.value },
            }),
            viamAgentVersion: new appApi.ViamAgentVersion({
              version: { case: 'major', value: s.agentVersion },
            }),
            os: s.os,
            platform: s.platform,
            publicIpAddress: s.publicIp,
          }),
      dnsName: dnsName(m),
      fragments: s.fragmentIds.flatMap((id) => {
        const f = fragmentById(id);
        return f ? [new appApi.FragmentSummary({ id: f.id, name: f.name })] : [];
      }),
    });
  };

  return {
    getOrganization(req, ctx) {
      return { organization: organization(visibleOrg(who(ctx), req.organizationId)) };
    },

    listOrganizations(_req, ctx) {
      const p = who(ctx);
      return {
        organizations: deps.orgs
          .filter((o) => identity.canSeeOrg(p, o.id, locationsOf(o.id)))
          .map(organization),
      };
    },

    getLocation(req, ctx) {
      return { location: location(visibleLocation(who(ctx), req.locationId)) };
    },

    listLocations(req, ctx) {
      const p = who(ctx);
      if (req.organizationId === '')
        throw new ConnectError('organization_id is required', Code.InvalidArgument);
      const org = visibleOrg(p, req.organizationId);
      return {
        locations: deps.locations
          .filter((l) => l.orgId === org.id && identity.canSeeLocation(p, l.id))
          .map(location),
      };
    },

    getRobot(req, ctx) {
      return { robot: robot(visibleMachine(who(ctx), req.id)) };
    },

    listRobots(req, ctx) {
      const p = who(ctx);
      const loc = visibleLocation(p, req.locationId);
      return {
        robots: deps.machines
          .filter((m) => m.spec.locationId === loc.id && identity.canReachMachine(p, m.machineId))
          .map(robot),
      };
    },

    getRobotParts(req, ctx) {
      return { parts: [part(visibleMachine(who(ctx), req.robotId))] };
    },

    getRobotPart(req, ctx) {
      const m = visiblePart(who(ctx), req.id);
      const p = part(m);
      return { part: p, configJson: JSON.stringify(deps.robotConfigOf(m), null, 2) };
    },

    getRobotPartLogs(req, ctx) {
      const m = visiblePart(who(ctx), req.id);
      return m.logs.page({
        levels: req.levels,
        filter: req.filter,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- older clients still send it
        errorsOnly: req.errorsOnly,
        pageToken: req.pageToken,
        ...(req.limit !== undefined ? { limit: Number(req.limit) } : {}),
        startMs: msOf(req.start),
        endMs: msOf(req.end),
      });
    },

    async *tailRobotPartLogs(req, ctx) {
      const m = visiblePart(who(ctx), req.id);
      for await (const logs of m.logs.tail({ errorsOnly: req.errorsOnly, filter: req.filter }, ctx.signal)) {
        yield new RawTailRobotPartLogsResponse({ logs });
      }
    },

    getRobotPartHistory(req, ctx) {
      const m = visiblePart(who(ctx), req.id);
      const old = part(m);
      return {
        history: m.history.list().map(
          (h) =>
            new appApi.RobotPartHistoryEntry({
              part: m.spec.partId,
              robot: m.machineId,
              when: ts(h.when),
              old,
              editedBy: new appApi.AuthenticatorInfo({
                type: h.editedBy.type,
                value: h.editedBy.value,
                isDeactivated: false,
              }),
            }),
        ),
      };
    },

    listMachineFragments(req, ctx) {
      const p = who(ctx);
      const m = visibleMachine(p, req.machineId);
      const ids = [...m.spec.fragmentIds, ...req.additionalFragmentIds];
      const seen = new Set<string>();
      const fragments: appApi.Fragment[] = [];
      for (const id of ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        const f = fragmentById(id);
        if (!f) throw notFound(`fragment "${id}"`);
        if (!f.public && !identity.canSeeOrg(p, f.orgId, locationsOf(f.orgId)))
          throw denied(`fragment "${id}"`);
        fragments.push(fragment(f));
      }
      return { fragments };
    },

    listMachineSummaries(req, ctx) {
      const p = who(ctx);
      const limit = req.limit ?? 0;
      if (limit < 0) throw new ConnectError('limit must not be negative', Code.InvalidArgument);
      const max = limit === 0 ? SUMMARIES_DEFAULT_LIMIT : limit;
      const orgIds =
        req.organizationId === ''
          ? deps.orgs.filter((o) => identity.canSeeOrg(p, o.id, locationsOf(o.id))).map((o) => o.id)
          : [visibleOrg(p, req.organizationId).id];
      const wantLocations = new Set(req.locationIds);
      const wantFragments = new Set(req.fragmentIds);
      const summaries: appApi.LocationSummary[] = [];
      let count = 0;
      for (const loc of deps.locations) {
        if (count >= max) break;
        if (!orgIds.includes(loc.orgId)) continue;
        if (wantLocations.size > 0 && !wantLocations.has(loc.id)) continue;
        if (!identity.canSeeLocation(p, loc.id)) continue;
        const machines: appApi.MachineSummary[] = [];
        for (const m of deps.machines) {
          if (count >= max) break;
          if (m.spec.locationId !== loc.id || !identity.canReachMachine(p, m.machineId)) continue;
          if (wantFragments.size > 0 && !m.spec.fragmentIds.some((f) => wantFragments.has(f))) continue;
          machines.push(
            new appApi.MachineSummary({
              machineId: m.machineId,
              machineName: m.spec.name,
              partSummaries: [partSummary(m)],
            }),
          );
          count += 1;
        }
        if (machines.length > 0) {
          summaries.push(
            new appApi.LocationSummary({
              locationId: loc.id,
              locationName: loc.name,
              machineSummaries: machines,
            }),
          );
        }
      }
      return { locationSummaries: summaries };
    },
  };
}
