/**
 * Simulated machine logs through the SDK's own AppClient: what viam-server would log (boot,
 * reconfigure, health, session expiry, faults, a slow background), GetRobotPartLogs paging and
 * filters, TailRobotPartLogs, GetRobotPartHistory, the bounds, hostile lines, and scopes.
 */
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { appApi, commonApi, type ViamClient } from '@viamrobotics/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppService,
  DEFAULT_USER_TOKEN,
  FLEET_API_KEYS,
  FLEET_MACHINES,
  FLEET_USERS,
  ROVER,
  startCloud,
  type RunningCloud,
} from '../../sim/cloud/index.ts';
import { LOG_CAPACITY } from '../../sim/cloud/logs.ts';
import * as D from '../../sim/machine/descriptors.ts';
import { codeOf, control, grpcWeb, headers, keyBearer, keyClient, userClient } from './cloud-helpers.ts';

const { armCell, forklift } = FLEET_MACHINES;
const ARM_PART = 'b2d4f6a8-1c3e-4f5a-9b7d-2c4e6a8b0d1f';
const FORKLIFT_PART = 'a7c9e1b3-5b7d-4e9f-8a1c-6b8d0f2a4c6e';

let cloud: RunningCloud;
let operator: ViamClient;
/** the cloud's clock runs this far ahead of the wall clock */
let offset = 0;

beforeAll(async () => {
  cloud = await startCloud({ port: 0, heartbeatWindowMs: 300, now: () => Date.now() + offset });
  operator = await userClient(cloud.url, DEFAULT_USER_TOKEN);
});

afterAll(async () => {
  await cloud.close();
});

const inject = (machine: string, body: object) =>
  control<{ injected: number; stored: number }>(cloud.url, 'POST', `machines/${machine}/logs`, body);

const messages = (logs: commonApi.LogEntry[]) => logs.map((l) => l.message);

