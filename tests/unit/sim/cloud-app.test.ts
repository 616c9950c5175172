/**
 * The simulated cloud's app API with the SDK's own createViamClient over real sockets: every
 * implemented call, its filters and limit, and what each identity (users A and B, machine,
 * location and organization keys, unknown, expired and revoked tokens) may see.
 */
import { ScalarType, type MessageType, type ServiceType } from '@bufbuild/protobuf';
import { Code, type Transport } from '@connectrpc/connect';
import { appApi, type ViamClient } from '@viamrobotics/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppService,
  DEFAULT_USER_TOKEN,
  FLEET_API_KEYS,
  FLEET_MACHINES,
  FLEET_USERS,
  LOCATION_GREENHOUSE,
  LOCATION_LAB,
  LOCATION_WAREHOUSE,
  ORG_ACME,
  ORG_BETA,
  ROVER,
  startCloud,
  type RunningCloud,
} from '../../sim/cloud/index.ts';
import { codeOf, control, keyClient, userClient } from './cloud-helpers.ts';

let cloud: RunningCloud;
let operator: ViamClient;
let warehouse: ViamClient;
let farms: ViamClient;

const { rover, armCell, sensorPod, forklift, armCell2, sensorPod2 } = FLEET_MACHINES;
const FRAG_ROVER = 'c0a8e3f1-5d2b-4a6c-8e1f-0a1b2c3d4e01';
const FRAG_ARM = 'c0a8e3f1-5d2b-4a6c-8e1f-0a1b2c3d4e02';
const FRAG_POD = 'c0a8e3f1-5d2b-4a6c-8e1f-0a1b2c3d4e03';

beforeAll(async () => {
  cloud = await startCloud({ port: 0 });
  [operator, warehouse, farms] = await Promise.all([
    userClient(cloud.url, DEFAULT_USER_TOKEN),
    userClient(cloud.url, FLEET_USERS.warehouse.token),
    userClient(cloud.url, FLEET_USERS.farms.token),
  ]);
});

afterAll(async () => {
  await cloud.close();
});

const machineIds = (summaries: appApi.LocationSummary[]): string[] =>
  summaries.flatMap((l) => l.machineSummaries.map((m) => m.machineId)).sort();

describe('the AppService descriptor', () => {
  it('is the one inside the SDK (names, message classes, kinds)', async () => {
    // The SDK keeps its descriptor private; a ViamClient built over a recording transport hands it over.
    const seen = new Map<string, ServiceType>();
    const recording = {
      unary(service: ServiceType) {
        seen.set(service.typeName, service);
        return Promise.reject(new Error('recorded'));
      },
      stream(service: ServiceType) {
        seen.set(service.typeName, service);
        return Promise.reject(new Error('recorded'));
      },
    } as unknown as Transport;
    const Ctor = operator.constructor as new (t: Transport, c: unknown) => ViamClient;
    const probe = new Ctor(recording, { type: 'access-token', payload: 'x' });
    await probe.appClient.listOrganizations().catch(() => undefined);
    const sdk = seen.get(AppService.typeName);
    expect(sdk).toBeDefined();
    for (const [key, m] of Object.entries(AppService.methods)) {
      const theirs = sdk?.methods[key];
      expect(theirs, key).toBeDefined();
      expect(theirs?.name).toBe(m.name);
      expect(theirs?.I).toBe(m.I);
      expect(theirs?.kind).toBe(m.kind);
      if (theirs?.O === m.O) continue;
      // The log responses declare the entry's message bytes (log-proto.ts): same wire format.
      expect(['getRobotPartLogs', 'tailRobotPartLogs']).toContain(key);
      expect(m.O.typeName).toBe(theirs?.O.typeName);
      const wire = (t: MessageType): string[] =>
        t.fields.list().flatMap((f) => {
          const own = `${f.no}:${f.kind === 'scalar' && (f.T === ScalarType.BYTES || f.T === ScalarType.STRING) ? 'len' : f.kind}${f.repeated ? '[]' : ''}`;
          return f.kind === 'message' ? [own, ...wire(f.T).map((w) => `${f.no}.${w}`)] : [own];
        });
      expect(wire(m.O)).toEqual(wire(theirs?.O ?? m.O));
    }
  });
});

