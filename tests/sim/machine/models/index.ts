/** Which simulated class serves which API. */
import type { ResourceApi, ResourceConfig } from '../config.ts';
import { apiString } from '../config.ts';
import type { MachineEnv } from '../resource.ts';
import { SimResource } from '../resource.ts';
import { SimArm } from './arm.ts';
import { SimBase } from './base.ts';
import { SimBoard } from './board.ts';
import { SimCamera } from './camera.ts';
import { SimEncoder } from './encoder.ts';
import { SimGantry } from './gantry.ts';
import { SimGripper } from './gripper.ts';
import { SimBaseRemoteControl, SimInputController } from './input.ts';
import { SimMotor } from './motor.ts';
import { SimBattery, SimEnvSensor, SimMovementSensor } from './sensors.ts';
import { SimServo } from './servo.ts';
import { SimButton, SimDoCommandOnly, SimSwitch } from './simple.ts';
import { SimVision } from './vision.ts';

type Ctor = new (config: ResourceConfig, api: ResourceApi, env: MachineEnv) => SimResource;

const BY_API: Readonly<Record<string, Ctor>> = {
  'rdk:component:motor': SimMotor,
  'rdk:component:encoder': SimEncoder,
  'rdk:component:base': SimBase,
  'rdk:component:arm': SimArm,
  'rdk:component:gantry': SimGantry,
  'rdk:component:servo': SimServo,
  'rdk:component:gripper': SimGripper,
  'rdk:component:camera': SimCamera,
  'rdk:component:sensor': SimEnvSensor,
  'rdk:component:movement_sensor': SimMovementSensor,
  'rdk:component:power_sensor': SimBattery,
  'rdk:component:board': SimBoard,
  'rdk:component:switch': SimSwitch,
  'rdk:component:button': SimButton,
  'rdk:component:generic': SimDoCommandOnly,
  'rdk:component:input_controller': SimInputController,
  'rdk:service:base_remote_control': SimBaseRemoteControl,
  'rdk:service:generic': SimDoCommandOnly,
  'rdk:service:vision': SimVision,
  'rdk:service:motion': SimDoCommandOnly,
  // Known to the SDK, no card in the console yet: DoCommand only.
  'rdk:component:audio_in': SimDoCommandOnly,
  'rdk:component:audio_out': SimDoCommandOnly,
  'rdk:service:navigation': SimDoCommandOnly,
  'rdk:service:slam': SimDoCommandOnly,
  'rdk:service:mlmodel': SimDoCommandOnly,
};

/** Known APIs get their simulation; anything else (modular APIs) answers DoCommand only. */
export function buildResource(config: ResourceConfig, api: ResourceApi, env: MachineEnv): SimResource {
  const Cls = BY_API[apiString(api)] ?? SimDoCommandOnly;
  return new Cls(config, api, env);
}

export function isBuiltinApi(api: ResourceApi): boolean {
  return apiString(api) in BY_API;
}

export {
  SimArm,
  SimBase,
  SimBaseRemoteControl,
  SimBattery,
  SimBoard,
  SimButton,
  SimCamera,
  SimDoCommandOnly,
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
};
