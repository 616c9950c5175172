/**
 * gRPC service descriptors for the APIs the simulator serves.
 *
 * @viamrobotics/sdk 0.61.1 exports the message classes but (except for a few) not the service
 * descriptors, so they are assembled here from those classes; tests/unit/sim/descriptors.test.ts
 * checks each one against the descriptor the SDK's own client uses. Methods left out are answered
 * Unimplemented by the router, as viam-server does for methods a resource lacks.
 */
import { MethodKind, type Message, type MessageType } from '@bufbuild/protobuf';
import {
  armApi,
  baseApi,
  boardApi,
  buttonApi,
  cameraApi,
  commonApi,
  encoderApi,
  gantryApi,
  genericComponentApi,
  genericServiceApi,
  gripperApi,
  inputControllerApi,
  motorApi,
  movementSensorApi,
  powerSensorApi,
  robotApi,
  sensorApi,
  servoApi,
  switchApi,
  visionApi,
} from '@viamrobotics/sdk';

function unary<I extends Message<I>, O extends Message<O>>(
  name: string,
  I: MessageType<I>,
  O: MessageType<O>,
) {
  return { name, I, O, kind: MethodKind.Unary as const };
}

function serverStreaming<I extends Message<I>, O extends Message<O>>(
  name: string,
  I: MessageType<I>,
  O: MessageType<O>,
) {
  return { name, I, O, kind: MethodKind.ServerStreaming as const };
}

const doCommand = unary('DoCommand', commonApi.DoCommandRequest, commonApi.DoCommandResponse);
const getGeometries = unary('GetGeometries', commonApi.GetGeometriesRequest, commonApi.GetGeometriesResponse);
const getReadings = unary('GetReadings', commonApi.GetReadingsRequest, commonApi.GetReadingsResponse);
const getKinematics = unary('GetKinematics', commonApi.GetKinematicsRequest, commonApi.GetKinematicsResponse);

export const RobotService = {
  typeName: 'viam.robot.v1.RobotService',
  methods: {
    getOperations: unary('GetOperations', robotApi.GetOperationsRequest, robotApi.GetOperationsResponse),
    getSessions: unary('GetSessions', robotApi.GetSessionsRequest, robotApi.GetSessionsResponse),
    resourceNames: unary('ResourceNames', robotApi.ResourceNamesRequest, robotApi.ResourceNamesResponse),
    resourceRPCSubtypes: unary(
      'ResourceRPCSubtypes',
      robotApi.ResourceRPCSubtypesRequest,
      robotApi.ResourceRPCSubtypesResponse,
    ),
    cancelOperation: unary(
      'CancelOperation',
      robotApi.CancelOperationRequest,
      robotApi.CancelOperationResponse,
    ),
    blockForOperation: unary(
      'BlockForOperation',
      robotApi.BlockForOperationRequest,
      robotApi.BlockForOperationResponse,
    ),
    getModelsFromModules: unary(
      'GetModelsFromModules',
      robotApi.GetModelsFromModulesRequest,
      robotApi.GetModelsFromModulesResponse,
    ),
    stopAll: unary('StopAll', robotApi.StopAllRequest, robotApi.StopAllResponse),
    startSession: unary('StartSession', robotApi.StartSessionRequest, robotApi.StartSessionResponse),
    sendSessionHeartbeat: unary(
      'SendSessionHeartbeat',
      robotApi.SendSessionHeartbeatRequest,
      robotApi.SendSessionHeartbeatResponse,
    ),
    log: unary('Log', robotApi.LogRequest, robotApi.LogResponse),
    getCloudMetadata: unary(
      'GetCloudMetadata',
      robotApi.GetCloudMetadataRequest,
      robotApi.GetCloudMetadataResponse,
    ),
    restartModule: unary('RestartModule', robotApi.RestartModuleRequest, robotApi.RestartModuleResponse),
    shutdown: unary('Shutdown', robotApi.ShutdownRequest, robotApi.ShutdownResponse),
    getMachineStatus: unary(
      'GetMachineStatus',
      robotApi.GetMachineStatusRequest,
      robotApi.GetMachineStatusResponse,
    ),
    getVersion: unary('GetVersion', robotApi.GetVersionRequest, robotApi.GetVersionResponse),
    listTunnels: unary('ListTunnels', robotApi.ListTunnelsRequest, robotApi.ListTunnelsResponse),
    frameSystemConfig: unary(
      'FrameSystemConfig',
      robotApi.FrameSystemConfigRequest,
      robotApi.FrameSystemConfigResponse,
    ),
    sendTraces: unary('SendTraces', robotApi.SendTracesRequest, robotApi.SendTracesResponse),
  },
} as const;