describe('organizations and locations', () => {
  it('ListOrganizations: each user sees their own', async () => {
    expect((await operator.appClient.listOrganizations()).map((o) => o.id).sort()).toEqual(
      [ORG_ACME, ORG_BETA].sort(),
    );
    const acme = (await operator.appClient.listOrganizations()).find((o) => o.id === ORG_ACME);
    expect(acme).toMatchObject({ name: 'Acme Robotics', publicNamespace: 'acme-robotics' });
    expect(acme?.createdOn?.toDate().getUTCFullYear()).toBe(2024);
    expect((await warehouse.appClient.listOrganizations()).map((o) => o.id)).toEqual([ORG_ACME]);
    expect((await farms.appClient.listOrganizations()).map((o) => o.id)).toEqual([ORG_BETA]);
    const nobody = await userClient(cloud.url, FLEET_USERS.nobody.token);
    expect(await nobody.appClient.listOrganizations()).toEqual([]);
  });

  it('ListLocations: the whole org for members, one location for a location member', async () => {
    const all = await operator.appClient.listLocations(ORG_ACME);
    expect(all.map((l) => l.id).sort()).toEqual([LOCATION_LAB, LOCATION_WAREHOUSE].sort());
    const lab = all.find((l) => l.id === LOCATION_LAB);
    expect(lab).toMatchObject({ name: 'Lab North', robotCount: 2, parentLocationId: '' });
    expect(lab?.organizations[0]).toMatchObject({ organizationId: ORG_ACME, primary: true });
    expect((await warehouse.appClient.listLocations(ORG_ACME)).map((l) => l.id)).toEqual([
      LOCATION_WAREHOUSE,
    ]);
    expect(await codeOf(farms.appClient.listLocations(ORG_ACME))).toBe(Code.PermissionDenied);
    expect(await codeOf(operator.appClient.listLocations('no-such-org'))).toBe(Code.NotFound);
  });

  it('GetOrganization and GetLocation obey the same scope', async () => {
    expect((await operator.appClient.getOrganization(ORG_BETA))?.name).toBe('Beta Farms');
    expect(await codeOf(warehouse.appClient.getOrganization(ORG_BETA))).toBe(Code.PermissionDenied);
    expect((await warehouse.appClient.getLocation(LOCATION_WAREHOUSE))?.name).toBe('Warehouse East');
    expect(await codeOf(warehouse.appClient.getLocation(LOCATION_LAB))).toBe(Code.PermissionDenied);
  });
});

describe('robots and parts', () => {
  it('ListRobots: the machines of one location', async () => {
    const robots = await operator.appClient.listRobots(LOCATION_WAREHOUSE);
    expect(robots.map((r) => r.id).sort()).toEqual([rover.machineId, forklift.machineId].sort());
    const r = robots.find((x) => x.id === rover.machineId);
    expect(r).toMatchObject({ name: 'sim-rover', location: LOCATION_WAREHOUSE });
    expect(r?.onlineState).toBe(appApi.OnlineState.ONLINE);
    expect(await codeOf(warehouse.appClient.listRobots(LOCATION_LAB))).toBe(Code.PermissionDenied);
  });

  it('GetRobot: online state, last access and seconds since online', async () => {
    const now = Date.now();
    const online = await operator.appClient.getRobot(rover.machineId);
    expect(online?.onlineState).toBe(appApi.OnlineState.ONLINE);
    expect(now - (online?.lastAccess?.toDate().getTime() ?? 0)).toBeLessThan(10_000);
    expect(online?.secondsSinceOnline).toBe(0n);
    const offline = await operator.appClient.getRobot(forklift.machineId);
    expect(offline?.onlineState).toBe(appApi.OnlineState.OFFLINE);
    expect(Number(offline?.secondsSinceOnline)).toBeGreaterThanOrEqual(10_800);
    expect(Number(offline?.secondsSinceOnline)).toBeLessThan(10_900);
    const setup = await operator.appClient.getRobot(sensorPod2.machineId);
    expect(setup?.onlineState).toBe(appApi.OnlineState.AWAITING_SETUP);
    expect(setup?.lastAccess).toBeUndefined();
    expect(await codeOf(warehouse.appClient.getRobot(armCell.machineId))).toBe(Code.PermissionDenied);
    expect(await codeOf(operator.appClient.getRobot('no-such-machine'))).toBe(Code.NotFound);
  });

  it('GetRobotParts and GetRobotPart: the main part with its fqdn, config and no secret', async () => {
    const [part, ...more] = await operator.appClient.getRobotParts(armCell.machineId);
    expect(more).toEqual([]);
    expect(part).toMatchObject({
      name: 'arm-cell-1-main',
      robot: armCell.machineId,
      locationId: LOCATION_LAB,
      mainPart: true,
      fqdn: armCell.hostname,
      localFqdn: 'arm-cell-1-main.lab0loc2cd.local.viam.cloud',
      dnsName: 'arm-cell-1-main.lab0loc2cd',
      secret: '',
    });
    expect(part?.onlineState).toBe(appApi.OnlineState.ONLINE);
    const components = part?.robotConfig?.toJson() as { components: { name: string }[] };
    expect(components.components.map((c) => c.name)).toContain('arm');
    const one = await operator.appClient.getRobotPart(part?.id ?? '');
    expect(one.part?.fqdn).toBe(armCell.hostname);
    expect(JSON.parse(one.configJson)).toHaveProperty('components');
    expect((await operator.appClient.getRobotParts(rover.machineId))[0]).toMatchObject({
      id: ROVER.partId,
      fqdn: ROVER.hostname,
    });
    expect(await codeOf(farms.appClient.getRobotPart(part?.id ?? ''))).toBe(Code.PermissionDenied);
    expect(await codeOf(farms.appClient.getRobotParts(armCell.machineId))).toBe(Code.PermissionDenied);
  });

  it('ListMachineFragments: the machine fragments, plus any asked for', async () => {
    const own = await operator.appClient.listMachineFragments(armCell.machineId);
    expect(own.map((f) => f.name)).toEqual(['arm-cell-standard']);
    expect(own[0]).toMatchObject({ organizationOwner: ORG_ACME, robotPartCount: 2, public: false });
    expect(own[0]?.visibility).toBe(appApi.FragmentVisibility.PRIVATE);
    const more = await operator.appClient.listMachineFragments(armCell.machineId, [FRAG_POD]);
    expect(more.map((f) => f.id)).toEqual([FRAG_ARM, FRAG_POD]);
    expect(await codeOf(farms.appClient.listMachineFragments(armCell.machineId))).toBe(Code.PermissionDenied);
  });
});

