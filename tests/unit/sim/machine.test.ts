import { Code, ConnectError } from '@connectrpc/connect';
import { robotApi, Struct } from '@viamrobotics/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as D from '../../sim/machine/descriptors.ts';
import { headers, startSim, type Harness } from './helpers.ts';

async function codeOf(p: Promise<unknown>): Promise<Code | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

let h: Harness;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  h = startSim();
});

afterEach(() => {
  h.sim.dispose();
  vi.useRealTimers();
});

describe('machine lifecycle', () => {
  it('reports INITIALIZING, then RUNNING with every resource READY', async () => {
    const robot = h.client(D.RobotService);
    const first = await robot.getMachineStatus({});
    expect(first.state).toBe(robotApi.GetMachineStatusResponse_State.INITIALIZING);
    expect(first.resources.some((r) => r.state === robotApi.ResourceStatus_State.CONFIGURING)).toBe(true);
    await vi.advanceTimersByTimeAsync(1600);
    const later = await robot.getMachineStatus({});
    expect(later.state).toBe(robotApi.GetMachineStatusResponse_State.RUNNING);
    expect(later.resources.every((r) => r.state === robotApi.ResourceStatus_State.READY)).toBe(true);
    expect(later.config?.revision).toBe('rev-1');
  });

  it('lists components, services and the modular widget in ResourceNames', async () => {
    const { resources } = await h.client(D.RobotService).resourceNames({});
    const widget = resources.find((r) => r.name === 'widget');
    expect(widget).toMatchObject({ namespace: 'acme', type: 'component', subtype: 'widget' });
    expect(resources.find((r) => r.name === 'detector')).toMatchObject({
      type: 'service',
      subtype: 'vision',
    });
    expect(resources.find((r) => r.name === 'builtin')).toMatchObject({ type: 'service', subtype: 'motion' });
    expect(resources.filter((r) => r.type === 'component').length).toBeGreaterThanOrEqual(18);
  });

  it('answers version and cloud metadata', async () => {
    const robot = h.client(D.RobotService);
    expect(await robot.getVersion({})).toMatchObject({ platform: 'rdk' });
    expect((await robot.getCloudMetadata({})).machineId).toBe(h.sim.machineId);
  });
});

