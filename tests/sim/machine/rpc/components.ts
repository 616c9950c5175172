/** Handlers for every component and service API the simulator knows. */
import type { ConnectRouter, HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { Code, ConnectError } from '@connectrpc/connect';
import { cameraApi, commonApi, encoderApi } from '@viamrobotics/sdk';
import { apiString } from '../config.ts';
import * as D from '../descriptors.ts';
import { invalidArgument } from '../errors.ts';
import type { Machine } from '../machine.ts';
import {
  SimArm,
  SimBase,
  SimBattery,
  SimBoard,
  SimButton,
  SimCamera,
  SimEncoder,
  SimEnvSensor,
  SimGantry,
  SimGripper,
  SimInputController,
  SimMotor,
  SimMovementSensor,
  SimServo,
  SimSwitch,
  SimVision,
} from '../models/index.ts';
import { isBuiltinApi } from '../models/index.ts';
import { SimResource } from '../resource.ts';
import { asOperation, guarded, jsonOf, readingsOf, structOf, timestamp } from './util.ts';

type Resolver = <T extends SimResource>(
  ctx: HandlerContext,
  name: string,
  cls: abstract new (...args: never[]) => T,
  monitored?: boolean,
) => T;

function resolverFor(m: Machine, api: string): Resolver {
  return (ctx, name, cls, monitored = false) => m.resolve(ctx, api, name, cls, monitored);
}

/** DoCommand and GetGeometries, shared by every API. */
function common(use: Resolver) {
  return {
    doCommand: (req: commonApi.DoCommandRequest, ctx: HandlerContext) => {
      const r = use(ctx, req.name, SimResource);
      return { result: structOf(r.doCommand(jsonOf(req.command))) };
    },
    getGeometries: (req: commonApi.GetGeometriesRequest, ctx: HandlerContext) => {
      use(ctx, req.name, SimResource);
      return { geometries: [] };
    },
  };
}

function motor(m: Machine): ServiceImpl<typeof D.MotorService> {
  const use = resolverFor(m, 'rdk:component:motor');
  return {
    ...common(use),
    setPower(req, ctx) {
      use(ctx, req.name, SimMotor, true).setPower(req.powerPct);
      return {};
    },
    async goFor(req, ctx) {
      const r = use(ctx, req.name, SimMotor, true);
      await asOperation(m, ctx, req, r, () => r.goFor(req.rpm, req.revolutions));
      return {};
    },
    async goTo(req, ctx) {
      const r = use(ctx, req.name, SimMotor, true);
      await asOperation(m, ctx, req, r, () => r.goTo(req.rpm, req.positionRevolutions));
      return {};
    },
    setRPM(req, ctx) {
      use(ctx, req.name, SimMotor, true).setRpm(req.rpm);
      return {};
    },
    resetZeroPosition(req, ctx) {
      use(ctx, req.name, SimMotor).resetZeroPosition(req.offset);
      return {};
    },
    getPosition(req, ctx) {
      return { position: use(ctx, req.name, SimMotor).position() };
    },
    getProperties(req, ctx) {
      const r = use(ctx, req.name, SimMotor);
      // A model that cannot say where it is (GetPosition unimplemented) does not claim to.
      return { positionReporting: !(r.config.unimplemented ?? []).includes('GetPosition') };
    },
    stop(req, ctx) {
      use(ctx, req.name, SimMotor).stop();
      return {};
    },
    isPowered(req, ctx) {
      const r = use(ctx, req.name, SimMotor);
      const p = r.powerPct();
      return { isOn: p !== 0, powerPct: p };
    },
    isMoving(req, ctx) {
      return { isMoving: use(ctx, req.name, SimMotor).isMoving() };
    },
  };
}

function base(m: Machine): ServiceImpl<typeof D.BaseService> {
  const use = resolverFor(m, 'rdk:component:base');
  return {
    ...common(use),
    async moveStraight(req, ctx) {
      const r = use(ctx, req.name, SimBase, true);
      await asOperation(m, ctx, req, r, () => r.moveStraight(Number(req.distanceMm), req.mmPerSec));
      return {};
    },
    async spin(req, ctx) {
      const r = use(ctx, req.name, SimBase, true);
      await asOperation(m, ctx, req, r, () => r.spin(req.angleDeg, req.degsPerSec));
      return {};
    },
    setPower(req, ctx) {
      use(ctx, req.name, SimBase, true).setPower(req.linear?.y ?? 0, req.angular?.z ?? 0);
      return {};
    },
    setVelocity(req, ctx) {
      use(ctx, req.name, SimBase, true).setVelocity(req.linear?.y ?? 0, req.angular?.z ?? 0);
      return {};
    },
    stop(req, ctx) {
      use(ctx, req.name, SimBase).stop();
      return {};
    },
    isMoving(req, ctx) {
      return { isMoving: use(ctx, req.name, SimBase).isMoving() };
    },
    getProperties(req, ctx) {
      const r = use(ctx, req.name, SimBase);
      return {
        widthMeters: r.widthMm / 1000,
        turningRadiusMeters: 0,
        wheelCircumferenceMeters: r.wheelCircumferenceMm / 1000,
      };
    },
  };
}

function arm(m: Machine): ServiceImpl<typeof D.ArmService> {
  const use = resolverFor(m, 'rdk:component:arm');
  return {
    ...common(use),
    getEndPosition(req, ctx) {
      return { pose: use(ctx, req.name, SimArm).endPosition() };
    },
    async moveToPosition(req, ctx) {
      const r = use(ctx, req.name, SimArm, true);
      if (!req.to) throw invalidArgument('a target pose ("to") is required');
      const to = req.to;
      await asOperation(m, ctx, req, r, () =>
        r.moveToPosition({ x: to.x, y: to.y, z: to.z, oX: to.oX, oY: to.oY, oZ: to.oZ, theta: to.theta }),
      );
      return {};
    },
    getJointPositions(req, ctx) {
      return { positions: { values: use(ctx, req.name, SimArm).jointPositions() } };
    },
    async moveToJointPositions(req, ctx) {
      const r = use(ctx, req.name, SimArm, true);
      await asOperation(m, ctx, req, r, () => r.moveToJointPositions(req.positions?.values ?? []));
      return {};
    },
    async moveThroughJointPositions(req, ctx) {
      const r = use(ctx, req.name, SimArm, true);
      const speed = req.options?.maxVelDegsPerSec;
      await asOperation(m, ctx, req, r, () =>
        r.moveThroughJointPositions(
          req.positions.map((p) => p.values),
          speed,
        ),
      );
      return {};
    },
    stop(req, ctx) {
      use(ctx, req.name, SimArm).stop();
      return {};
    },
    isMoving(req, ctx) {
      return { isMoving: use(ctx, req.name, SimArm).isMoving() };
    },
    getKinematics(req, ctx) {
      const r = use(ctx, req.name, SimArm);
      return { format: commonApi.KinematicsFileFormat.SVA, kinematicsData: r.kinematics() };
    },
  };
}

function gantry(m: Machine): ServiceImpl<typeof D.GantryService> {
  const use = resolverFor(m, 'rdk:component:gantry');
  return {
    ...common(use),
    getPosition(req, ctx) {
      return { positionsMm: use(ctx, req.name, SimGantry).positions() };
    },
    async moveToPosition(req, ctx) {
      const r = use(ctx, req.name, SimGantry, true);
      await asOperation(m, ctx, req, r, () => r.moveToPosition(req.positionsMm, req.speedsMmPerSec));
      return {};
    },
    async home(req, ctx) {
      const r = use(ctx, req.name, SimGantry, true);
      const homed = await asOperation(m, ctx, req, r, () => r.home());
      return { homed };
    },
    getLengths(req, ctx) {
      return { lengthsMm: use(ctx, req.name, SimGantry).lengths() };
    },
    stop(req, ctx) {
      use(ctx, req.name, SimGantry).stop();
      return {};
    },
    isMoving(req, ctx) {
      return { isMoving: use(ctx, req.name, SimGantry).isMoving() };
    },
    getKinematics(req, ctx) {
      const r = use(ctx, req.name, SimGantry);
      return { format: commonApi.KinematicsFileFormat.SVA, kinematicsData: r.kinematics() };
    },
  };
}

function servo(m: Machine): ServiceImpl<typeof D.ServoService> {
  const use = resolverFor(m, 'rdk:component:servo');
  return {
    ...common(use),
    async move(req, ctx) {
      const r = use(ctx, req.name, SimServo, true);
      await asOperation(m, ctx, req, r, () => r.moveTo(req.angleDeg));
      return {};
    },
    getPosition(req, ctx) {
      return { positionDeg: Math.round(use(ctx, req.name, SimServo).position()) };
    },
    stop(req, ctx) {
      use(ctx, req.name, SimServo).stop();
      return {};
    },
    isMoving(req, ctx) {
      return { isMoving: use(ctx, req.name, SimServo).isMoving() };
    },
  };
}

function gripper(m: Machine): ServiceImpl<typeof D.GripperService> {
  const use = resolverFor(m, 'rdk:component:gripper');
  return {
    ...common(use),
    async open(req, ctx) {
      const r = use(ctx, req.name, SimGripper, true);
      await asOperation(m, ctx, req, r, () => r.open());
      return {};
    },
    async grab(req, ctx) {
      const r = use(ctx, req.name, SimGripper, true);
      const success = await asOperation(m, ctx, req, r, () => r.grab());
      return { success };
    },
    stop(req, ctx) {
      use(ctx, req.name, SimGripper).stop();
      return {};
    },
    isMoving(req, ctx) {
      return { isMoving: use(ctx, req.name, SimGripper).isMoving() };
    },
    isHoldingSomething(req, ctx) {
      return { isHoldingSomething: use(ctx, req.name, SimGripper).isHoldingSomething() };
    },
  };
}

function camera(m: Machine): ServiceImpl<typeof D.CameraService> {
  const use = resolverFor(m, 'rdk:component:camera');
  return {
    ...common(use),
    getImages(req, ctx) {
      const r = use(ctx, req.name, SimCamera);
      if (req.filterSourceNames.length > 0 && !req.filterSourceNames.includes(r.name)) {
        return { images: [], responseMetadata: { capturedAt: timestamp(m.now()) } };
      }
      const shot = r.png();
      return {
        images: [
          { sourceName: r.name, format: cameraApi.Format.PNG, mimeType: 'image/png', image: shot.image },
        ],
        responseMetadata: { capturedAt: timestamp(shot.capturedAt) },
      };
    },
    getImage(req, ctx) {
      const r = use(ctx, req.name, SimCamera);
      const mime = req.mimeType.replace(/\+lazy$/, '');
      if (mime !== '' && mime !== 'image/png')
        throw invalidArgument(`do not know how to encode "${req.mimeType}"; this camera serves image/png`);
      return { mimeType: 'image/png', image: r.png().image };
    },
    getPointCloud(req, ctx) {
      use(ctx, req.name, SimCamera);
      throw new ConnectError(
        'source has no Projector/Camera Intrinsics associated with it',
        Code.Unimplemented,
      );
    },
    getProperties(req, ctx) {
      const r = use(ctx, req.name, SimCamera);
      return {
        supportsPcd: false,
        intrinsicParameters: {
          widthPx: r.width,
          heightPx: r.height,
          focalXPx: r.width * 0.9,
          focalYPx: r.width * 0.9,
          centerXPx: r.width / 2,
          centerYPx: r.height / 2,
        },
        mimeTypes: ['image/png'],
        frameRate: r.frameRate,
      };
    },
  };
}

function sensor(m: Machine): ServiceImpl<typeof D.SensorService> {
  const use = resolverFor(m, 'rdk:component:sensor');
  return {
    ...common(use),
    getReadings(req, ctx) {
      return { readings: readingsOf(use(ctx, req.name, SimEnvSensor).readings()) };
    },
  };
}

function movementSensor(m: Machine): ServiceImpl<typeof D.MovementSensorService> {
  const use = resolverFor(m, 'rdk:component:movement_sensor');
  return {
    ...common(use),
    getLinearVelocity(req, ctx) {
      return { linearVelocity: use(ctx, req.name, SimMovementSensor).linearVelocity() };
    },
    getAngularVelocity(req, ctx) {
      return { angularVelocity: use(ctx, req.name, SimMovementSensor).angularVelocity() };
    },
    getCompassHeading(req, ctx) {
      return { value: use(ctx, req.name, SimMovementSensor).compassHeading() };
    },
    getOrientation(req, ctx) {
      return { orientation: use(ctx, req.name, SimMovementSensor).orientation() };
    },
    getPosition(req, ctx) {
      const p = use(ctx, req.name, SimMovementSensor).position();
      return { coordinate: { latitude: p.latitude, longitude: p.longitude }, altitudeM: p.altitudeM };
    },
    getProperties(req, ctx) {
      use(ctx, req.name, SimMovementSensor);
      return {
        linearVelocitySupported: true,
        angularVelocitySupported: true,
        orientationSupported: true,
        positionSupported: true,
        compassHeadingSupported: true,
        linearAccelerationSupported: true,
      };
    },
    getAccuracy(req, ctx) {
      use(ctx, req.name, SimMovementSensor);
      return {
        accuracy: {},
        positionHdop: 0.9,
        positionVdop: 1.4,
        positionNmeaGgaFix: 4,
        compassDegreesError: 1.5,
      };
    },
    getLinearAcceleration(req, ctx) {
      return { linearAcceleration: use(ctx, req.name, SimMovementSensor).linearAcceleration() };
    },
    getReadings(req, ctx) {
      return { readings: readingsOf(use(ctx, req.name, SimMovementSensor).readings()) };
    },
  };
}

function powerSensor(m: Machine): ServiceImpl<typeof D.PowerSensorService> {
  const use = resolverFor(m, 'rdk:component:power_sensor');
  return {
    doCommand: common(use).doCommand,
    getVoltage(req, ctx) {
      return { volts: use(ctx, req.name, SimBattery).voltage(), isAc: false };
    },
    getCurrent(req, ctx) {
      return { amperes: use(ctx, req.name, SimBattery).current(), isAc: false };
    },
    getPower(req, ctx) {
      return { watts: use(ctx, req.name, SimBattery).power() };
    },
    getReadings(req, ctx) {
      return { readings: readingsOf(use(ctx, req.name, SimBattery).readings()) };
    },
  };
}

function board(m: Machine): ServiceImpl<typeof D.BoardService> {
  const use = resolverFor(m, 'rdk:component:board');
  return {
    ...common(use),
    setGPIO(req, ctx) {
      use(ctx, req.name, SimBoard).setGpio(req.pin, req.high);
      return {};
    },
    getGPIO(req, ctx) {
      return { high: use(ctx, req.name, SimBoard).getGpio(req.pin) };
    },
    pWM(req, ctx) {
      return { dutyCyclePct: use(ctx, req.name, SimBoard).getPwm(req.pin) };
    },
    setPWM(req, ctx) {
      use(ctx, req.name, SimBoard).setPwm(req.pin, req.dutyCyclePct);
      return {};
    },
    pWMFrequency(req, ctx) {
      return { frequencyHz: BigInt(Math.round(use(ctx, req.name, SimBoard).getPwmFrequency(req.pin))) };
    },
    setPWMFrequency(req, ctx) {
      use(ctx, req.name, SimBoard).setPwmFrequency(req.pin, Number(req.frequencyHz));
      return {};
    },
    readAnalogReader(req, ctx) {
      return use(ctx, req.boardName, SimBoard).readAnalog(req.analogReaderName);
    },
    writeAnalog(req, ctx) {
      use(ctx, req.name, SimBoard).writeAnalog(req.pin, req.value);
      return {};
    },
    getDigitalInterruptValue(req, ctx) {
      return { value: use(ctx, req.boardName, SimBoard).digitalInterrupt(req.digitalInterruptName) };
    },
    async *streamTicks(req, ctx) {
      const b = use(ctx, req.name, SimBoard);
      for (const n of req.pinNames) b.digitalInterrupt(n);
      const period = 1000 / Math.max(0.1, b.tickHz());
      let high = false;
      const t0 = m.now();
      const aborted = (): boolean => ctx.signal.aborted;
      while (!aborted()) {
        await sleep(period, ctx.signal);
        if (aborted()) return;
        high = !high;
        for (const pinName of req.pinNames) {
          yield { pinName, high, time: BigInt(Math.round((m.now() - t0) * 1e6)) };
        }
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

function switchSvc(m: Machine): ServiceImpl<typeof D.SwitchService> {
  const use = resolverFor(m, 'rdk:component:switch');
  return {
    doCommand: common(use).doCommand,
    setPosition(req, ctx) {
      use(ctx, req.name, SimSwitch).setPosition(req.position);
      return {};
    },
    getPosition(req, ctx) {
      return { position: use(ctx, req.name, SimSwitch).position() };
    },
    getNumberOfPositions(req, ctx) {
      const r = use(ctx, req.name, SimSwitch);
      return { numberOfPositions: r.count(), labels: r.labels() };
    },
  };
}

function button(m: Machine): ServiceImpl<typeof D.ButtonService> {
  const use = resolverFor(m, 'rdk:component:button');
  return {
    doCommand: common(use).doCommand,
    push(req, ctx) {
      use(ctx, req.name, SimButton).push();
      return {};
    },
  };
}

function encoder(m: Machine): ServiceImpl<typeof D.EncoderService> {
  const use = resolverFor(m, 'rdk:component:encoder');
  return {
    ...common(use),
    getPosition(req, ctx) {
      return use(ctx, req.name, SimEncoder).position(req.positionType ?? encoderApi.PositionType.UNSPECIFIED);
    },
    resetPosition(req, ctx) {
      use(ctx, req.name, SimEncoder).resetPosition();
      return {};
    },
    getProperties(req, ctx) {
      use(ctx, req.name, SimEncoder);
      return { ticksCountSupported: true, angleDegreesSupported: true };
    },
  };
}

function inputController(m: Machine): ServiceImpl<typeof D.InputControllerService> {
  const use = resolverFor(m, 'rdk:component:input_controller');
  return {
    ...common(use),
    getControls(req, ctx) {
      return { controls: use(ctx, req.controller, SimInputController).controls() };
    },
    getEvents(req, ctx) {
      const events = use(ctx, req.controller, SimInputController).events();
      return {
        events: events.map((e) => ({
          time: { seconds: BigInt(Math.floor(e.time / 1000)), nanos: Math.round((e.time % 1000) * 1e6) },
          event: e.event,
          control: e.control,
          value: e.value,
        })),
      };
    },
    triggerEvent(req, ctx) {
      const r = use(ctx, req.controller, SimInputController);
      const ev = req.event;
      // A missing time is the epoch, as rdk's Time.AsTime() makes it.
      const time = ev?.time ? Number(ev.time.seconds) * 1000 + ev.time.nanos / 1e6 : 0;
      const sid = m.sessionIdOf(ctx);
      r.trigger({ time, event: ev?.event ?? '', control: ev?.control ?? '', value: ev?.value ?? 0 }, (res) =>
        m.sessions.associate(res.fullName, sid),
      );
      return {};
    },
  };
}

function vision(m: Machine): ServiceImpl<typeof D.VisionService> {
  const use = resolverFor(m, 'rdk:service:vision');
  const toProto = (d: ReturnType<SimVision['detect']>[number]) => ({
    xMin: BigInt(d.xMin),
    yMin: BigInt(d.yMin),
    xMax: BigInt(d.xMax),
    yMax: BigInt(d.yMax),
    xMinNormalized: d.xMin / d.width,
    yMinNormalized: d.yMin / d.height,
    xMaxNormalized: d.xMax / d.width,
    yMaxNormalized: d.yMax / d.height,
    confidence: d.confidence,
    className: d.className,
  });
  return {
    doCommand: common(use).doCommand,
    getDetectionsFromCamera(req, ctx) {
      return { detections: use(ctx, req.name, SimVision).detect(req.cameraName).map(toProto) };
    },
    getDetections(req, ctx) {
      const v = use(ctx, req.name, SimVision);
      if (req.image.length === 0) throw invalidArgument('image is empty');
      return { detections: v.detect('').map(toProto) };
    },
    getClassificationsFromCamera(req, ctx) {
      return { classifications: use(ctx, req.name, SimVision).classify(req.cameraName, req.n) };
    },
    getClassifications(req, ctx) {
      const v = use(ctx, req.name, SimVision);
      if (req.image.length === 0) throw invalidArgument('image is empty');
      return { classifications: v.classify('', req.n) };
    },
    getProperties(req, ctx) {
      use(ctx, req.name, SimVision);
      return { classificationsSupported: true, detectionsSupported: true, objectPointCloudsSupported: false };
    },
    captureAllFromCamera(req, ctx) {
      const v = use(ctx, req.name, SimVision);
      const cam = v.camera(req.cameraName);
      return {
        ...(req.returnImage
          ? {
              image: {
                sourceName: cam.name,
                format: cameraApi.Format.PNG,
                mimeType: 'image/png',
                image: cam.png().image,
              },
            }
          : {}),
        detections: req.returnDetections ? v.detect(cam.name).map(toProto) : [],
        classifications: req.returnClassifications ? v.classify(cam.name, 1) : [],
        objects: [],
      };
    },
  };
}

export function registerComponentServices(m: Machine, router: ConnectRouter): void {
  router.service(D.MotorService, guarded(motor(m)));
  router.service(D.BaseService, guarded(base(m)));
  router.service(D.ArmService, guarded(arm(m)));
  router.service(D.GantryService, guarded(gantry(m)));
  router.service(D.ServoService, guarded(servo(m)));
  router.service(D.GripperService, guarded(gripper(m)));
  router.service(D.CameraService, guarded(camera(m)));
  router.service(D.SensorService, guarded(sensor(m)));
  router.service(D.MovementSensorService, guarded(movementSensor(m)));
  router.service(D.PowerSensorService, guarded(powerSensor(m)));
  router.service(D.BoardService, guarded(board(m)));
  router.service(D.SwitchService, guarded(switchSvc(m)));
  router.service(D.ButtonService, guarded(button(m)));
  router.service(D.EncoderService, guarded(encoder(m)));
  router.service(D.InputControllerService, guarded(inputController(m)));
  router.service(D.GenericComponentService, guarded(common(resolverFor(m, 'rdk:component:generic'))));
  router.service(
    D.GenericServiceService,
    guarded({ doCommand: common(resolverFor(m, 'rdk:service:generic')).doCommand }),
  );
  router.service(D.VisionService, guarded(vision(m)));
  router.service(
    D.MotionService,
    guarded({ doCommand: common(resolverFor(m, 'rdk:service:motion')).doCommand }),
  );
  for (const [api, desc] of Object.entries(D.DO_COMMAND_ONLY_SERVICES)) {
    router.service(desc, guarded({ doCommand: common(resolverFor(m, api)).doCommand }));
  }
  // Modular APIs present in the config: DoCommand on the module's own proto service.
  for (const api of m.apis()) {
    if (isBuiltinApi(api)) continue;
    const desc = D.moduleServiceDescriptor(api.namespace, api.type, api.subtype);
    router.service(desc, guarded({ doCommand: common(resolverFor(m, apiString(api))).doCommand }));
  }
}