describe('ListMachineSummaries', () => {
  it('with no organization: every org the caller may see, grouped by location', async () => {
    const all = await operator.appClient.listMachineSummaries('');
    expect(all.map((l) => l.locationName)).toEqual(['Warehouse East', 'Lab North', 'Greenhouse']);
    expect(machineIds(all)).toEqual(
      Object.values(FLEET_MACHINES)
        .map((m) => m.machineId)
        .sort(),
    );
    expect(machineIds(await warehouse.appClient.listMachineSummaries(''))).toEqual(
      [rover.machineId, forklift.machineId].sort(),
    );
    expect(machineIds(await farms.appClient.listMachineSummaries(''))).toEqual(
      [sensorPod.machineId, sensorPod2.machineId].sort(),
    );
  });

  it('part summaries carry state, times, versions, platform, dns name and fragments', async () => {
    const now = Date.now();
    const parts = new Map(
      (await operator.appClient.listMachineSummaries('')).flatMap((l) =>
        l.machineSummaries.map((m) => [m.machineName, m.partSummaries[0]] as const),
      ),
    );
    const r = parts.get('sim-rover');
    expect(r).toMatchObject({ partId: ROVER.partId, partName: 'sim-rover-main', isMainPart: true });
    expect(r?.onlineState).toBe(appApi.OnlineState.ONLINE);
    expect(r?.viamServerVersion?.version).toEqual({ case: 'major', value: 'v0.89.0' });
    expect(r).toMatchObject({ platform: 'linux/arm64', os: 'Debian GNU/Linux 12 (bookworm)' });
    expect(r?.dnsName).toBe(ROVER.hostname);
    expect(r?.fragments.map((f) => [f.id, f.name])).toEqual([[FRAG_ROVER, 'rover-base']]);
    expect(now - (r?.lastOnline?.toDate().getTime() ?? 0)).toBeLessThan(5_000);

    const off = parts.get('arm-cell-2');
    expect(off?.onlineState).toBe(appApi.OnlineState.OFFLINE);
    expect(Number(off?.secondsSinceOnline)).toBeGreaterThanOrEqual(172_800);
    expect(now - (off?.lastOnline?.toDate().getTime() ?? 0)).toBeGreaterThanOrEqual(172_800_000);
    expect(off?.lastAccess?.toDate().getTime()).toBe(off?.lastOnline?.toDate().getTime());

    expect(parts.get('sensor-pod-1')?.viamServerVersion?.version).toEqual({
      case: 'minor',
      value: '0.89.0-dev+3f9c2a1',
    });
    const setup = parts.get('sensor-pod-2');
    expect(setup?.onlineState).toBe(appApi.OnlineState.AWAITING_SETUP);
    expect(setup?.lastOnline).toBeUndefined();
    expect(setup?.viamServerVersion).toBeUndefined();
  });

  it('filters by organization, location and fragment, and stops at the limit', async () => {
    expect(machineIds(await operator.appClient.listMachineSummaries(ORG_BETA))).toEqual(
      [sensorPod.machineId, sensorPod2.machineId].sort(),
    );
    expect(machineIds(await operator.appClient.listMachineSummaries('', [], [LOCATION_LAB]))).toEqual(
      [armCell.machineId, armCell2.machineId].sort(),
    );
    expect(
      machineIds(await operator.appClient.listMachineSummaries('', [], [LOCATION_LAB, LOCATION_GREENHOUSE])),
    ).toHaveLength(4);
    expect(machineIds(await operator.appClient.listMachineSummaries('', [FRAG_ROVER]))).toEqual(
      [rover.machineId, forklift.machineId].sort(),
    );
    expect(machineIds(await operator.appClient.listMachineSummaries(ORG_ACME, [FRAG_POD]))).toEqual([]);
    expect(machineIds(await operator.appClient.listMachineSummaries('', [], [], 3))).toHaveLength(3);
    // Filters never widen the caller's scope.
    expect(machineIds(await warehouse.appClient.listMachineSummaries('', [], [LOCATION_LAB]))).toEqual([]);
    expect(await codeOf(warehouse.appClient.listMachineSummaries(ORG_BETA))).toBe(Code.PermissionDenied);
    expect(await codeOf(operator.appClient.listMachineSummaries('', [], [], -1))).toBe(Code.InvalidArgument);
  });
});

