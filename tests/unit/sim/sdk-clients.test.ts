/**
 * The SDK's own component clients against the machine: proves the descriptors and message shapes
 * agree with what @viamrobotics/sdk 0.61.1 sends and expects.
 */
import type { ServiceType } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import {
  ArmClient,
  BaseClient,
  BoardClient,
  ButtonClient,
  CameraClient,
  EncoderClient,
  GantryClient,
  GenericComponentClient,
  GenericServiceClient,
  GripperClient,
  MotorClient,
  MovementSensorClient,
  PowerSensorClient,
  SensorClient,
  ServoClient,
  Struct,
  SwitchClient,
  VisionClient,
} from '@viamrobotics/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as D from '../../sim/machine/descriptors.ts';
import { startSim, type Harness } from './helpers.ts';

let h: Harness;
/** A stand-in RobotClient: the SDK clients only need createServiceClient. */
let robot: never;
const seen: ServiceType[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  h = startSim();
  robot = {
    createServiceClient(desc: ServiceType) {
      seen.push(desc);
      return createClient(desc, h.transport);
    },
  } as never;
});

afterEach(() => {
  h.sim.dispose();
  vi.useRealTimers();
});

describe('SDK clients against the simulated machine', () => {
  it('motor, encoder and base', async () => {
    const motor = new MotorClient(robot, 'left-motor');
    await motor.setPower(0.25);
    await vi.advanceTimersByTimeAsync(1200);
    expect(await motor.getPosition()).toBeCloseTo(1, 5);
    expect(await motor.isMoving()).toBe(true);
    expect((await motor.getProperties()).positionReporting).toBe(true);
    await motor.stop();
    const enc = new EncoderClient(robot, 'left-encoder');
    expect((await enc.getPosition())[0]).toBe(1024);
    const base = new BaseClient(robot, 'base');
    expect(await base.getProperties()).toMatchObject({ widthMeters: 0.4, turningRadiusMeters: 0 });
    await base.setVelocity({ x: 0, y: 100, z: 0 }, { x: 0, y: 0, z: 0 });
    expect(await base.isMoving()).toBe(true);
    await base.stop();
  });

  it('arm, gantry, servo, gripper', async () => {
    const arm = new ArmClient(robot, 'arm');
    expect((await arm.getJointPositions()).values).toHaveLength(6);
    expect((await arm.getEndPosition()).z).toBeTypeOf('number');
    const gantry = new GantryClient(robot, 'gantry');
    expect(await gantry.getLengths()).toEqual([1000, 800, 300]);
    const servo = new ServoClient(robot, 'pan-servo');
    const moving = servo.move(120);
    await vi.advanceTimersByTimeAsync(300);
    await moving;
    expect(await servo.getPosition()).toBe(120);
    const gripper = new GripperClient(robot, 'gripper');
    const grab = gripper.grab();
    await vi.advanceTimersByTimeAsync(700);
    await grab; // 0.61.1's GripperClient.grab drops the success flag
    // ...and has no isHoldingSomething; ask the API directly.
    expect(
      (await h.client(D.GripperService).isHoldingSomething({ name: 'gripper' })).isHoldingSomething,
    ).toBe(true);
  });

  it('camera returns a PNG', async () => {
    const cam = new CameraClient(robot, 'cam');
    const { images } = await cam.getImages();
    expect(images[0]?.mimeType).toBe('image/png');
    expect([...(images[0]?.image.subarray(0, 4) ?? [])]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((await cam.getProperties()).mimeTypes).toContain('image/png');
  });

  it('sensors, board, switch, button, generic, vision', async () => {
    const readings = await new SensorClient(robot, 'env-sensor').getReadings();
    expect(readings).toHaveProperty('temperature_c');
    const ms = new MovementSensorClient(robot, 'gps-imu');
    const pos = await ms.getPosition();
    expect(pos.coordinate?.latitude).toBeCloseTo(40.7448, 3);
    expect(await ms.getProperties()).toMatchObject({ positionSupported: true });
    const battery = new PowerSensorClient(robot, 'battery');
    const [volts] = await battery.getVoltage();
    expect(volts).toBeGreaterThan(10);
    const board = new BoardClient(robot, 'local');
    await board.setGPIO('7', true);
    expect(await board.getGPIO('7')).toBe(true);
    await board.setPWM('12', 0.4);
    expect(await board.getPWM('12')).toBeCloseTo(0.4);
    expect((await board.readAnalogReader('battery-adc')).maxRange).toBeCloseTo(3.3);
    const sw = new SwitchClient(robot, 'lights');
    await sw.setPosition(2);
    expect(await sw.getPosition()).toBe(2);
    await new ButtonClient(robot, 'estop-button').push();
    expect(
      await new GenericComponentClient(robot, 'beeper').doCommand(Struct.fromJson({ command: 'ping' })),
    ).toMatchObject({ pong: true });
    expect(await new GenericServiceClient(robot, 'helper').doCommand(Struct.fromJson({ a: 1 }))).toEqual({
      a: 1,
    });
    const dets = await new VisionClient(robot, 'detector').getDetectionsFromCamera('cam');
    expect(dets[0]?.className).toBe('orange-box');
  });

  it('uses exactly the descriptors the simulator registers', () => {
    const ours: ServiceType[] = [
      D.MotorService,
      D.BaseService,
      D.ArmService,
      D.GantryService,
      D.ServoService,
      D.GripperService,
      D.CameraService,
      D.SensorService,
      D.MovementSensorService,
      D.PowerSensorService,
      D.BoardService,
      D.SwitchService,
      D.ButtonService,
      D.EncoderService,
      D.GenericComponentService,
      D.GenericServiceService,
      D.VisionService,
    ];
    const clients = [
      MotorClient,
      BaseClient,
      ArmClient,
      GantryClient,
      ServoClient,
      GripperClient,
      CameraClient,
      SensorClient,
      MovementSensorClient,
      PowerSensorClient,
      BoardClient,
      SwitchClient,
      ButtonClient,
      EncoderClient,
      GenericComponentClient,
      GenericServiceClient,
      VisionClient,
    ];
    const sdk: ServiceType[] = [];
    const stub = { createServiceClient: (d: ServiceType) => sdk.push(d) } as never;
    for (const C of clients) new C(stub, 'x');
    expect(sdk).toHaveLength(ours.length);
    ours.forEach((desc, i) => {
      const theirs = sdk[i];
      expect(theirs?.typeName).toBe(desc.typeName);
      for (const [key, m] of Object.entries(desc.methods)) {
        const t = theirs?.methods[key];
        expect(t, `${desc.typeName}.${key}`).toBeDefined();
        expect(t?.name).toBe(m.name);
        expect(t?.I).toBe(m.I);
        expect(t?.O).toBe(m.O);
        expect(t?.kind).toBe(m.kind);
      }
    });
  });
});
