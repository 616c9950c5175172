/**
 * The fleet's ListMachineSummaries (src/cloud/fleet-summaries.ts), decoded a few machines per task,
 * against the SDK's own call, both with createViamClient over real sockets to the simulated cloud
 * (a generated fleet of 500 machines): the same machines, the same errors.
 */
import { Code } from '@connectrpc/connect';
import type { ViamClient } from '@viamrobotics/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInSlices } from '../../../src/cloud/fleet-summaries.ts';
import type { LocationSummaryLike } from '../../../src/lib/fleet.ts';
import { DEFAULT_USER_TOKEN, startCloud, type RunningCloud } from '../../sim/cloud/index.ts';
import { codeOf, control, userClient } from './cloud-helpers.ts';

let cloud: RunningCloud;
let client: ViamClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, machines: 500 });
  client = await userClient(cloud.url, DEFAULT_USER_TOKEN);
});

afterAll(async () => {
  await cloud.close();
});

/** A live field: it moves between two answers of the same cloud. */
const LIVE = new Set(['secondsSinceOnline', 'lastAccess', 'lastOnline']);

/** Every known field, as JSON (the SDK's message classes carry more than the fields), live ones left out. */
const known = (locations: readonly LocationSummaryLike[]) =>
  JSON.parse(
    JSON.stringify(
      locations.map((l) => ({
        locationId: l.locationId,
        locationName: l.locationName,
        machines: l.machineSummaries.map((m) => (m as unknown as { toJson(): unknown }).toJson()),
      })),
      (key, value: unknown) => (LIVE.has(key) ? undefined : value),
    ),
  ) as unknown;

const machineCount = (locations: readonly LocationSummaryLike[]) =>
  locations.reduce((n, l) => n + l.machineSummaries.length, 0);

describe('listInSlices', () => {
  it('lists what the SDK lists, a slice of machines per task', async () => {
    let pauses = 0;
    const sliced = await listInSlices(client, 1000, {
      sliceMs: 0,
      pause: async () => {
        pauses += 1;
        await new Promise((resolve) => setTimeout(resolve, 0));
      },
    });
    const whole = await client.appClient.listMachineSummaries('', [], [], 1000);
    expect(machineCount(sliced)).toBe(500);
    expect(known(sliced)).toEqual(known(whole));
    // With no time per slice, every machine after the first run waited for a new task.
    expect(pauses).toBeGreaterThan(450);
  });

  it('with its own pacing, gives the same list', async () => {
    const whole = await client.appClient.listMachineSummaries('', [], [], 1000);
    expect(known(await listInSlices(client, 1000))).toEqual(known(whole));
  });

  it('passes the limit on, as the SDK does', async () => {
    const sliced = await listInSlices(client, 7);
    expect(machineCount(sliced)).toBe(7);
    expect(known(sliced)).toEqual(known(await client.appClient.listMachineSummaries('', [], [], 7)));
  });

  it('without a transport to reach (another SDK version), makes the SDK call itself', async () => {
    const other = Object.assign(Object.create(client) as ViamClient, { transport: undefined });
    expect(known(await listInSlices(other, 1000))).toEqual(
      known(await client.appClient.listMachineSummaries('', [], [], 1000)),
    );
  });

  it('fails as the SDK call fails: an unknown token, a cloud that answers an error', async () => {
    const stranger = await userClient(cloud.url, 'not-a-token');
    expect(await codeOf(listInSlices(stranger, 1000))).toBe(Code.Unauthenticated);
    await control(cloud.url, 'POST', 'cloud/faults', {
      method: 'ListMachineSummaries',
      errorCode: Code.Unavailable,
    });
    try {
      expect(await codeOf(listInSlices(client, 1000))).toBe(Code.Unavailable);
      expect(await codeOf(client.appClient.listMachineSummaries('', [], [], 1000))).toBe(Code.Unavailable);
    } finally {
      await control(cloud.url, 'DELETE', 'cloud/faults');
    }
  });

  it('leaves the client’s other calls as they were', async () => {
    await listInSlices(client, 1000);
    const orgs = await client.appClient.listOrganizations();
    expect(orgs.length).toBeGreaterThan(0);
  });
});