describe('a machine removed from the fleet', () => {
  it('is no longer listed or found, and comes back when restored', async () => {
    await control(cloud.url, 'POST', `machines/${armCell.machineId}/removed`, { removed: true });
    try {
      expect(machineIds(await operator.appClient.listMachineSummaries(''))).not.toContain(armCell.machineId);
      expect((await operator.appClient.listRobots(LOCATION_LAB)).map((r) => r.id)).not.toContain(
        armCell.machineId,
      );
      expect(await codeOf(operator.appClient.getRobotParts(armCell.machineId))).toBe(Code.NotFound);
    } finally {
      await control(cloud.url, 'POST', `machines/${armCell.machineId}/removed`, { removed: false });
    }
    expect(machineIds(await operator.appClient.listMachineSummaries(''))).toContain(armCell.machineId);
    expect((await operator.appClient.getRobotParts(armCell.machineId)).length).toBe(1);
  });
});

describe('API keys: machine, location and organization scope', () => {
  it('a machine key sees its machine only', async () => {
    const c = await keyClient(cloud.url, FLEET_API_KEYS.rover.id, FLEET_API_KEYS.rover.key);
    expect(machineIds(await c.appClient.listMachineSummaries(''))).toEqual([rover.machineId]);
    expect((await c.appClient.getRobot(rover.machineId))?.name).toBe('sim-rover');
    expect((await c.appClient.listOrganizations()).map((o) => o.id)).toEqual([ORG_ACME]);
    expect((await c.appClient.listLocations(ORG_ACME)).map((l) => l.id)).toEqual([LOCATION_WAREHOUSE]);
    expect((await c.appClient.listRobots(LOCATION_WAREHOUSE)).map((r) => r.id)).toEqual([rover.machineId]);
    expect(await codeOf(c.appClient.getRobot(forklift.machineId))).toBe(Code.PermissionDenied);
    expect(await codeOf(c.appClient.getRobot(armCell.machineId))).toBe(Code.PermissionDenied);
  });

  it('a location key sees that location; an organization key the whole organization', async () => {
    const lab = await keyClient(cloud.url, FLEET_API_KEYS.lab.id, FLEET_API_KEYS.lab.key);
    expect(machineIds(await lab.appClient.listMachineSummaries(''))).toEqual(
      [armCell.machineId, armCell2.machineId].sort(),
    );
    expect(await codeOf(lab.appClient.getRobot(rover.machineId))).toBe(Code.PermissionDenied);
    const org = await keyClient(cloud.url, FLEET_API_KEYS.farms.id, FLEET_API_KEYS.farms.key);
    expect(machineIds(await org.appClient.listMachineSummaries(''))).toEqual(
      [sensorPod.machineId, sensorPod2.machineId].sort(),
    );
    expect((await org.appClient.listLocations(ORG_BETA)).map((l) => l.id)).toEqual([LOCATION_GREENHOUSE]);
    expect(await codeOf(org.appClient.listLocations(ORG_ACME))).toBe(Code.PermissionDenied);
  });

  it('a wrong key is refused; a revoked key stops working and comes back when restored', async () => {
    expect(
      await codeOf(
        keyClient(cloud.url, FLEET_API_KEYS.lab.id, 'wrong-key-0000000000').then((c) =>
          c.appClient.listOrganizations(),
        ),
      ),
    ).toBe(Code.PermissionDenied);
    const c = await keyClient(cloud.url, FLEET_API_KEYS.lab.id, FLEET_API_KEYS.lab.key);
    expect(await codeOf(c.appClient.listOrganizations())).toBe('ok');
    await control(cloud.url, 'POST', 'cloud/tokens/revoke', { apiKeyId: FLEET_API_KEYS.lab.id });
    try {
      expect(await codeOf(c.appClient.listOrganizations())).toBe(Code.Unauthenticated);
      expect(
        await codeOf(
          keyClient(cloud.url, FLEET_API_KEYS.lab.id, FLEET_API_KEYS.lab.key).then((k) =>
            k.appClient.listOrganizations(),
          ),
        ),
      ).toBe(Code.PermissionDenied);
    } finally {
      await control(cloud.url, 'POST', 'cloud/tokens/restore', { apiKeyId: FLEET_API_KEYS.lab.id });
    }
    expect(await codeOf(c.appClient.listOrganizations())).toBe('ok');
  });
});