export const MotorService = {
  typeName: 'viam.component.motor.v1.MotorService',
  methods: {
    setPower: unary('SetPower', motorApi.SetPowerRequest, motorApi.SetPowerResponse),
    goFor: unary('GoFor', motorApi.GoForRequest, motorApi.GoForResponse),
    goTo: unary('GoTo', motorApi.GoToRequest, motorApi.GoToResponse),
    setRPM: unary('SetRPM', motorApi.SetRPMRequest, motorApi.SetRPMResponse),
    resetZeroPosition: unary(
      'ResetZeroPosition',
      motorApi.ResetZeroPositionRequest,
      motorApi.ResetZeroPositionResponse,
    ),
    getPosition: unary('GetPosition', motorApi.GetPositionRequest, motorApi.GetPositionResponse),
    getProperties: unary('GetProperties', motorApi.GetPropertiesRequest, motorApi.GetPropertiesResponse),
    stop: unary('Stop', motorApi.StopRequest, motorApi.StopResponse),
    isPowered: unary('IsPowered', motorApi.IsPoweredRequest, motorApi.IsPoweredResponse),
    isMoving: unary('IsMoving', motorApi.IsMovingRequest, motorApi.IsMovingResponse),
    doCommand,
    getGeometries,
  },
} as const;

export const BaseService = {
  typeName: 'viam.component.base.v1.BaseService',
  methods: {
    moveStraight: unary('MoveStraight', baseApi.MoveStraightRequest, baseApi.MoveStraightResponse),
    spin: unary('Spin', baseApi.SpinRequest, baseApi.SpinResponse),
    setPower: unary('SetPower', baseApi.SetPowerRequest, baseApi.SetPowerResponse),
    setVelocity: unary('SetVelocity', baseApi.SetVelocityRequest, baseApi.SetVelocityResponse),
    stop: unary('Stop', baseApi.StopRequest, baseApi.StopResponse),
    isMoving: unary('IsMoving', baseApi.IsMovingRequest, baseApi.IsMovingResponse),
    doCommand,
    getGeometries,
    getProperties: unary('GetProperties', baseApi.GetPropertiesRequest, baseApi.GetPropertiesResponse),
  },
} as const;

export const ArmService = {
  typeName: 'viam.component.arm.v1.ArmService',
  methods: {
    getEndPosition: unary('GetEndPosition', armApi.GetEndPositionRequest, armApi.GetEndPositionResponse),
    moveToPosition: unary('MoveToPosition', armApi.MoveToPositionRequest, armApi.MoveToPositionResponse),
    getJointPositions: unary(
      'GetJointPositions',
      armApi.GetJointPositionsRequest,
      armApi.GetJointPositionsResponse,
    ),
    moveToJointPositions: unary(
      'MoveToJointPositions',
      armApi.MoveToJointPositionsRequest,
      armApi.MoveToJointPositionsResponse,
    ),
    moveThroughJointPositions: unary(
      'MoveThroughJointPositions',
      armApi.MoveThroughJointPositionsRequest,
      armApi.MoveThroughJointPositionsResponse,
    ),
    stop: unary('Stop', armApi.StopRequest, armApi.StopResponse),
    isMoving: unary('IsMoving', armApi.IsMovingRequest, armApi.IsMovingResponse),
    doCommand,
    getKinematics,
    getGeometries,
  },
} as const;

