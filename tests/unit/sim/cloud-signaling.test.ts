/**
 * The simulated cloud's signaling and control, at the gRPC-web level (createRobotClient needs
 * WebRTC, which Node lacks; the browser specs cover the dial itself): scope on signaling, offline
 * and awaiting-setup machines, per-machine state, faults and call logs, cloud faults, direct dials.
 */
import { MethodKind } from '@bufbuild/protobuf';
import { Code, createClient, createRouterTransport } from '@connectrpc/connect';
import { appApi, robotApi, type ViamClient } from '@viamrobotics/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_USER_TOKEN,
  FLEET_API_KEYS,
  FLEET_MACHINES,
  FLEET_USERS,
  ORG_ACME,
  startCloud,
  type RunningCloud,
} from '../../sim/cloud/index.ts';
import { codeOf, control, grpcWeb, headers, keyBearer, signaling, userClient } from './cloud-helpers.ts';

const OFFLINE_DELAY_MS = 300;
/** the code as the call log records it (a plain number) */
const UNAVAILABLE: number = Code.Unavailable;
const { rover, armCell, forklift, sensorPod, sensorPod2 } = FLEET_MACHINES;

const RobotOps = {
  typeName: 'viam.robot.v1.RobotService',
  methods: {
    getOperations: {
      name: 'GetOperations',
      I: robotApi.GetOperationsRequest,
      O: robotApi.GetOperationsResponse,
      kind: MethodKind.Unary,
    },
    getCloudMetadata: {
      name: 'GetCloudMetadata',
      I: robotApi.GetCloudMetadataRequest,
      O: robotApi.GetCloudMetadataResponse,
      kind: MethodKind.Unary,
    },
  },
} as const;

interface Call {
  method: string;
  /** 0 = OK, else a gRPC code */
  code: number;
  transport: string;
}

let cloud: RunningCloud;
let operator: ViamClient;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, offlineDelayMs: OFFLINE_DELAY_MS });
  operator = await userClient(cloud.url, DEFAULT_USER_TOKEN);
});

afterAll(async () => {
  await cloud.close();
});

async function stateOf(machineId: string): Promise<appApi.OnlineState | undefined> {
  return (await operator.appClient.getRobot(machineId))?.onlineState;
}

async function callsOf(machine: string): Promise<Call[]> {
  return (await control<{ calls: Call[] }>(cloud.url, 'GET', `machines/${machine}/calls`)).calls;
}

/** A Call with an offer that cannot be answered: enough to learn how signaling treats the host. */
async function callCode(token: string, host: string): Promise<{ code: Code | 'ok'; ms: number }> {
  const t0 = performance.now();
  const code = await codeOf(
    (async () => {
      for await (const _ of signaling(cloud.url).call({ sdp: 'bm90LWFuLW9mZmVy' }, headers(token, host))) {
        // an online machine answers InvalidArgument for this sdp before any message
      }
    })(),
  );
  return { code, ms: performance.now() - t0 };
}