/** Every page of a part's logs, newest first. */
async function allPages(partId: string, filter?: string, levels?: string[]): Promise<commonApi.LogEntry[]> {
  const out: commonApi.LogEntry[] = [];
  let token = '';
  for (let i = 0; i < 400; i++) {
    const page = await operator.appClient.getRobotPartLogs(partId, filter, levels, token);
    out.push(...page.logs);
    if (page.nextPageToken === '') return out;
    token = page.nextPageToken;
  }
  throw new Error('paging never ended');
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('what the machine logs', () => {
  it('boot lines shaped as viam-server uploads them: level, logger, caller, zap fields', async () => {
    const logs = await allPages(ROVER.partId);
    const rdk = logs.find((l) => l.message === 'Viam RDK');
    expect(rdk).toMatchObject({ level: 'info', loggerName: 'rdk', host: 'sim-rover-main' });
    expect(rdk?.caller?.toJson()).toMatchObject({ Defined: true, File: 'web/server/entrypoint.go' });
    expect(rdk?.fields.map((f) => f.toJson())).toContainEqual({
      Key: 'version',
      Type: 15,
      Integer: 0,
      String: 'v0.89.0',
      Interface: null,
    });
    const configured = logs.filter((l) => l.message === 'Now configuring resource');
    expect(configured.length).toBeGreaterThanOrEqual(19);
    // Newest first.
    const times = logs.map((l) => l.time?.toDate().getTime() ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('a slow background of routine lines while online, none while offline', async () => {
    const before = (await allPages(ARM_PART)).length;
    offset += 120_000;
    const after = await allPages(ARM_PART);
    const added = after.length - before;
    // one line every 2 to 6 s
    expect(added).toBeGreaterThanOrEqual(20);
    expect(added).toBeLessThanOrEqual(60);
    const levels = new Set(after.map((l) => l.level));
    expect(levels.has('debug') || levels.has('info')).toBe(true);
    expect(new Set(after.map((l) => l.loggerName)).size).toBeGreaterThan(3);

    await control(cloud.url, 'POST', `machines/${armCell.machineId}/state`, { state: 'offline' });
    try {
      const off = await allPages(ARM_PART);
      expect(off[0]?.message).toContain('network unreachable');
      offset += 120_000;
      expect((await allPages(ARM_PART)).length).toBe(off.length);
    } finally {
      await control(cloud.url, 'POST', `machines/${armCell.machineId}/state`, { state: 'online' });
    }
    const back = await allPages(ARM_PART);
    expect(messages(back.slice(0, 30))).toContain('Viam RDK');
  });

  it('an offline machine has the logs of the time it ran, ending when it went away', async () => {
    const logs = await allPages(FORKLIFT_PART);
    expect(logs.length).toBeGreaterThan(300);
    expect(logs[0]?.message).toContain('network unreachable');
    const newest = logs[0]?.time?.toDate().getTime() ?? 0;
    expect(Date.now() + offset - newest).toBeGreaterThanOrEqual(3 * 3_600_000 - 1000);
    expect(logs.at(-1)?.message).toBe('Viam RDK');
    expect(cloud.machines.find((m) => m.partId === FORKLIFT_PART)?.machineId).toBe(forklift.machineId);
  });

  it('reconfigure, unhealthy and healthy again, faults injected', async () => {
    await control(cloud.url, 'POST', 'reconfigure', {
      add: [{ name: 'extra-sensor', api: 'rdk:component:sensor', model: 'rdk:builtin:fake' }],
      remove: ['beeper'],
    });
    await control(cloud.url, 'POST', 'resources/unhealthy', {
      name: 'left-motor',
      error: 'encoder wire cut',
    });
    await control(cloud.url, 'POST', 'resources/healthy', { name: 'left-motor' });
    await control(cloud.url, 'POST', 'faults', { method: 'GetReadings', latencyMs: 10 });
    await control(cloud.url, 'DELETE', 'faults');
    const logs = (await operator.appClient.getRobotPartLogs(ROVER.partId)).logs;
    const seen = logs.map((l) => `${l.level} ${l.loggerName}: ${l.message}`);
    const order = [
      'info rdk: Robot (re)configured',
      'info rdk.resource_manager: Removing resource',
      'info rdk.resource_manager: Now configuring resource',
      'error rdk.resource_manager.rdk:component:motor/left-motor: resource is unhealthy: encoder wire cut',
      'info rdk.resource_manager.rdk:component:motor/left-motor: resource is healthy again',
      'warn rdk.sim.faults: fault injected on GetReadings',
      'info rdk.sim.faults: faults cleared',
    ];
    const at = order.map((line) => seen.indexOf(line));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(seen.slice(0, 20)),
    ).toBe(true);
    // Newest first: each later event above the earlier one.
    expect([...at].sort((a, b) => b - a)).toEqual(at);
    const added = logs.find((l) => l.message === 'Now configuring resource' && l.fields.length > 0);
    expect(JSON.stringify(added?.fields.map((f) => f.toJson()))).toContain('extra-sensor');
  });

  it('a session that stops heartbeating: the expiry and the stop it caused', async () => {
    const bearer = await keyBearer(cloud.url, FLEET_API_KEYS.rover.id, FLEET_API_KEYS.rover.key);
    const robot = createClient(D.RobotService, grpcWeb(cloud.url));
    const motor = createClient(D.MotorService, grpcWeb(cloud.url));
    const session = await robot.startSession({}, headers(bearer));
    await motor.setPower(
      { name: 'right-motor', powerPct: 0.3 },
      { headers: { authorization: `Bearer ${bearer}`, 'viam-sid': session.id } },
    );
    await waitFor(async () =>
      messages((await operator.appClient.getRobotPartLogs(ROVER.partId)).logs).some((m) =>
        m.includes('right-motor after its session expired'),
      ),
    );
    const logs = (await operator.appClient.getRobotPartLogs(ROVER.partId)).logs;
    const expired = logs.find((l) => l.loggerName === 'rdk.session_manager' && l.level === 'warn');
    expect(expired?.message).toContain('session expired');
    expect(JSON.stringify(expired?.fields.map((f) => f.toJson()))).toContain(session.id);
  });
});

describe('GetRobotPartLogs', () => {
  it('pages newest first with opaque tokens, without gaps or repeats', async () => {
    await inject(armCell.machineId, { count: 250, level: 'info', message: 'paging' });
    const first = await operator.appClient.getRobotPartLogs(ARM_PART, 'paging');
    expect(first.logs).toHaveLength(100);
    expect(first.logs[0]?.message).toBe('paging #250');
    expect(first.nextPageToken).not.toBe('');
    const all = await allPages(ARM_PART, 'paging');
    expect(messages(all)).toEqual(Array.from({ length: 250 }, (_, i) => `paging #${250 - i}`));
    expect(
      await codeOf(operator.appClient.getRobotPartLogs(ARM_PART, undefined, undefined, 'garbage!')),
    ).toBe(Code.InvalidArgument);
  });

  it('filters by level and by text (case-insensitive)', async () => {
    await inject(armCell.machineId, { count: 40, level: 'mixed', message: 'Levels-Needle' });
    const errors = await allPages(ARM_PART, 'levels-needle', ['error']);
    expect(errors).toHaveLength(10);
    expect(errors.every((l) => l.level === 'error')).toBe(true);
    const warnOrError = await allPages(ARM_PART, 'LEVELS-NEEDLE', ['warn', 'error']);
    expect(warnOrError).toHaveLength(20);
    expect(await allPages(ARM_PART, 'no line says this')).toEqual([]);
  });

  it('keeps at most 20,000 lines per machine, dropping the oldest', async () => {
    const { stored } = await inject(armCell.machineId, {
      count: LOG_CAPACITY + 500,
      level: 'debug',
      message: 'bulk',
    });
    expect(stored).toBe(LOG_CAPACITY);
    // (routine lines may have been written since: ask for the injected ones)
    const newest = await operator.appClient.getRobotPartLogs(ARM_PART, 'bulk');
    expect(newest.logs[0]?.message).toBe(`bulk #${LOG_CAPACITY + 500}`);
    const state = await control<{ stored: number; bytes: number }>(
      cloud.url,
      'GET',
      `machines/${armCell.machineId}/logs`,
    );
    expect(state.stored).toBe(LOG_CAPACITY);
    await control(cloud.url, 'DELETE', `machines/${armCell.machineId}/logs`);
    expect((await operator.appClient.getRobotPartLogs(ARM_PART, 'bulk')).logs).toEqual([]);
  });

  it('hostile lines arrive intact: markup, ANSI, 100 KB, invalid UTF-8, impossible times, the key', async () => {
    await inject(armCell.machineId, { count: 12, hostile: true });
    const logs = (await operator.appClient.getRobotPartLogs(ARM_PART, undefined, undefined)).logs.slice(
      0,
      12,
    );
    const text = messages(logs).join('\n');
    expect(text).toContain('<script>alert("xss")</script>');
    expect(text).toContain('\u001b[31m');
    expect(text).toContain('invalid utf-8: \ufffd');
    expect(logs.some((l) => l.message.length === 100 * 1024)).toBe(true);
    expect(logs.some((l) => l.time !== undefined && Number.isNaN(l.time.toDate().getTime()))).toBe(true);
    expect(logs.some((l) => l.time === undefined && l.level === 'NOTALEVEL')).toBe(true);
    expect(logs.some((l) => l.fields.some((f) => Number.isNaN(f.fields['nan']?.kind.value)))).toBe(true);
    expect(text).toContain(FLEET_API_KEYS.armCell.key);
    expect(logs.some((l) => l.level === 'fatal' && l.stack.includes('goroutine 1'))).toBe(true);
  });
});

describe('GetRobotPartHistory', () => {
  it('when and by whom, newest first; a reconfigure adds an entry', async () => {
    const before = await operator.appClient.getRobotPartHistory(ARM_PART);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before[0]).toMatchObject({ part: ARM_PART, robot: armCell.machineId });
    expect(before.at(-1)?.editedBy).toMatchObject({
      type: appApi.AuthenticationType.WEB_OAUTH,
      value: 'operator@example.com',
    });
    const whens = before.map((h) => h.when?.toDate().getTime() ?? 0);
    expect([...whens].sort((a, b) => b - a)).toEqual(whens);
    await control(cloud.url, 'POST', `machines/${armCell.machineId}/reconfigure`, {
      remove: ['door-interlock'],
    });
    const after = await operator.appClient.getRobotPartHistory(ARM_PART);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]?.editedBy).toMatchObject({
      type: appApi.AuthenticationType.API_KEY,
      value: 'sim-control-api',
    });
    expect(after[0]?.old?.id).toBe(ARM_PART);
  });
});

