/**
 * grpc.reflection.v1.ServerReflection, as viam-server serves it. The SDK's session manager asks it,
 * right after StartSession, which methods carry the `viam.common.v1.safety_heartbeat_monitored`
 * option, and from then on sends `viam-sid` on exactly those. (If reflection fails it falls back to a
 * built-in list, but only when the stream throws; over the data channel an Unimplemented bidi stream
 * just ends, leaving the SDK with no monitored methods and the session safety net disarmed.)
 *
 * Only the parts the SDK uses are answered: list_services and file_containing_symbol, with a minimal
 * FileDescriptorProto per service (package, service, method names, the heartbeat option).
 */
import {
  FileDescriptorProto,
  MethodDescriptorProto,
  MethodKind,
  MethodOptions,
  proto3,
  ScalarType,
  ServiceDescriptorProto,
  type ServiceType,
} from '@bufbuild/protobuf';
import type { ConnectRouter } from '@connectrpc/connect';

/** Field number of viam.common.v1.safety_heartbeat_monitored (an extension of MethodOptions). */
const SAFETY_HEARTBEAT_MONITORED = 84260;

/** Methods whose proto definition carries the heartbeat option in Viam's API. */
export const HEARTBEAT_MONITORED = new Set([
  '/viam.component.arm.v1.ArmService/MoveToPosition',
  '/viam.component.arm.v1.ArmService/MoveToJointPositions',
  '/viam.component.arm.v1.ArmService/MoveThroughJointPositions',
  '/viam.component.base.v1.BaseService/MoveStraight',
  '/viam.component.base.v1.BaseService/Spin',
  '/viam.component.base.v1.BaseService/SetPower',
  '/viam.component.base.v1.BaseService/SetVelocity',
  '/viam.component.gantry.v1.GantryService/MoveToPosition',
  '/viam.component.gripper.v1.GripperService/Open',
  '/viam.component.gripper.v1.GripperService/Grab',
  '/viam.component.motor.v1.MotorService/SetPower',
  '/viam.component.motor.v1.MotorService/GoFor',
  '/viam.component.motor.v1.MotorService/GoTo',
  '/viam.component.motor.v1.MotorService/SetRPM',
  '/viam.component.servo.v1.ServoService/Move',
]);

const ExtensionRequest = proto3.makeMessageType('grpc.reflection.v1.ExtensionRequest', [
  { no: 1, name: 'containing_type', kind: 'scalar', T: ScalarType.STRING },
  { no: 2, name: 'extension_number', kind: 'scalar', T: ScalarType.INT32 },
]);

const ServerReflectionRequest = proto3.makeMessageType('grpc.reflection.v1.ServerReflectionRequest', [
  { no: 1, name: 'host', kind: 'scalar', T: ScalarType.STRING },
  { no: 3, name: 'file_by_filename', kind: 'scalar', T: ScalarType.STRING, oneof: 'message_request' },
  { no: 4, name: 'file_containing_symbol', kind: 'scalar', T: ScalarType.STRING, oneof: 'message_request' },
  {
    no: 5,
    name: 'file_containing_extension',
    kind: 'message',
    T: ExtensionRequest,
    oneof: 'message_request',
  },
  {
    no: 6,
    name: 'all_extension_numbers_of_type',
    kind: 'scalar',
    T: ScalarType.STRING,
    oneof: 'message_request',
  },
  { no: 7, name: 'list_services', kind: 'scalar', T: ScalarType.STRING, oneof: 'message_request' },
]);