describe('signaling obeys identities and scopes', () => {
  it('a user token is the bearer itself: PermissionDenied outside what the user may see', async () => {
    const s = signaling(cloud.url);
    const ok = await s.optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, armCell.hostname));
    expect(ok.config?.disableTrickle).toBe(false);
    expect(
      await codeOf(s.optionalWebRTCConfig({}, headers(FLEET_USERS.warehouse.token, armCell.hostname))),
    ).toBe(Code.PermissionDenied);
    expect(
      await codeOf(s.optionalWebRTCConfig({}, headers(FLEET_USERS.warehouse.token, rover.hostname))),
    ).toBe('ok');
    expect(await codeOf(s.optionalWebRTCConfig({}, headers(FLEET_USERS.farms.token, rover.hostname)))).toBe(
      Code.PermissionDenied,
    );
    // Hostnames are case-insensitive, as DNS names are.
    expect(
      await codeOf(s.optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, armCell.hostname.toUpperCase()))),
    ).toBe('ok');
  });

  it('unknown, expired and revoked tokens are Unauthenticated; an unknown host NotFound', async () => {
    const s = signaling(cloud.url);
    expect(await codeOf(s.optionalWebRTCConfig({}, headers('nobody-knows-this-token', rover.hostname)))).toBe(
      Code.Unauthenticated,
    );
    expect(await codeOf(s.optionalWebRTCConfig({}, headers(FLEET_USERS.expired.token, rover.hostname)))).toBe(
      Code.Unauthenticated,
    );
    expect(await codeOf(s.optionalWebRTCConfig({}, { headers: { 'rpc-host': rover.hostname } }))).toBe(
      Code.Unauthenticated,
    );
    expect(await codeOf(s.optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, 'nowhere.viam.cloud')))).toBe(
      Code.NotFound,
    );
    await control(cloud.url, 'POST', 'cloud/tokens/revoke', { token: FLEET_USERS.farms.token });
    try {
      expect(
        await codeOf(s.optionalWebRTCConfig({}, headers(FLEET_USERS.farms.token, sensorPod.hostname))),
      ).toBe(Code.Unauthenticated);
    } finally {
      await control(cloud.url, 'POST', 'cloud/tokens/restore', { token: FLEET_USERS.farms.token });
    }
    expect(
      await codeOf(s.optionalWebRTCConfig({}, headers(FLEET_USERS.farms.token, sensorPod.hostname))),
    ).toBe('ok');
  });

  it('API keys: machine, location and organization scope', async () => {
    const s = signaling(cloud.url);
    const roverKey = await keyBearer(cloud.url, FLEET_API_KEYS.rover.id, FLEET_API_KEYS.rover.key);
    const labKey = await keyBearer(cloud.url, FLEET_API_KEYS.lab.id, FLEET_API_KEYS.lab.key);
    const orgKey = await keyBearer(cloud.url, FLEET_API_KEYS.farms.id, FLEET_API_KEYS.farms.key);
    const code = (token: string, host: string) => codeOf(s.optionalWebRTCConfig({}, headers(token, host)));
    expect(await code(roverKey, rover.hostname)).toBe('ok');
    expect(await code(roverKey, forklift.hostname)).toBe(Code.PermissionDenied);
    expect(await code(roverKey, armCell.hostname)).toBe(Code.PermissionDenied);
    expect(await code(labKey, armCell.hostname)).toBe('ok');
    expect(await code(labKey, rover.hostname)).toBe(Code.PermissionDenied);
    expect(await code(orgKey, sensorPod.hostname)).toBe('ok');
    expect(await code(orgKey, armCell.hostname)).toBe(Code.PermissionDenied);
    expect(await code('forged.jwt.token', rover.hostname)).toBe(Code.Unauthenticated);
  });

  it('a signaling call is in that machine call log, not in the others', async () => {
    await signaling(cloud.url).optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, armCell.hostname));
    const arm = await callsOf(armCell.machineId);
    expect(arm.some((c) => c.method.endsWith('/OptionalWebRTCConfig') && c.code === 0)).toBe(true);
    const before = (await callsOf(rover.hostname)).filter((c) => c.method.endsWith('/OptionalWebRTCConfig'));
    await signaling(cloud.url).optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, armCell.hostname));
    const after = (await callsOf(rover.hostname)).filter((c) => c.method.endsWith('/OptionalWebRTCConfig'));
    expect(after.length).toBe(before.length);
  });
});