export const GantryService = {
  typeName: 'viam.component.gantry.v1.GantryService',
  methods: {
    getPosition: unary('GetPosition', gantryApi.GetPositionRequest, gantryApi.GetPositionResponse),
    moveToPosition: unary(
      'MoveToPosition',
      gantryApi.MoveToPositionRequest,
      gantryApi.MoveToPositionResponse,
    ),
    home: unary('Home', gantryApi.HomeRequest, gantryApi.HomeResponse),
    getLengths: unary('GetLengths', gantryApi.GetLengthsRequest, gantryApi.GetLengthsResponse),
    stop: unary('Stop', gantryApi.StopRequest, gantryApi.StopResponse),
    isMoving: unary('IsMoving', gantryApi.IsMovingRequest, gantryApi.IsMovingResponse),
    doCommand,
    getKinematics,
    getGeometries,
  },
} as const;

export const ServoService = {
  typeName: 'viam.component.servo.v1.ServoService',
  methods: {
    move: unary('Move', servoApi.MoveRequest, servoApi.MoveResponse),
    getPosition: unary('GetPosition', servoApi.GetPositionRequest, servoApi.GetPositionResponse),
    stop: unary('Stop', servoApi.StopRequest, servoApi.StopResponse),
    isMoving: unary('IsMoving', servoApi.IsMovingRequest, servoApi.IsMovingResponse),
    doCommand,
    getGeometries,
  },
} as const;

export const GripperService = {
  typeName: 'viam.component.gripper.v1.GripperService',
  methods: {
    open: unary('Open', gripperApi.OpenRequest, gripperApi.OpenResponse),
    grab: unary('Grab', gripperApi.GrabRequest, gripperApi.GrabResponse),
    stop: unary('Stop', gripperApi.StopRequest, gripperApi.StopResponse),
    isMoving: unary('IsMoving', gripperApi.IsMovingRequest, gripperApi.IsMovingResponse),
    isHoldingSomething: unary(
      'IsHoldingSomething',
      gripperApi.IsHoldingSomethingRequest,
      gripperApi.IsHoldingSomethingResponse,
    ),
    doCommand,
    getGeometries,
  },
} as const;

export const CameraService = {
  typeName: 'viam.component.camera.v1.CameraService',
  methods: {
    getImage: unary('GetImage', cameraApi.GetImageRequest, cameraApi.GetImageResponse),
    getImages: unary('GetImages', cameraApi.GetImagesRequest, cameraApi.GetImagesResponse),
    getPointCloud: unary('GetPointCloud', cameraApi.GetPointCloudRequest, cameraApi.GetPointCloudResponse),
    getProperties: unary('GetProperties', cameraApi.GetPropertiesRequest, cameraApi.GetPropertiesResponse),
    doCommand,
    getGeometries,
  },
} as const;

export const SensorService = sensorApi.SensorService;

export const MovementSensorService = {
  typeName: 'viam.component.movementsensor.v1.MovementSensorService',
  methods: {
    getLinearVelocity: unary(
      'GetLinearVelocity',
      movementSensorApi.GetLinearVelocityRequest,
      movementSensorApi.GetLinearVelocityResponse,
    ),
    getAngularVelocity: unary(
      'GetAngularVelocity',
      movementSensorApi.GetAngularVelocityRequest,
      movementSensorApi.GetAngularVelocityResponse,
    ),
    getCompassHeading: unary(
      'GetCompassHeading',
      movementSensorApi.GetCompassHeadingRequest,
      movementSensorApi.GetCompassHeadingResponse,
    ),
    getOrientation: unary(
      'GetOrientation',
      movementSensorApi.GetOrientationRequest,
      movementSensorApi.GetOrientationResponse,
    ),
    getPosition: unary(
      'GetPosition',
      movementSensorApi.GetPositionRequest,
      movementSensorApi.GetPositionResponse,
    ),
    getProperties: unary(
      'GetProperties',
      movementSensorApi.GetPropertiesRequest,
      movementSensorApi.GetPropertiesResponse,
    ),
    getAccuracy: unary(
      'GetAccuracy',
      movementSensorApi.GetAccuracyRequest,
      movementSensorApi.GetAccuracyResponse,
    ),
    getLinearAcceleration: unary(
      'GetLinearAcceleration',
      movementSensorApi.GetLinearAccelerationRequest,
      movementSensorApi.GetLinearAccelerationResponse,
    ),
    doCommand,
    getGeometries,
    getReadings,
  },
} as const;

