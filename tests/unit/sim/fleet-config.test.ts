/**
 * Fleet files: the default fleet agrees with the constants tests in other processes rely on, bad
 * files fail with a message, hostile names pass through untouched, and a generated fleet of 500
 * answers the app API quickly without building its machines.
 */
import { appApi } from '@viamrobotics/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_KEY_ID,
  DEFAULT_FLEET_FILE,
  DEFAULT_OFFLINE_DELAY_MS,
  DEFAULT_USER_TOKEN,
  FLEET_API_KEYS,
  FLEET_MACHINES,
  FLEET_USERS,
  FleetConfigError,
  generateFleet,
  loadFleet,
  parseFleet,
  ROVER,
  startCloud,
  type RunningCloud,
} from '../../sim/cloud/index.ts';
import { DEFAULT_HOSTNAME, DEFAULT_MACHINE_ID, loadConfig } from '../../sim/machine/index.ts';
import { control, userClient } from './cloud-helpers.ts';

const ORG = { id: 'org-1', name: 'Org' };
const LOC = { id: 'loc-1', name: 'Loc', org_id: 'org-1' };
const minimal = (extra: Record<string, unknown> = {}) => ({
  orgs: [ORG],
  locations: [LOC],
  machines: [{ id: 'm-1', name: 'one', location_id: 'loc-1' }],
  ...extra,
});

describe('the default fleet file', () => {
  const fleet = loadFleet(DEFAULT_FLEET_FILE);

  it('keeps the rover exactly as the single-machine app knows it', () => {
    const rover = fleet.machines.find((m) => m.machineId === ROVER.machineId);
    expect(rover).toMatchObject({
      hostname: ROVER.hostname,
      partId: ROVER.partId,
      locationId: ROVER.locationId,
    });
    expect(ROVER.hostname).toBe(DEFAULT_HOSTNAME);
    expect(ROVER.machineId).toBe(DEFAULT_MACHINE_ID);
    expect(fleet.defaultMachineId).toBe(ROVER.machineId);
    const key = fleet.apiKeys.find((k) => k.id === DEFAULT_API_KEY_ID);
    expect(key).toMatchObject({ key: DEFAULT_API_KEY, scope: 'machine', resourceId: ROVER.machineId });
    expect(fleet.locations.find((l) => l.id === ROVER.locationId)?.orgId).toBe(ROVER.orgId);
  });

  it('matches the exported constants: machines, users, keys', () => {
    for (const m of Object.values(FLEET_MACHINES)) {
      expect(fleet.machines.find((x) => x.machineId === m.machineId)).toMatchObject({
        hostname: m.hostname,
        state: m.state,
      });
    }
    expect(fleet.machines).toHaveLength(Object.keys(FLEET_MACHINES).length);
    for (const u of Object.values(FLEET_USERS)) {
      expect(fleet.users.find((x) => x.id === u.id)?.token).toBe(u.token);
    }
    expect(fleet.users[0]?.token).toBe(DEFAULT_USER_TOKEN);
    for (const k of Object.values(FLEET_API_KEYS)) {
      expect(fleet.apiKeys.find((x) => x.id === k.id)).toMatchObject({ key: k.key, scope: k.scope });
    }
    expect(fleet.offlineDelayMs).toBe(DEFAULT_OFFLINE_DELAY_MS);
    expect(new Set(fleet.orgs.map((o) => o.id)).size).toBe(2);
    expect(new Set(fleet.machines.map((m) => m.locationId)).size).toBe(3);
  });

  it('every machine config in it loads', () => {
    for (const m of fleet.machines) {
      const config = typeof m.config === 'string' ? loadConfig(m.config) : m.config;
      expect((config.components ?? []).length, m.name).toBeGreaterThan(0);
    }
  });
});

