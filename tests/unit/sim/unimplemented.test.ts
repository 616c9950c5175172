/** The simulated machine's older-server, bare and partial-model modes, through its interceptor. */
import type { ServiceType } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, createRouterTransport, type Client } from '@connectrpc/connect';
import { Struct } from '@viamrobotics/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import * as D from '../../sim/machine/descriptors.ts';
import {
  ConfigError,
  createMachine,
  loadConfig,
  parseMachineConfig,
  type MachineConfig,
  type SimMachine,
} from '../../sim/machine/index.ts';

let sim: SimMachine | undefined;
afterEach(() => sim?.dispose());

function serve(config: MachineConfig) {
  const machine = createMachine({ config, heartbeatWindowMs: 2000 });
  sim = machine;
  const transport = createRouterTransport((router) => machine.registerServices(router), {
    router: { interceptors: [...(machine.interceptors ?? [])] },
  });
  return <T extends ServiceType>(service: T): Client<T> => createClient(service, transport);
}

async function failure(p: Promise<unknown>): Promise<{ code: Code; message: string } | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    const e = ConnectError.from(err);
    return { code: e.code, message: e.rawMessage };
  }
}

const rover = (sim: MachineConfig['sim'] = {}): MachineConfig => {
  const base = loadConfig();
  return { ...base, sim: { ...base.sim, ...sim } };
};

describe('older viam-server', () => {
  it('lacks status, sessions and cloud metadata, in grpc-go’s words; the rest answers', async () => {
    const client = serve(rover({ old_server: true }));
    const robot = client(D.RobotService);
    expect(await failure(robot.getMachineStatus({}))).toEqual({
      code: Code.Unimplemented,
      message: 'unknown method GetMachineStatus for service viam.robot.v1.RobotService',
    });
    expect((await failure(robot.startSession({})))?.message).toBe(
      'unknown method StartSession for service viam.robot.v1.RobotService',
    );
    expect((await failure(robot.sendSessionHeartbeat({ id: crypto.randomUUID() })))?.code).toBe(
      Code.Unimplemented,
    );
    expect((await failure(robot.getCloudMetadata({})))?.code).toBe(Code.Unimplemented);
    expect((await robot.resourceNames({})).resources.length).toBeGreaterThan(10);
    expect(await robot.getVersion({})).toMatchObject({ platform: 'rdk' });
    expect(await client(D.MotorService).isMoving({ name: 'left-motor' })).toMatchObject({ isMoving: false });
  });

  it('says the bare "Unimplemented" viam-server’s foreignServiceHandler sends, when told to', async () => {
    const robot = serve(rover({ old_server: true, unimplemented_wording: 'rdk' }))(D.RobotService);
    expect(await failure(robot.getMachineStatus({}))).toEqual({
      code: Code.Unimplemented,
      message: 'Unimplemented',
    });
  });

  it('the default rover lacks nothing', async () => {
    const client = serve(loadConfig());
    const robot = client(D.RobotService);
    expect((await robot.getMachineStatus({})).resources.length).toBeGreaterThan(10);
    expect((await robot.startSession({})).id).not.toBe('');
    expect(await client(D.MotorService).getProperties({ name: 'left-motor' })).toMatchObject({
      positionReporting: true,
    });
  });
});

describe('a machine at its barest', () => {
  it('answers only ResourceNames and GetOperations', async () => {
    const client = serve(rover({ all_unimplemented: true }));
    const robot = client(D.RobotService);
    expect((await robot.resourceNames({})).resources.length).toBeGreaterThan(10);
    expect(await robot.getOperations({})).toMatchObject({ operations: [] });
    expect((await failure(robot.getVersion({})))?.message).toBe(
      'unknown method GetVersion for service viam.robot.v1.RobotService',
    );
    expect((await failure(robot.resourceRPCSubtypes({})))?.code).toBe(Code.Unimplemented);
    expect(await failure(client(D.MotorService).isMoving({ name: 'left-motor' }))).toEqual({
      code: Code.Unimplemented,
      message: 'unknown service viam.component.motor.v1.MotorService',
    });
    expect(
      (await failure(client(D.GenericComponentService).doCommand({ name: 'beeper', command: new Struct() })))
        ?.code,
    ).toBe(Code.Unimplemented);
  });
});

