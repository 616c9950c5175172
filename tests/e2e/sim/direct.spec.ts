/**
 * The sim's HTTP side: direct gRPC-web dials from the real SDK, auth and rpc-host
 * checks, CORS, and the /__sim/ fault and control routes.
 */
import { MethodKind } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import { expect, test } from '@playwright/test';
import { robotApi } from '@viamrobotics/sdk';
import { AuthService } from '../../sim/proto/rpc-auth.ts';
import { SignalingService } from '../../sim/proto/rpc-signaling.ts';
import type { RunningSim } from '../../sim/server.ts';
import { dialArgs, dialWebRTC, openHarness } from '../../sim/harness/browser.ts';
import { startPageServer, type PageServer } from '../../sim/harness/page-server.ts';
import { fetchCalls, startTestSim } from '../../sim/harness/test-sim.ts';

const RobotOps = {
  typeName: 'viam.robot.v1.RobotService',
  methods: {
    getOperations: {
      name: 'GetOperations',
      I: robotApi.GetOperationsRequest,
      O: robotApi.GetOperationsResponse,
      kind: MethodKind.Unary,
    },
    noSuchMethod: {
      name: 'NoSuchMethod',
      I: robotApi.GetOperationsRequest,
      O: robotApi.GetOperationsResponse,
      kind: MethodKind.Unary,
    },
  },
} as const;

/** the gRPC code as the call log records it (a plain number) */
const UNAVAILABLE: number = Code.Unavailable;

let sim: RunningSim;
let pages: PageServer;

test.beforeAll(async () => {
  [sim, pages] = await Promise.all([startTestSim(), startPageServer()]);
});

test.afterAll(async () => {
  await Promise.all([sim.close(), pages.close()]);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.client?.disconnect()).catch(() => undefined);
  await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
});

function transport() {
  return createGrpcWebTransport({ baseUrl: sim.url, httpVersion: '1.1' });
}

async function token(): Promise<string> {
  const auth = createClient(AuthService, transport());
  const res = await auth.authenticate({
    entity: sim.apiKeyId,
    credentials: { type: 'api-key', payload: sim.apiKey },
  });
  return res.accessToken;
}

async function codeOf(p: Promise<unknown>): Promise<Code | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

test('a direct RobotClient().dial to http://localhost:PORT works over gRPC-web', async ({ page }) => {
  await openHarness(page, pages.url);
  const result = await page.evaluate(async ({ url, id, key }) => {
    const client = new window.viam.RobotClient();
    await client.dial({
      host: url,
      credentials: { type: 'api-key', authEntity: id, payload: key },
      noReconnect: true,
    });
    window.client = client;
    const resources = await client.resourceNames();
    return { resources: resources.length };
  }, dialArgs(sim));
  expect(result.resources).toBeGreaterThan(0);
  const calls = await fetchCalls(sim);
  const rn = calls.filter((c) => c.method === '/viam.robot.v1.RobotService/ResourceNames');
  expect(rn.length).toBeGreaterThan(0);
  expect(rn.every((c) => c.transport === 'grpc-web' && c.code === 0)).toBe(true);
});

test('auth: wrong key, missing bearer, spoofed transport header, unknown rpc-host', async () => {
  const auth = createClient(AuthService, transport());
  expect(
    await codeOf(
      auth.authenticate({ entity: sim.apiKeyId, credentials: { type: 'api-key', payload: 'nope' } }),
    ),
  ).toBe(Code.PermissionDenied);
  expect(
    await codeOf(
      auth.authenticate({ entity: 'someone-else', credentials: { type: 'api-key', payload: sim.apiKey } }),
    ),
  ).toBe(Code.PermissionDenied);

  const robot = createClient(RobotOps, transport());
  expect(await codeOf(robot.getOperations({}))).toBe(Code.Unauthenticated);
  // x-sim-* headers from outside are stripped: claiming to be the data channel does not skip auth.
  expect(await codeOf(robot.getOperations({}, { headers: { 'x-sim-transport': 'webrtc' } }))).toBe(
    Code.Unauthenticated,
  );
  expect(
    await codeOf(robot.getOperations({}, { headers: { authorization: 'Bearer forged.token.here' } })),
  ).toBe(Code.Unauthenticated);
  const bearer = { authorization: `Bearer ${await token()}` };
  expect(await codeOf(robot.getOperations({}, { headers: bearer }))).toBe('ok');
  expect(await codeOf(robot.noSuchMethod({}, { headers: bearer }))).toBe(Code.Unimplemented);

  const signaling = createClient(SignalingService, transport());
  expect(await codeOf(signaling.optionalWebRTCConfig({}, { headers: { 'rpc-host': sim.hostname } }))).toBe(
    Code.Unauthenticated,
  );
  expect(
    await codeOf(
      signaling.optionalWebRTCConfig({}, { headers: { ...bearer, 'rpc-host': 'other-machine.local' } }),
    ),
  ).toBe(Code.NotFound);
  const config = await signaling.optionalWebRTCConfig(
    {},
    { headers: { ...bearer, 'rpc-host': sim.hostname } },
  );
  expect(config.config?.disableTrickle).toBe(false);
});