const FileDescriptorResponse = proto3.makeMessageType('grpc.reflection.v1.FileDescriptorResponse', [
  { no: 1, name: 'file_descriptor_proto', kind: 'scalar', T: ScalarType.BYTES, repeated: true },
]);
const ServiceResponse = proto3.makeMessageType('grpc.reflection.v1.ServiceResponse', [
  { no: 1, name: 'name', kind: 'scalar', T: ScalarType.STRING },
]);
const ListServiceResponse = proto3.makeMessageType('grpc.reflection.v1.ListServiceResponse', [
  { no: 1, name: 'service', kind: 'message', T: ServiceResponse, repeated: true },
]);
const ErrorResponse = proto3.makeMessageType('grpc.reflection.v1.ErrorResponse', [
  { no: 1, name: 'error_code', kind: 'scalar', T: ScalarType.INT32 },
  { no: 2, name: 'error_message', kind: 'scalar', T: ScalarType.STRING },
]);
const ServerReflectionResponse = proto3.makeMessageType('grpc.reflection.v1.ServerReflectionResponse', [
  { no: 1, name: 'valid_host', kind: 'scalar', T: ScalarType.STRING },
  { no: 2, name: 'original_request', kind: 'message', T: ServerReflectionRequest },
  {
    no: 4,
    name: 'file_descriptor_response',
    kind: 'message',
    T: FileDescriptorResponse,
    oneof: 'message_response',
  },
  {
    no: 6,
    name: 'list_services_response',
    kind: 'message',
    T: ListServiceResponse,
    oneof: 'message_response',
  },
  { no: 7, name: 'error_response', kind: 'message', T: ErrorResponse, oneof: 'message_response' },
]);

export const ServerReflection = {
  typeName: 'grpc.reflection.v1.ServerReflection',
  methods: {
    serverReflectionInfo: {
      name: 'ServerReflectionInfo',
      I: ServerReflectionRequest,
      O: ServerReflectionResponse,
      kind: MethodKind.BiDiStreaming,
    },
  },
} as const satisfies ServiceType;

/** MethodOptions carrying `safety_heartbeat_monitored = true` (unknown to protobuf-es, kept as bytes). */
function heartbeatOptions(): MethodOptions {
  const bytes: number[] = [];
  let tag = (SAFETY_HEARTBEAT_MONITORED << 3) | 0; // varint wire type
  while (tag > 0x7f) {
    bytes.push((tag & 0x7f) | 0x80);
    tag >>>= 7;
  }
  bytes.push(tag, 1);
  return MethodOptions.fromBinary(new Uint8Array(bytes));
}

function fileFor(service: ServiceType): Uint8Array {
  const dot = service.typeName.lastIndexOf('.');
  const pkg = service.typeName.slice(0, dot);
  const name = service.typeName.slice(dot + 1);
  const methods = Object.values(service.methods).map(
    (m) =>
      new MethodDescriptorProto({
        name: m.name,
        inputType: `.${m.I.typeName}`,
        outputType: `.${m.O.typeName}`,
        ...(HEARTBEAT_MONITORED.has(`/${service.typeName}/${m.name}`) ? { options: heartbeatOptions() } : {}),
      }),
  );
  return new FileDescriptorProto({
    name: `${pkg.replaceAll('.', '/')}/${name}.proto`,
    package: pkg,
    syntax: 'proto3',
    service: [new ServiceDescriptorProto({ name, method: methods })],
  }).toBinary();
}

/** Registers reflection for every service the router serves (looked up per request, so later ones count). */
export function registerReflection(router: ConnectRouter): void {
  const services = (): Map<string, ServiceType> =>
    new Map(router.handlers.map((h) => [h.service.typeName, h.service]));
  router.service(ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const req of requests) {
        // makeMessageType's messages are untyped: name the one field read here.
        const request = (req as unknown as { messageRequest: { case: string | undefined; value?: unknown } })
          .messageRequest;
        const known = services();
        if (request.case === 'listServices') {
          yield {
            originalRequest: req,
            messageResponse: {
              case: 'listServicesResponse',
              value: { service: [...known.keys()].map((name) => ({ name })) },
            },
          };
        } else if (request.case === 'fileContainingSymbol') {
          const symbol = String(request.value);
          const service = known.get(symbol);
          yield service
            ? {
                originalRequest: req,
                messageResponse: {
                  case: 'fileDescriptorResponse',
                  value: { fileDescriptorProto: [fileFor(service)] },
                },
              }
            : {
                originalRequest: req,
                messageResponse: {
                  case: 'errorResponse',
                  value: { errorCode: 5, errorMessage: `symbol not found: ${symbol}` },
                },
              };
        } else {
          yield {
            originalRequest: req,
            messageResponse: {
              case: 'errorResponse',
              value: { errorCode: 12, errorMessage: 'not supported by the simulator' },
            },
          };
        }
      }
    },
  });
}