describe('offline and awaiting-setup machines', () => {
  it('a Call to an offline machine fails NotFound "host appears to be offline" after the delay', async () => {
    for (const host of [forklift.hostname, sensorPod2.hostname]) {
      const { code, ms } = await callCode(DEFAULT_USER_TOKEN, host);
      expect(code).toBe(Code.NotFound);
      expect(ms).toBeGreaterThanOrEqual(OFFLINE_DELAY_MS - 20);
      expect(ms).toBeLessThan(OFFLINE_DELAY_MS + 1500);
    }
    // The scope is checked first: no waiting for a machine one may not reach.
    const denied = await callCode(FLEET_USERS.farms.token, forklift.hostname);
    expect(denied.code).toBe(Code.PermissionDenied);
    expect(denied.ms).toBeLessThan(OFFLINE_DELAY_MS);
    const err = await (async () => {
      try {
        for await (const _ of signaling(cloud.url).call(
          { sdp: '' },
          headers(DEFAULT_USER_TOKEN, forklift.hostname),
        )) {
          // nothing arrives
        }
      } catch (e) {
        return String(e);
      }
      return 'no error';
    })();
    expect(err).toContain('host appears to be offline');
  });

  it('an online machine answers the Call itself (here: a bad offer is InvalidArgument, at once)', async () => {
    const { code, ms } = await callCode(DEFAULT_USER_TOKEN, armCell.hostname);
    expect(code).toBe(Code.InvalidArgument);
    expect(ms).toBeLessThan(OFFLINE_DELAY_MS);
  });

  it('POST machines/<id>/state takes a machine offline, to setup, and back online', async () => {
    const id = armCell.machineId;
    try {
      await control(cloud.url, 'POST', `machines/${id}/state`, { state: 'offline' });
      expect(await stateOf(id)).toBe(appApi.OnlineState.OFFLINE);
      const part = (await operator.appClient.listMachineSummaries('')).flatMap((l) =>
        l.machineSummaries.filter((m) => m.machineId === id),
      )[0]?.partSummaries[0];
      expect(Date.now() - (part?.lastOnline?.toDate().getTime() ?? 0)).toBeLessThan(5000);
      expect((await callCode(DEFAULT_USER_TOKEN, armCell.hostname)).code).toBe(Code.NotFound);
      await control(cloud.url, 'POST', `machines/${armCell.hostname}/state`, { state: 'awaiting_setup' });
      expect(await stateOf(id)).toBe(appApi.OnlineState.AWAITING_SETUP);
    } finally {
      await control(cloud.url, 'POST', `machines/${id}/state`, { state: 'online' });
    }
    expect(await stateOf(id)).toBe(appApi.OnlineState.ONLINE);
    expect((await callCode(DEFAULT_USER_TOKEN, armCell.hostname)).code).toBe(Code.InvalidArgument);
    const listing = await control<{ machines: { machineId: string; state: string; orgId: string }[] }>(
      cloud.url,
      'GET',
      'fleet',
    );
    expect(listing.machines).toHaveLength(6);
    expect(listing.machines.find((m) => m.machineId === id)?.state).toBe('online');
    expect(listing.machines.find((m) => m.machineId === forklift.machineId)?.state).toBe('offline');
  });

  it('POST machines/<id>/offline {ms}: that machine drops its connections, the cloud and the rest stay up', async () => {
    await control(cloud.url, 'POST', `machines/${armCell.machineId}/offline`, { ms: 800 });
    try {
      const dropped = await codeOf(
        signaling(cloud.url).optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, armCell.hostname)),
      );
      expect(dropped).not.toBe('ok');
      expect(dropped).not.toBe(Code.PermissionDenied);
      expect(await stateOf(armCell.machineId)).toBe(appApi.OnlineState.OFFLINE);
      expect(
        await codeOf(
          signaling(cloud.url).optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, rover.hostname)),
        ),
      ).toBe('ok');
      const peers = await control<{ offline: boolean }>(
        cloud.url,
        'GET',
        `machines/${armCell.machineId}/peers`,
      );
      expect(peers.offline).toBe(true);
    } finally {
      await control(cloud.url, 'POST', `machines/${armCell.machineId}/online`);
    }
    expect(await stateOf(armCell.machineId)).toBe(appApi.OnlineState.ONLINE);
  });
});