describe('TailRobotPartLogs', () => {
  it('streams new lines only: errors by default, everything with errorsOnly false', async () => {
    const errors: commonApi.LogEntry[] = [];
    const everything: commonApi.LogEntry[] = [];
    const a = operator.appClient.tailRobotPartLogs(ARM_PART, errors).catch(() => undefined);
    const b = operator.appClient
      .tailRobotPartLogs(ARM_PART, everything, 'tail-me', false)
      .catch(() => undefined);
    await waitFor(
      async () =>
        (await control<{ open: number }>(cloud.url, 'GET', `machines/${armCell.machineId}/logs/streams`))
          .open === 2,
    );
    await inject(armCell.machineId, { count: 8, level: 'mixed', message: 'tail-me' });
    await waitFor(() => everything.length >= 8 && errors.length >= 2);
    // The 8 injected lines, in order, nothing before them and nothing else.
    const numbers = messages(everything).map((m) => Number(/^tail-me #(\d+)$/u.exec(m)?.[1]));
    const firstNumber = numbers[0] ?? NaN;
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => firstNumber + i));
    expect(errors.every((l) => l.level === 'error')).toBe(true);
    expect(errors).toHaveLength(2);
    // These SDK streams cannot be cancelled; they end with the cloud in afterAll.
    void a;
    void b;
  });

  it('a flood arrives in batches; the stream ends cleanly when the client goes away', async () => {
    const streams = () =>
      control<{ open: number }>(cloud.url, 'GET', `machines/${armCell.machineId}/logs/streams`).then(
        (s) => s.open,
      );
    // The previous test's SDK streams are still open (the SDK cannot cancel them).
    const others = await streams();
    const app = createClient(AppService, grpcWeb(cloud.url));
    const abort = new AbortController();
    const batches: number[] = [];
    const reading = (async () => {
      try {
        for await (const res of app.tailRobotPartLogs(
          { id: ARM_PART, errorsOnly: false, filter: 'flood' },
          { ...headers(DEFAULT_USER_TOKEN), signal: abort.signal },
        )) {
          batches.push(res.logs.length);
        }
      } catch (err) {
        return ConnectError.from(err).code;
      }
      return 'ended';
    })();
    await waitFor(async () => (await streams()) === others + 1);
    const t0 = Date.now();
    await inject(armCell.machineId, { count: 600, rate: 1000, level: 'info', message: 'flood' });
    await waitFor(() => batches.reduce((n, b) => n + b, 0) >= 600, 5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    const total = await control<{ open: number; machines: { machineId: string }[] }>(
      cloud.url,
      'GET',
      'cloud/logs/streams',
    );
    expect(total.open).toBeGreaterThanOrEqual(1);
    abort.abort();
    expect(await reading).toBe(Code.Canceled);
    await waitFor(async () => (await streams()) === others);
  });

  it('obeys scopes and tokens like every other call', async () => {
    const warehouse = await userClient(cloud.url, FLEET_USERS.warehouse.token);
    expect(await codeOf(warehouse.appClient.getRobotPartLogs(ROVER.partId))).toBe('ok');
    expect(await codeOf(warehouse.appClient.getRobotPartLogs(ARM_PART))).toBe(Code.PermissionDenied);
    expect(await codeOf(warehouse.appClient.getRobotPartHistory(ARM_PART))).toBe(Code.PermissionDenied);
    expect(await codeOf(warehouse.appClient.tailRobotPartLogs(ARM_PART, []))).toBe(Code.PermissionDenied);
    const roverKey = await keyClient(cloud.url, FLEET_API_KEYS.rover.id, FLEET_API_KEYS.rover.key);
    expect(await codeOf(roverKey.appClient.getRobotPartLogs(ROVER.partId))).toBe('ok');
    expect(await codeOf(roverKey.appClient.getRobotPartLogs(ARM_PART))).toBe(Code.PermissionDenied);
    const lab = await keyClient(cloud.url, FLEET_API_KEYS.lab.id, FLEET_API_KEYS.lab.key);
    expect(await codeOf(lab.appClient.getRobotPartLogs(ARM_PART))).toBe('ok');
    const expired = await userClient(cloud.url, FLEET_USERS.expired.token);
    expect(await codeOf(expired.appClient.getRobotPartLogs(ROVER.partId))).toBe(Code.Unauthenticated);
    expect(await codeOf(expired.appClient.tailRobotPartLogs(ROVER.partId, []))).toBe(Code.Unauthenticated);
    expect(await codeOf(operator.appClient.getRobotPartLogs('no-such-part'))).toBe(Code.NotFound);
  });
});