test('CORS: preflight and responses allow a credentialed cross-origin caller', async () => {
  const origin = 'http://localhost:5999';
  const pre = await fetch(`${sim.url}/proto.rpc.v1.AuthService/Authenticate`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-grpc-web,authorization,rpc-host,x-user-agent',
    },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
  expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
  expect(pre.headers.get('access-control-allow-headers')).toContain('rpc-host');
  const res = await fetch(`${sim.url}/__sim/peers`, { headers: { origin } });
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-expose-headers')).toContain('grpc-status-details-bin');
});

test('faults: injected errors and latency, then cleared', async () => {
  const robot = createClient(RobotOps, transport());
  const headers = { authorization: `Bearer ${await token()}` };
  const post = (body: object) =>
    fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  expect((await post({ method: 'GetOperations', latencyMs: -5 })).status).toBe(400);
  expect(
    (await post({ method: 'GetOperations', errorCode: Code.Unavailable, errorMessage: 'injected outage' }))
      .status,
  ).toBe(200);
  const err = await robot.getOperations({}, { headers }).catch((e: unknown) => ConnectError.from(e));
  expect(err).toBeInstanceOf(ConnectError);
  expect((err as ConnectError).code).toBe(Code.Unavailable);
  expect((err as ConnectError).rawMessage).toBe('injected outage');

  await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
  expect((await post({ method: '/viam.robot.v1.RobotService/GetOperations', latencyMs: 250 })).status).toBe(
    200,
  );
  const t0 = performance.now();
  await robot.getOperations({}, { headers });
  expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
  const listed = (await (await fetch(`${sim.url}/__sim/faults`)).json()) as { faults: unknown[] };
  expect(listed.faults).toHaveLength(1);

  await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
  const t1 = performance.now();
  await robot.getOperations({}, { headers });
  expect(performance.now() - t1).toBeLessThan(200);
  const calls = await fetchCalls(sim);
  expect(calls.some((c) => c.method.endsWith('/GetOperations') && c.code === UNAVAILABLE)).toBe(true);
});

test('faults apply on the data channel too', async ({ page }) => {
  await openHarness(page, pages.url);
  await dialWebRTC(page, dialArgs(sim));
  await fetch(`${sim.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      method: 'ResourceNames',
      errorCode: Code.Internal,
      errorMessage: 'broken on purpose',
    }),
  });
  const message = await page.evaluate(async () => {
    try {
      await window.client?.resourceNames();
      return 'resolved';
    } catch (err) {
      return String(err);
    }
  });
  expect(message).toContain('broken on purpose');
});

test('drop-peers and offline: connections go away, then the sim comes back', async ({ page }) => {
  await openHarness(page, pages.url);
  await dialWebRTC(page, dialArgs(sim));
  expect(sim.livePeers()).toBeGreaterThan(0);
  const dropped = (await (await fetch(`${sim.url}/__sim/drop-peers`, { method: 'POST' })).json()) as {
    dropped: number;
  };
  expect(dropped.dropped).toBeGreaterThan(0);
  expect(sim.livePeers()).toBe(0);
  await expect.poll(() => page.evaluate(() => window.client?.isConnected()), { timeout: 10_000 }).toBe(false);

  const robot = createClient(RobotOps, transport());
  const headers = { authorization: `Bearer ${await token()}` };
  const off = await fetch(`${sim.url}/__sim/offline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ms: 600 }),
  });
  expect(off.status).toBe(200);
  expect(await codeOf(robot.getOperations({}, { headers }))).not.toBe('ok');
  const peers = (await (await fetch(`${sim.url}/__sim/peers`)).json()) as { offline: boolean };
  expect(peers.offline).toBe(true); // control routes keep answering while offline
  await new Promise((r) => setTimeout(r, 700));
  expect(await codeOf(robot.getOperations({}, { headers }))).toBe('ok');
  await dialWebRTC(page, dialArgs(sim));
  expect(await page.evaluate(() => window.client?.isConnected())).toBe(true);
});

test('unknown /__sim/ routes answer 404 JSON', async () => {
  const res = await fetch(`${sim.url}/__sim/no-such-route`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: string }).error).toContain('no-such-route');
});