describe('partial models', () => {
  const partial = (): MachineConfig =>
    parseMachineConfig({
      components: [
        {
          name: 'm',
          api: 'rdk:component:motor',
          model: 'acme:motors:cheap',
          unimplemented: ['GoTo', 'GetPosition'],
        },
        { name: 'full', api: 'rdk:component:motor', model: 'rdk:builtin:fake' },
        {
          name: 'b',
          api: 'rdk:component:board',
          model: 'acme:boards:gpio-only',
          unimplemented: ['/viam.component.board.v1.BoardService/ReadAnalogReader'],
          attributes: { analogs: [{ name: 'a1', pin: '1' }] },
        },
      ],
    });

  it('the methods a resource lists answer like a module’s generated stub; its others and its peers work', async () => {
    const client = serve(partial());
    const motor = client(D.MotorService);
    expect(await failure(motor.goTo({ name: 'm', rpm: 10, positionRevolutions: 1 }))).toEqual({
      code: Code.Unimplemented,
      message: 'method GoTo not implemented',
    });
    expect((await failure(motor.getPosition({ name: 'm' })))?.message).toBe(
      'method GetPosition not implemented',
    );
    expect(await motor.getProperties({ name: 'm' })).toMatchObject({ positionReporting: false });
    expect(await motor.isMoving({ name: 'm' })).toMatchObject({ isMoving: false });
    expect(typeof (await motor.getPosition({ name: 'full' })).position).toBe('number');
    const board = client(D.BoardService);
    expect((await failure(board.readAnalogReader({ boardName: 'b', analogReaderName: 'a1' })))?.message).toBe(
      'method ReadAnalogReader not implemented',
    );
    expect(await board.getGPIO({ name: 'b', pin: '7' })).toMatchObject({ high: false });
  });

  it('refuses a malformed list', () => {
    expect(() =>
      parseMachineConfig({ components: [{ name: 'x', api: 'rdk:component:motor', unimplemented: 'GoTo' }] }),
    ).toThrow(ConfigError);
    expect(() =>
      parseMachineConfig({
        components: [{ name: 'x', api: 'rdk:component:motor', unimplemented: ['<script>'] }],
      }),
    ).toThrow(ConfigError);
    expect(() => parseMachineConfig({ sim: { unimplemented_wording: 'loud' } })).toThrow(ConfigError);
  });
});

describe('APIs the SDK knows but the console has no card for', () => {
  it('serve DoCommand on their own proto services', async () => {
    const config = parseMachineConfig({
      components: [{ name: 'mic', api: 'rdk:component:audio_in', model: 'rdk:builtin:fake' }],
      services: [
        { name: 'nav', api: 'rdk:service:navigation', model: 'rdk:builtin:fake' },
        { name: 'slam', api: 'rdk:service:slam', model: 'rdk:builtin:fake' },
        { name: 'ml', api: 'rdk:service:mlmodel', model: 'rdk:builtin:fake' },
        { name: 'planner', api: 'acme:service:planner', model: 'acme:demo:planner' },
      ],
    });
    const client = serve(config);
    for (const [desc, name] of [
      [D.DO_COMMAND_ONLY_SERVICES['rdk:component:audio_in'], 'mic'],
      [D.DO_COMMAND_ONLY_SERVICES['rdk:service:navigation'], 'nav'],
      [D.DO_COMMAND_ONLY_SERVICES['rdk:service:slam'], 'slam'],
      [D.DO_COMMAND_ONLY_SERVICES['rdk:service:mlmodel'], 'ml'],
      [D.moduleServiceDescriptor('acme', 'service', 'planner'), 'planner'],
    ] as const) {
      const res = await client(desc).doCommand({ name, command: Struct.fromJson({ hello: name }) });
      expect(res.result?.toJson()).toEqual({ hello: name });
    }
    const subtypes = await client(D.RobotService).resourceRPCSubtypes({});
    expect(subtypes.resourceRpcSubtypes.find((s) => s.subtype?.subtype === 'slam')?.protoService).toBe(
      'viam.service.slam.v1.SLAMService',
    );
  });
});