export const PowerSensorService = {
  typeName: 'viam.component.powersensor.v1.PowerSensorService',
  methods: {
    getVoltage: unary('GetVoltage', powerSensorApi.GetVoltageRequest, powerSensorApi.GetVoltageResponse),
    getCurrent: unary('GetCurrent', powerSensorApi.GetCurrentRequest, powerSensorApi.GetCurrentResponse),
    getPower: unary('GetPower', powerSensorApi.GetPowerRequest, powerSensorApi.GetPowerResponse),
    getReadings,
    doCommand,
  },
} as const;

export const BoardService = {
  typeName: 'viam.component.board.v1.BoardService',
  methods: {
    setGPIO: unary('SetGPIO', boardApi.SetGPIORequest, boardApi.SetGPIOResponse),
    getGPIO: unary('GetGPIO', boardApi.GetGPIORequest, boardApi.GetGPIOResponse),
    pWM: unary('PWM', boardApi.PWMRequest, boardApi.PWMResponse),
    setPWM: unary('SetPWM', boardApi.SetPWMRequest, boardApi.SetPWMResponse),
    pWMFrequency: unary('PWMFrequency', boardApi.PWMFrequencyRequest, boardApi.PWMFrequencyResponse),
    setPWMFrequency: unary(
      'SetPWMFrequency',
      boardApi.SetPWMFrequencyRequest,
      boardApi.SetPWMFrequencyResponse,
    ),
    doCommand,
    readAnalogReader: unary(
      'ReadAnalogReader',
      boardApi.ReadAnalogReaderRequest,
      boardApi.ReadAnalogReaderResponse,
    ),
    writeAnalog: unary('WriteAnalog', boardApi.WriteAnalogRequest, boardApi.WriteAnalogResponse),
    getDigitalInterruptValue: unary(
      'GetDigitalInterruptValue',
      boardApi.GetDigitalInterruptValueRequest,
      boardApi.GetDigitalInterruptValueResponse,
    ),
    streamTicks: serverStreaming('StreamTicks', boardApi.StreamTicksRequest, boardApi.StreamTicksResponse),
    getGeometries,
  },
} as const;

export const SwitchService = {
  typeName: 'viam.component.switch.v1.SwitchService',
  methods: {
    setPosition: unary('SetPosition', switchApi.SetPositionRequest, switchApi.SetPositionResponse),
    getPosition: unary('GetPosition', switchApi.GetPositionRequest, switchApi.GetPositionResponse),
    getNumberOfPositions: unary(
      'GetNumberOfPositions',
      switchApi.GetNumberOfPositionsRequest,
      switchApi.GetNumberOfPositionsResponse,
    ),
    doCommand,
  },
} as const;

export const ButtonService = {
  typeName: 'viam.component.button.v1.ButtonService',
  methods: {
    push: unary('Push', buttonApi.PushRequest, buttonApi.PushResponse),
    doCommand,
  },
} as const;

export const EncoderService = {
  typeName: 'viam.component.encoder.v1.EncoderService',
  methods: {
    getPosition: unary('GetPosition', encoderApi.GetPositionRequest, encoderApi.GetPositionResponse),
    resetPosition: unary('ResetPosition', encoderApi.ResetPositionRequest, encoderApi.ResetPositionResponse),
    getProperties: unary('GetProperties', encoderApi.GetPropertiesRequest, encoderApi.GetPropertiesResponse),
    doCommand,
    getGeometries,
  },
} as const;

export const InputControllerService = {
  typeName: 'viam.component.inputcontroller.v1.InputControllerService',
  methods: {
    getControls: unary(
      'GetControls',
      inputControllerApi.GetControlsRequest,
      inputControllerApi.GetControlsResponse,
    ),
    getEvents: unary('GetEvents', inputControllerApi.GetEventsRequest, inputControllerApi.GetEventsResponse),
    triggerEvent: unary(
      'TriggerEvent',
      inputControllerApi.TriggerEventRequest,
      inputControllerApi.TriggerEventResponse,
    ),
    doCommand,
    getGeometries,
  },
} as const;

export const GenericComponentService = genericComponentApi.GenericService;
export const GenericServiceService = genericServiceApi.GenericService;