describe('user tokens: unknown, expired, revoked', () => {
  it('an unknown or expired token is Unauthenticated on every call', async () => {
    for (const token of ['not-a-token-at-all-xyz', FLEET_USERS.expired.token]) {
      const c = await userClient(cloud.url, token);
      expect(await codeOf(c.appClient.listOrganizations())).toBe(Code.Unauthenticated);
      expect(await codeOf(c.appClient.listMachineSummaries(''))).toBe(Code.Unauthenticated);
      expect(await codeOf(c.appClient.getRobot(rover.machineId))).toBe(Code.Unauthenticated);
    }
  });

  it('revoke, expire and restore through the control API', async () => {
    const token = FLEET_USERS.warehouse.token;
    expect(await codeOf(warehouse.appClient.listOrganizations())).toBe('ok');
    await control(cloud.url, 'POST', 'cloud/tokens/revoke', { token });
    expect(await codeOf(warehouse.appClient.listOrganizations())).toBe(Code.Unauthenticated);
    const listing = await control<{ users: { id: string; revoked: boolean }[] }>(cloud.url, 'GET', 'fleet');
    expect(listing.users.find((u) => u.id === FLEET_USERS.warehouse.id)?.revoked).toBe(true);
    expect(JSON.stringify(listing)).not.toContain(token);
    await control(cloud.url, 'POST', 'cloud/tokens/restore', { user: FLEET_USERS.warehouse.id });
    expect(await codeOf(warehouse.appClient.listOrganizations())).toBe('ok');
    await control(cloud.url, 'POST', 'cloud/tokens/expire', { token });
    expect(await codeOf(warehouse.appClient.listOrganizations())).toBe(Code.Unauthenticated);
    await control(cloud.url, 'POST', 'cloud/tokens/restore', { token });
    expect(await codeOf(warehouse.appClient.listOrganizations())).toBe('ok');
  });
});

describe('everything else', () => {
  it('answers Unimplemented', async () => {
    expect(await codeOf(operator.appClient.listFragments(ORG_ACME))).toBe(Code.Unimplemented);
    expect(await codeOf(operator.appClient.getUserIDByEmail('a@example.com'))).toBe(Code.Unimplemented);
    expect(await codeOf(operator.appClient.createLocation(ORG_ACME, 'new'))).toBe(Code.Unimplemented);
    const calls = await control<{ calls: { method: string; code: number }[] }>(
      cloud.url,
      'GET',
      'cloud/calls',
    );
    expect(calls.calls.some((c) => c.method.endsWith('/ListFragments') && c.code === 12)).toBe(true);
  });
});