describe('parseFleet', () => {
  it('fills in Viam-shaped defaults', () => {
    const f = parseFleet(minimal());
    expect(f.machines[0]).toMatchObject({
      partName: 'one-main',
      hostname: 'one-main.loc-1.viam.cloud',
      localFqdn: 'one-main.loc-1.local.viam.cloud',
      state: 'online',
    });
  });

  it.each([
    ['not an object', []],
    ['a location in an unknown org', minimal({ locations: [{ id: 'l', name: 'x', org_id: 'nope' }] })],
    [
      'a machine in an unknown location',
      minimal({ machines: [{ id: 'm', name: 'x', location_id: 'nope' }] }),
    ],
    [
      'an unknown state',
      minimal({ machines: [{ id: 'm', name: 'x', location_id: 'loc-1', state: 'asleep' }] }),
    ],
    ['a bad id', minimal({ machines: [{ id: 'has space', name: 'x', location_id: 'loc-1' }] })],
    [
      'duplicate hostnames',
      minimal({
        machines: [
          { id: 'a', name: 'x', location_id: 'loc-1', hostname: 'same.local' },
          { id: 'b', name: 'y', location_id: 'loc-1', hostname: 'SAME.local' },
        ],
      }),
    ],
    ['a short user token', minimal({ users: [{ name: 'u', token: 'short' }] })],
    [
      'a key for an unknown machine',
      minimal({ api_keys: [{ id: 'k', key: 'k'.repeat(20), scope: 'machine', resource: 'x' }] }),
    ],
    [
      'a key of an unknown scope',
      minimal({ api_keys: [{ id: 'k', key: 'k'.repeat(20), scope: 'robot', resource: 'm-1' }] }),
    ],
    [
      'an unknown fragment',
      minimal({ machines: [{ id: 'm', name: 'x', location_id: 'loc-1', fragments: ['f'] }] }),
    ],
  ])('refuses %s with a message', (_what, raw) => {
    expect(() => parseFleet(raw)).toThrow(FleetConfigError);
  });

  it('carries hostile names unchanged (the apps must render them inert)', async () => {
    const hostile = '<img src=x onerror=alert(1)>\u202e\u0000 "quoted" 🤖'.repeat(3);
    const f = parseFleet({
      orgs: [{ id: 'org-h', name: hostile }],
      locations: [{ id: 'loc-h', name: `${hostile} loc`, org_id: 'org-h' }],
      machines: [{ id: 'm-h', name: `${hostile} machine`, location_id: 'loc-h' }],
      users: [{ name: hostile, token: 'hostile-user-token-123456', orgs: ['org-h'] }],
    });
    expect(f.machines[0]?.hostname).toMatch(/^[a-z0-9-]+-main\.loc-h\.viam\.cloud$/u);
    const cloud = await startCloud({ port: 0, fleet: f });
    try {
      const c = await userClient(cloud.url, 'hostile-user-token-123456');
      expect((await c.appClient.listOrganizations())[0]?.name).toBe(hostile);
      const [loc] = await c.appClient.listMachineSummaries('');
      expect(loc?.locationName).toBe(`${hostile} loc`);
      expect(loc?.machineSummaries[0]?.machineName).toBe(`${hostile} machine`);
    } finally {
      await cloud.close();
    }
  });
});

describe('a generated fleet of 500', () => {
  let cloud: RunningCloud | undefined;
  afterAll(async () => {
    await cloud?.close();
  });

  it('is deterministic, mixed and spread over organizations and locations', () => {
    const a = generateFleet(500);
    const b = generateFleet(500);
    expect(a.machines.map((m) => m.machineId)).toEqual(b.machines.map((m) => m.machineId));
    expect(a.machines[0]).toMatchObject({ machineId: ROVER.machineId, hostname: ROVER.hostname });
    expect(new Set(a.machines.map((m) => m.hostname)).size).toBe(500);
    const states = new Map<string, number>();
    for (const m of a.machines) states.set(m.state, (states.get(m.state) ?? 0) + 1);
    expect(states.get('online')).toBeGreaterThan(300);
    expect(states.get('offline')).toBeGreaterThan(50);
    expect(states.get('awaiting_setup')).toBeGreaterThan(20);
    expect(new Set(a.machines.map((m) => m.locationId)).size).toBeGreaterThanOrEqual(12);
    expect(a.orgs).toHaveLength(3);
    expect(() => generateFleet(0)).toThrow(RangeError);
  });

  it('answers ListMachineSummaries for all 500 without building a single machine', async () => {
    cloud = await startCloud({ port: 0, machines: 500 });
    const c = await userClient(cloud.url, DEFAULT_USER_TOKEN);
    const count = (s: appApi.LocationSummary[]) => s.reduce((n, l) => n + l.machineSummaries.length, 0);
    expect(count(await c.appClient.listMachineSummaries(''))).toBe(100); // the proto's default limit
    // How fast is the bench's business (no timed assertion here); that no machine is built is checked below.
    const all = await c.appClient.listMachineSummaries('', [], [], 1000);
    expect(count(all)).toBe(500);
    expect(new Set(all.map((l) => l.locationId)).size).toBeGreaterThanOrEqual(12);
    const warehouse = await userClient(cloud.url, FLEET_USERS.warehouse.token);
    const theirs = await warehouse.appClient.listMachineSummaries('', [], [], 1000);
    expect(theirs.map((l) => l.locationId)).toEqual([ROVER.locationId]);
    const last = cloud.machines[499];
    const info = await control<{ built: boolean }>(cloud.url, 'GET', `machines/${last?.machineId ?? ''}`);
    expect(info.built).toBe(false);
    const rover = await control<{ built: boolean }>(cloud.url, 'GET', `machines/${ROVER.machineId}`);
    expect(rover.built).toBe(true);
  });
});