export const VisionService = {
  typeName: 'viam.service.vision.v1.VisionService',
  methods: {
    getDetectionsFromCamera: unary(
      'GetDetectionsFromCamera',
      visionApi.GetDetectionsFromCameraRequest,
      visionApi.GetDetectionsFromCameraResponse,
    ),
    getDetections: unary('GetDetections', visionApi.GetDetectionsRequest, visionApi.GetDetectionsResponse),
    getClassificationsFromCamera: unary(
      'GetClassificationsFromCamera',
      visionApi.GetClassificationsFromCameraRequest,
      visionApi.GetClassificationsFromCameraResponse,
    ),
    getClassifications: unary(
      'GetClassifications',
      visionApi.GetClassificationsRequest,
      visionApi.GetClassificationsResponse,
    ),
    getProperties: unary('GetProperties', visionApi.GetPropertiesRequest, visionApi.GetPropertiesResponse),
    captureAllFromCamera: unary(
      'CaptureAllFromCamera',
      visionApi.CaptureAllFromCameraRequest,
      visionApi.CaptureAllFromCameraResponse,
    ),
    doCommand,
  },
} as const;

/** The builtin motion service viam-server always adds; only DoCommand is simulated. */
export const MotionService = {
  typeName: 'viam.service.motion.v1.MotionService',
  methods: {
    doCommand,
  },
} as const;

/**
 * APIs the SDK knows but the console has no card for yet: only DoCommand is simulated, on the proto
 * service each one has in Viam's API (as @viamrobotics/sdk 0.61.1 names them).
 */
export const DO_COMMAND_ONLY_SERVICES = {
  'rdk:component:audio_in': doCommandService('viam.component.audioin.v1.AudioInService'),
  'rdk:component:audio_out': doCommandService('viam.component.audioout.v1.AudioOutService'),
  'rdk:service:navigation': doCommandService('viam.service.navigation.v1.NavigationService'),
  'rdk:service:slam': doCommandService('viam.service.slam.v1.SLAMService'),
  'rdk:service:mlmodel': doCommandService('viam.service.mlmodel.v1.MLModelService'),
  'rdk:service:base_remote_control': doCommandService(
    'viam.service.baseremotecontrol.v1.BaseRemoteControlService',
  ),
} as const;

function doCommandService<N extends string>(typeName: N) {
  return { typeName, methods: { doCommand } } as const;
}

/**
 * A modular resource's own API (e.g. acme:component:widget) is served by a proto service the
 * module ships; the simulator gives every such API a DoCommand-only service with the conventional
 * name `<namespace>.<type>.<subtype>.v1.<Subtype>Service`.
 */
export function moduleServiceDescriptor(namespace: string, type: string, subtype: string) {
  const pascal = subtype
    .split(/[_-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
  return {
    typeName: `${namespace}.${type}.${subtype.replace(/-/g, '_')}.v1.${pascal}Service`,
    methods: { doCommand },
  } as const;
}

/** Proto service per rdk API, for ResourceRPCSubtypes. */
export const PROTO_SERVICE_BY_API: Readonly<Record<string, string>> = {
  'rdk:component:motor': MotorService.typeName,
  'rdk:component:base': BaseService.typeName,
  'rdk:component:arm': ArmService.typeName,
  'rdk:component:gantry': GantryService.typeName,
  'rdk:component:servo': ServoService.typeName,
  'rdk:component:gripper': GripperService.typeName,
  'rdk:component:camera': CameraService.typeName,
  'rdk:component:sensor': SensorService.typeName,
  'rdk:component:movement_sensor': MovementSensorService.typeName,
  'rdk:component:power_sensor': PowerSensorService.typeName,
  'rdk:component:board': BoardService.typeName,
  'rdk:component:switch': SwitchService.typeName,
  'rdk:component:button': ButtonService.typeName,
  'rdk:component:encoder': EncoderService.typeName,
  'rdk:component:input_controller': InputControllerService.typeName,
  'rdk:component:generic': GenericComponentService.typeName,
  'rdk:service:generic': GenericServiceService.typeName,
  'rdk:service:vision': VisionService.typeName,
  'rdk:service:motion': MotionService.typeName,
  ...Object.fromEntries(Object.entries(DO_COMMAND_ONLY_SERVICES).map(([api, d]) => [api, d.typeName])),
};