describe('motors', () => {
  it('integrates SetPower into position and stops', async () => {
    const motor = h.client(D.MotorService);
    await motor.setPower({ name: 'left-motor', powerPct: 0.5 }); // 100 rpm of 200
    await vi.advanceTimersByTimeAsync(3000);
    const { position } = await motor.getPosition({ name: 'left-motor' });
    expect(position).toBeCloseTo(5, 5);
    expect((await motor.isPowered({ name: 'left-motor' })).powerPct).toBeCloseTo(0.5);
    await motor.stop({ name: 'left-motor' });
    await vi.advanceTimersByTimeAsync(1000);
    expect((await motor.getPosition({ name: 'left-motor' })).position).toBeCloseTo(5, 5);
    expect((await motor.isMoving({ name: 'left-motor' })).isMoving).toBe(false);
  });

  it('blocks GoFor until the revolutions are done, listed as an operation meanwhile', async () => {
    const motor = h.client(D.MotorService);
    const robot = h.client(D.RobotService);
    let finished = false;
    const call = motor.goFor({ name: 'right-motor', rpm: 60, revolutions: 2 }).then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(finished).toBe(false);
    const { operations } = await robot.getOperations({});
    expect(operations.map((o) => o.method)).toContain('/viam.component.motor.v1.MotorService/GoFor');
    await vi.advanceTimersByTimeAsync(1100);
    await call;
    expect((await motor.getPosition({ name: 'right-motor' })).position).toBeCloseTo(2, 6);
    // the encoder mirrors it
    const enc = await h.client(D.EncoderService).getPosition({ name: 'right-encoder' });
    expect(enc.value).toBe(2048);
  });

  it('CancelOperation stops the motor and fails the call with Canceled', async () => {
    const motor = h.client(D.MotorService);
    const robot = h.client(D.RobotService);
    const call = codeOf(motor.goTo({ name: 'left-motor', rpm: 30, positionRevolutions: 10 }));
    await vi.advanceTimersByTimeAsync(500);
    const [op] = (await robot.getOperations({})).operations;
    expect(op).toBeDefined();
    await robot.cancelOperation({ id: op?.id ?? '' });
    expect(await call).toBe(Code.Canceled);
    expect((await motor.isMoving({ name: 'left-motor' })).isMoving).toBe(false);
  });

  it('rejects bad arguments and unknown names', async () => {
    const motor = h.client(D.MotorService);
    expect(await codeOf(motor.setPower({ name: 'left-motor', powerPct: Number.NaN }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(motor.setPower({ name: 'left-motor', powerPct: 1.5 }))).toBe(Code.InvalidArgument);
    expect(await codeOf(motor.goFor({ name: 'left-motor', rpm: 0, revolutions: 3 }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(motor.setPower({ name: 'no-such-motor', powerPct: 0.1 }))).toBe(Code.NotFound);
    // a name of another API is not a motor
    expect(await codeOf(motor.setPower({ name: 'base', powerPct: 0.1 }))).toBe(Code.NotFound);
  });
});

describe('base, StopAll and other actuators', () => {
  it('drives the pose and its wheel motors; StopAll stops everything', async () => {
    const base = h.client(D.BaseService);
    const robot = h.client(D.RobotService);
    await base.setPower({ name: 'base', linear: { y: 0.5 }, angular: {} }); // 250 mm/s
    await vi.advanceTimersByTimeAsync(2000);
    const pose = (
      await base.doCommand({ name: 'base', command: structOf({ command: 'get_pose' }) })
    ).result?.toJson();
    expect(pose).toMatchObject({ x_mm: 0 });
    expect((pose as { y_mm: number }).y_mm).toBeCloseTo(500, 3);
    expect((await h.client(D.MotorService).isMoving({ name: 'left-motor' })).isMoving).toBe(true);
    void h
      .client(D.ArmService)
      .moveToJointPositions({ name: 'arm', positions: { values: [10, -80, 80, -90, -90, 0] } });
    await vi.advanceTimersByTimeAsync(10);
    expect((await h.client(D.ArmService).isMoving({ name: 'arm' })).isMoving).toBe(true);
    await robot.stopAll({});
    expect((await base.isMoving({ name: 'base' })).isMoving).toBe(false);
    expect((await h.client(D.ArmService).isMoving({ name: 'arm' })).isMoving).toBe(false);
    expect((await h.client(D.MotorService).isMoving({ name: 'left-motor' })).isMoving).toBe(false);
    const state = (await h.sim.handleControl('GET', 'state', undefined))?.body as {
      resources: Record<string, { physical: { is_moving?: boolean } }>;
    };
    expect(state.resources['rdk:component:base/base']?.physical.is_moving).toBe(false);
  });

  it('spins by the requested angle and the movement sensor follows', async () => {
    const base = h.client(D.BaseService);
    const spin = base.spin({ name: 'base', angleDeg: 90, degsPerSec: 45 });
    await vi.advanceTimersByTimeAsync(2100);
    await spin;
    const ms = h.client(D.MovementSensorService);
    expect((await ms.getCompassHeading({ name: 'gps-imu' })).value).toBeCloseTo(270, 6);
    expect((await ms.getOrientation({ name: 'gps-imu' })).orientation?.theta).toBeCloseTo(90, 6);
  });

  it('moves the arm to a pose it reports (inverse kinematics round trip)', async () => {
    const arm = h.client(D.ArmService);
    const start = (await arm.getEndPosition({ name: 'arm' })).pose;
    if (!start) throw new Error('no pose');
    const target = {
      x: start.x + 50,
      y: start.y,
      z: start.z - 40,
      oX: start.oX,
      oY: start.oY,
      oZ: start.oZ,
      theta: start.theta,
    };
    const move = arm.moveToPosition({ name: 'arm', to: target });
    await vi.advanceTimersByTimeAsync(20_000);
    await move;
    const end = (await arm.getEndPosition({ name: 'arm' })).pose;
    expect(end?.x).toBeCloseTo(target.x, 0);
    expect(end?.z).toBeCloseTo(target.z, 0);
    expect(end?.oZ).toBeCloseTo(target.oZ, 2);
  });
});

function structOf(obj: Record<string, string>): Struct {
  return Struct.fromJson(obj);
}

describe('sessions', () => {
  it('stops what an expired session moved, logs it, and rejects its id afterwards', async () => {
    const robot = h.client(D.RobotService);
    const base = h.client(D.BaseService);
    const motor = h.client(D.MotorService);
    const { id, heartbeatWindow } = await robot.startSession({}, headers(undefined, 'webrtc'));
    expect(Number(heartbeatWindow?.seconds)).toBe(2);
    await base.setPower({ name: 'base', linear: { y: 0.4 }, angular: {} }, headers(id));
    // A gantry moved without the session is not the session's to stop.
    void h
      .client(D.GantryService)
      .moveToPosition({ name: 'gantry', positionsMm: [900, 0, 0], speedsMmPerSec: [] }, headers());
    await h.client(D.ServoService).move({ name: 'pan-servo', angleDeg: 90 }, headers());
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(400);
      await robot.sendSessionHeartbeat({ id });
    }
    expect((await base.isMoving({ name: 'base' })).isMoving).toBe(true);
    // Heartbeats stop: within the window (plus the check interval) the base stops.
    await vi.advanceTimersByTimeAsync(2100);
    expect((await base.isMoving({ name: 'base' })).isMoving).toBe(false);
    expect((await h.client(D.GantryService).isMoving({ name: 'gantry' })).isMoving).toBe(true);
    // the base's wheels stop with it
    expect((await motor.isMoving({ name: 'left-motor' })).isMoving).toBe(false);
    const { calls } = (await h.sim.handleControl('GET', 'calls', undefined))?.body as {
      calls: { method: string; sessionId?: string; transport: string }[];
    };
    expect(calls).toContainEqual(
      expect.objectContaining({ method: 'session-expired:stop base', sessionId: id, transport: 'webrtc' }),
    );
    const err = await robot.sendSessionHeartbeat({ id }).catch((e: unknown) => ConnectError.from(e));
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toBe('SESSION_EXPIRED');
    expect(await codeOf(base.setPower({ name: 'base', linear: { y: 0.1 }, angular: {} }, headers(id)))).toBe(
      Code.InvalidArgument,
    );
  });

  it('resumes a live session and refuses malformed ids', async () => {
    const robot = h.client(D.RobotService);
    const { id } = await robot.startSession({});
    expect((await robot.startSession({ resume: id })).id).toBe(id);
    expect((await robot.getSessions({})).sessions.map((s) => s.id)).toEqual([id]);
    expect(await codeOf(robot.sendSessionHeartbeat({ id: 'nope' }))).toBe(Code.Unknown);
    const fresh = await robot.startSession({ resume: '00000000-0000-4000-8000-000000000000' });
    expect(fresh.id).not.toBe('00000000-0000-4000-8000-000000000000');
  });
});

describe('control routes', () => {
  it('reconfigure bumps the revision, adds (CONFIGURING first) and removes', async () => {
    await vi.advanceTimersByTimeAsync(1600);
    const res = await h.sim.handleControl('POST', 'reconfigure', {
      add: [
        {
          name: 'extra-motor',
          api: 'rdk:component:motor',
          model: 'rdk:builtin:fake',
          attributes: { max_rpm: 60 },
        },
      ],
      remove: ['lights'],
    });
    expect(res?.status).toBe(200);
    const robot = h.client(D.RobotService);
    const status = await robot.getMachineStatus({});
    expect(status.config?.revision).toBe('rev-2');
    const added = status.resources.find((r) => r.name?.name === 'extra-motor');
    expect(added?.state).toBe(robotApi.ResourceStatus_State.CONFIGURING);
    expect(added?.revision).toBe('rev-2');
    expect(status.resources.find((r) => r.name?.name === 'lights')?.state).toBe(
      robotApi.ResourceStatus_State.REMOVING,
    );
    expect(await codeOf(h.client(D.SwitchService).getPosition({ name: 'lights' }))).toBe(Code.NotFound);
    await vi.advanceTimersByTimeAsync(1100);
    const after = await robot.getMachineStatus({});
    expect(after.resources.find((r) => r.name?.name === 'extra-motor')?.state).toBe(
      robotApi.ResourceStatus_State.READY,
    );
    expect(after.resources.find((r) => r.name?.name === 'lights')).toBeUndefined();
    expect((await robot.resourceNames({})).resources.some((r) => r.name === 'extra-motor')).toBe(true);
  });

  it('validates reconfigure bodies', async () => {
    expect((await h.sim.handleControl('POST', 'reconfigure', { add: 'x' }))?.status).toBe(400);
    expect(
      (
        await h.sim.handleControl('POST', 'reconfigure', {
          add: [{ name: 'bad name!', api: 'rdk:component:motor' }],
        })
      )?.status,
    ).toBe(400);
    expect((await h.sim.handleControl('POST', 'reconfigure', { remove: ['ghost'] }))?.status).toBe(400);
    expect((await h.sim.handleControl('POST', 'reconfigure', '{not json'))?.status).toBe(400);
    expect((await h.sim.handleControl('POST', 'reconfigure', [1, 2]))?.status).toBe(400);
    expect(await h.sim.handleControl('GET', 'nothing-here', undefined)).toBeUndefined();
  });

  it('marks a resource unhealthy in GetMachineStatus and fails its calls, then heals it', async () => {
    await vi.advanceTimersByTimeAsync(1600);
    const res = await h.sim.handleControl('POST', 'resources/unhealthy', {
      name: 'cam',
      error: 'usb disconnected',
    });
    expect(res?.status).toBe(200);
    const robot = h.client(D.RobotService);
    const cam = (await robot.getMachineStatus({})).resources.find((r) => r.name?.name === 'cam');
    expect(cam?.state).toBe(robotApi.ResourceStatus_State.UNHEALTHY);
    expect(cam?.error).toBe('usb disconnected');
    const err = await h
      .client(D.CameraService)
      .getImages({ name: 'cam' })
      .catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).rawMessage).toContain('usb disconnected');
    expect(
      (await h.sim.handleControl('POST', 'resources/unhealthy', { name: 'ghost', error: 'x' }))?.status,
    ).toBe(404);
    expect((await h.sim.handleControl('POST', 'resources/unhealthy', { error: 'x' }))?.status).toBe(400);
    await h.sim.handleControl('POST', 'resources/healthy', { name: 'cam' });
    expect((await h.client(D.CameraService).getImages({ name: 'cam' })).images).toHaveLength(1);
  });

  it('keeps a bounded call log with since= filtering and reset', async () => {
    h.sim.logCall({ method: '/a', transport: 'grpc-web', summary: '', code: 0, durationMs: 1 });
    await vi.advanceTimersByTimeAsync(10);
    const mid = Date.now();
    await vi.advanceTimersByTimeAsync(10);
    h.sim.logCall({ method: '/b', transport: 'webrtc', sessionId: 's', summary: '', code: 0, durationMs: 1 });
    const all = (await h.sim.handleControl('GET', 'calls', undefined))?.body as {
      calls: { method: string; t: number }[];
    };
    expect(all.calls.map((c) => c.method)).toEqual(['/a', '/b']);
    const since = (await h.sim.handleControl('GET', 'calls', { since: String(mid) }))?.body as {
      calls: { method: string }[];
    };
    expect(since.calls.map((c) => c.method)).toEqual(['/b']);
    expect((await h.sim.handleControl('GET', `calls?since=${mid}`, undefined))?.body).toEqual(since);
    expect((await h.sim.handleControl('GET', 'calls', { since: 'abc' }))?.status).toBe(400);
    await h.sim.handleControl('DELETE', 'calls', undefined);
    expect(
      ((await h.sim.handleControl('GET', 'calls', undefined))?.body as { calls: unknown[] }).calls,
    ).toEqual([]);
    for (let i = 0; i < 6000; i++)
      h.sim.logCall({ method: `/m${i}`, transport: 'webrtc', summary: '', code: 0, durationMs: 0 });
    const bounded = (await h.sim.handleControl('GET', 'calls', undefined))?.body as {
      calls: { method: string }[];
    };
    expect(bounded.calls).toHaveLength(5000);
    expect(bounded.calls[0]?.method).toBe('/m1000');
  });
});

describe('unknown APIs and unimplemented methods', () => {
  it('serves the widget on its own API only', async () => {
    const widgetSvc = D.moduleServiceDescriptor('acme', 'component', 'widget');
    const res = await h
      .client(widgetSvc)
      .doCommand({ name: 'widget', command: structOf({ command: 'ping' }) });
    expect(res.result?.toJson()).toMatchObject({ pong: true });
    expect(
      await codeOf(h.client(D.GenericComponentService).doCommand({ name: 'widget', command: structOf({}) })),
    ).toBe(Code.NotFound);
    const echo = await h
      .client(D.GenericComponentService)
      .doCommand({ name: 'beeper', command: structOf({ hello: 'world' }) });
    expect(echo.result?.toJson()).toEqual({ hello: 'world' });
    const subtypes = await h.client(D.RobotService).resourceRPCSubtypes({});
    expect(subtypes.resourceRpcSubtypes.find((s) => s.subtype?.subtype === 'widget')?.protoService).toBe(
      widgetSvc.typeName,
    );
  });

  it('answers Unimplemented for what the machine does not do', async () => {
    expect(await codeOf(h.client(D.CameraService).getPointCloud({ name: 'cam' }))).toBe(Code.Unimplemented);
    const GetStatusOnly = {
      typeName: 'viam.robot.v1.RobotService',
      methods: {
        getStatus: {
          name: 'GetStatus',
          I: robotApi.GetStatusRequest,
          O: robotApi.GetStatusResponse,
          kind: 0 as const,
        },
      },
    } as const;
    expect(await codeOf(h.client(GetStatusOnly).getStatus({}))).toBe(Code.Unimplemented);
  });
});