describe('faults', () => {
  it('per-machine faults apply to that machine only', async () => {
    await control(cloud.url, 'POST', `machines/${armCell.machineId}/faults`, {
      method: '/proto.rpc.webrtc.v1.SignalingService/OptionalWebRTCConfig',
      errorCode: Code.Unavailable,
      errorMessage: 'arm cell signaling broken',
    });
    try {
      const s = signaling(cloud.url);
      expect(await codeOf(s.optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, armCell.hostname)))).toBe(
        Code.Unavailable,
      );
      expect(await codeOf(s.optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, rover.hostname)))).toBe(
        'ok',
      );
    } finally {
      await control(cloud.url, 'DELETE', `machines/${armCell.machineId}/faults`);
    }
  });

  it('cloud faults: a slow and a failing app API, and the cloud call log', async () => {
    await control(cloud.url, 'DELETE', 'cloud/calls');
    await control(cloud.url, 'POST', 'cloud/faults', { method: 'ListMachineSummaries', latencyMs: 300 });
    try {
      const t0 = performance.now();
      await operator.appClient.listMachineSummaries('');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
      const t1 = performance.now();
      await operator.appClient.listOrganizations();
      expect(performance.now() - t1).toBeLessThan(250);
      await control(cloud.url, 'POST', 'cloud/faults', { method: '*', errorCode: Code.Unavailable });
      expect(await codeOf(operator.appClient.listOrganizations())).toBe(Code.Unavailable);
      // Signaling is not the app API: machines stay reachable while the API fails.
      expect(
        await codeOf(
          signaling(cloud.url).optionalWebRTCConfig({}, headers(DEFAULT_USER_TOKEN, rover.hostname)),
        ),
      ).toBe('ok');
    } finally {
      await control(cloud.url, 'DELETE', 'cloud/faults');
    }
    expect(await codeOf(operator.appClient.listOrganizations())).toBe('ok');
    const { calls } = await control<{ calls: Call[] }>(cloud.url, 'GET', 'cloud/calls');
    const summaries = calls.filter((c) => c.method === '/viam.app.v1.AppService/ListMachineSummaries');
    expect(summaries).toHaveLength(1);
    expect(calls.some((c) => c.method.endsWith('/ListOrganizations') && c.code === UNAVAILABLE)).toBe(true);
    expect(JSON.stringify(calls)).not.toContain(DEFAULT_USER_TOKEN);
  });

  it('bad control input is a 400 or 404 with a message', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${cloud.url}/__sim/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(`machines/${armCell.machineId}/state`, { state: 'sleeping' })).status).toBe(400);
    expect((await post('machines/no-such-machine/state', { state: 'online' })).status).toBe(404);
    expect((await post('cloud/faults', { method: 'X', latencyMs: -1 })).status).toBe(400);
    expect((await post('cloud/tokens/revoke', {})).status).toBe(400);
    expect((await post('cloud/tokens/revoke', { token: 'unknown-token-value' })).status).toBe(404);
  });
});

describe('direct gRPC-web dials reach the default machine', () => {
  it('with a key or a user token that may reach it; its metadata agrees with the app API', async () => {
    const robot = createClient(RobotOps, grpcWeb(cloud.url));
    const key = await keyBearer(cloud.url, FLEET_API_KEYS.rover.id, FLEET_API_KEYS.rover.key);
    expect(await codeOf(robot.getOperations({}, headers(key)))).toBe('ok');
    expect(await codeOf(robot.getOperations({}, headers(DEFAULT_USER_TOKEN)))).toBe('ok');
    expect(await codeOf(robot.getOperations({}, headers(FLEET_USERS.farms.token)))).toBe(
      Code.PermissionDenied,
    );
    const lab = await keyBearer(cloud.url, FLEET_API_KEYS.lab.id, FLEET_API_KEYS.lab.key);
    expect(await codeOf(robot.getOperations({}, headers(lab)))).toBe(Code.PermissionDenied);
    const meta = await robot.getCloudMetadata({}, headers(key));
    const part = (await operator.appClient.getRobotParts(rover.machineId))[0];
    expect(meta).toMatchObject({
      machineId: rover.machineId,
      machinePartId: part?.id,
      locationId: part?.locationId,
    });
  });

  it('each machine reports its own fleet identity in GetCloudMetadata', async () => {
    const arm = cloud.machine(armCell.hostname);
    expect(arm.machineId).toBe(armCell.machineId);
    expect(arm.hostname).toBe(armCell.hostname);
    const robot = createClient(
      RobotOps,
      createRouterTransport((router) => arm.registerServices(router)),
    );
    const part = (await operator.appClient.getRobotParts(armCell.machineId))[0];
    expect(await robot.getCloudMetadata({})).toMatchObject({
      machineId: armCell.machineId,
      machinePartId: part?.id,
      robotPartId: part?.id,
      locationId: 'lab0loc2cd',
      primaryOrgId: ORG_ACME,
    });
  });
});
