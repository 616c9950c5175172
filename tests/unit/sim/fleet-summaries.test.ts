/**
 * The fleet's ListMachineSummaries (src/cloud/fleet-summaries.ts), read from the answer's bytes by
 * src/lib/summary-decode.ts, against the SDK's own call, both with createViamClient over real sockets to the simulated cloud
 * (a generated fleet of 500 machines): the same machines, the same errors.
 */
import { Code } from '@connectrpc/connect';
import type { ViamClient } from '@viamrobotics/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSummaries } from '../../../src/cloud/fleet-summaries.ts';
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

/** Every field the fleet reads, live ones left out (the SDK's message classes carry more). */
const known = (locations: readonly LocationSummaryLike[]) =>
  locations.map((l) => ({
    locationId: l.locationId,
    locationName: l.locationName,
    machines: l.machineSummaries.map((m) => ({
      machineId: m.machineId,
      machineName: m.machineName,
      parts: m.partSummaries.map((p) =>
        Object.fromEntries(
          Object.entries({
            partId: p.partId,
            partName: p.partName,
            isMainPart: p.isMainPart,
            onlineState: p.onlineState,
            secondsSinceOnline: p.secondsSinceOnline,
            lastAccess: p.lastAccess,
            lastOnline: p.lastOnline,
            version: p.viamServerVersion?.version.value,
            versionCase: p.viamServerVersion?.version.case,
            os: p.os,
            platform: p.platform,
            fragments: p.fragments.map((f) => ({ id: f.id, name: f.name })),
          }).filter(([key]) => !LIVE.has(key)),
        ),
      ),
    })),
  }));

/** Made by the SDK's decode: its message classes (ours are plain objects). */
const bySdk = (locations: readonly LocationSummaryLike[]) =>
  locations.some((l) => l.machineSummaries.some((m) => 'toJson' in m));

const machineCount = (locations: readonly LocationSummaryLike[]) =>
  locations.reduce((n, l) => n + l.machineSummaries.length, 0);

describe('listSummaries', () => {
  it('lists what the SDK lists, read from the answer by the fleet, not by the SDK', async () => {
    const ours = await listSummaries(client, 1000);
    const whole = await client.appClient.listMachineSummaries('', [], [], 1000);
    expect(machineCount(ours)).toBe(500);
    expect(known(ours)).toEqual(known(whole));
    // This SDK's transport and AppClient are as the module expects: the fallback (the SDK's own
    // call) is not what ran. An SDK upgrade that changes them fails here.
    expect(bySdk(ours)).toBe(false);
    expect(bySdk(whole)).toBe(true);
  });

  it('passes the limit on, as the SDK does', async () => {
    const sliced = await listSummaries(client, 7);
    expect(machineCount(sliced)).toBe(7);
    expect(known(sliced)).toEqual(known(await client.appClient.listMachineSummaries('', [], [], 7)));
  });

  it('without a transport to reach (another SDK version), makes the SDK call itself', async () => {
    const other = Object.assign(Object.create(client) as ViamClient, { transport: undefined });
    const listed = await listSummaries(other, 1000);
    expect(bySdk(listed)).toBe(true);
    expect(known(listed)).toEqual(known(await client.appClient.listMachineSummaries('', [], [], 1000)));
  });

  it('fails as the SDK call fails: an unknown token, a cloud that answers an error', async () => {
    const stranger = await userClient(cloud.url, 'not-a-token');
    expect(await codeOf(listSummaries(stranger, 1000))).toBe(Code.Unauthenticated);
    await control(cloud.url, 'POST', 'cloud/faults', {
      method: 'ListMachineSummaries',
      errorCode: Code.Unavailable,
    });
    try {
      expect(await codeOf(listSummaries(client, 1000))).toBe(Code.Unavailable);
      expect(await codeOf(client.appClient.listMachineSummaries('', [], [], 1000))).toBe(Code.Unavailable);
    } finally {
      await control(cloud.url, 'DELETE', 'cloud/faults');
    }
  });

  it('leaves the client’s other calls as they were', async () => {
    await listSummaries(client, 1000);
    const orgs = await client.appClient.listOrganizations();
    expect(orgs.length).toBeGreaterThan(0);
  });
});
