/**
 * proto.rpc.webrtc.v1 gRPC-over-data-channel framing.
 * Field numbers from viamrobotics/goutils proto/rpc/webrtc/v1/grpc.proto.
 */
import { Duration, type Message, proto3, ScalarType } from '@bufbuild/protobuf';
import { Status } from './google-rpc-status.ts';

export interface PacketMessage extends Message<PacketMessage> {
  data: Uint8Array;
  eom: boolean;
}
export const PacketMessage = proto3.makeMessageType<PacketMessage>(
  'proto.rpc.webrtc.v1.PacketMessage',
  () => [
    { no: 1, name: 'data', kind: 'scalar', T: ScalarType.BYTES },
    { no: 2, name: 'eom', kind: 'scalar', T: ScalarType.BOOL },
  ],
);

export interface Stream extends Message<Stream> {
  id: bigint;
}
export const Stream = proto3.makeMessageType<Stream>('proto.rpc.webrtc.v1.Stream', () => [
  { no: 1, name: 'id', kind: 'scalar', T: ScalarType.UINT64 },
]);

export interface Strings extends Message<Strings> {
  values: string[];
}
export const Strings = proto3.makeMessageType<Strings>('proto.rpc.webrtc.v1.Strings', () => [
  { no: 1, name: 'values', kind: 'scalar', T: ScalarType.STRING, repeated: true },
]);

export interface Metadata extends Message<Metadata> {
  md: { [key: string]: Strings };
}
export const Metadata = proto3.makeMessageType<Metadata>('proto.rpc.webrtc.v1.Metadata', () => [
  { no: 1, name: 'md', kind: 'map', K: ScalarType.STRING, V: { kind: 'message', T: Strings } },
]);

export interface RequestHeaders extends Message<RequestHeaders> {
  method: string;
  metadata?: Metadata;
  timeout?: Duration;
}
export const RequestHeaders = proto3.makeMessageType<RequestHeaders>(
  'proto.rpc.webrtc.v1.RequestHeaders',
  () => [
    { no: 1, name: 'method', kind: 'scalar', T: ScalarType.STRING },
    { no: 2, name: 'metadata', kind: 'message', T: Metadata },
    { no: 3, name: 'timeout', kind: 'message', T: Duration },
  ],
);

export interface RequestMessage extends Message<RequestMessage> {
  hasMessage: boolean;
  packetMessage?: PacketMessage;
  eos: boolean;
}
export const RequestMessage = proto3.makeMessageType<RequestMessage>(
  'proto.rpc.webrtc.v1.RequestMessage',
  () => [
    { no: 1, name: 'has_message', kind: 'scalar', T: ScalarType.BOOL },
    { no: 2, name: 'packet_message', kind: 'message', T: PacketMessage },
    { no: 3, name: 'eos', kind: 'scalar', T: ScalarType.BOOL },
  ],
);

export interface Request extends Message<Request> {
  stream?: Stream;
  type:
    | { case: 'headers'; value: RequestHeaders }
    | { case: 'message'; value: RequestMessage }
    | { case: 'rstStream'; value: boolean }
    | { case: undefined; value?: undefined };
}
export const Request = proto3.makeMessageType<Request>('proto.rpc.webrtc.v1.Request', () => [
  { no: 1, name: 'stream', kind: 'message', T: Stream },
  { no: 2, name: 'headers', kind: 'message', T: RequestHeaders, oneof: 'type' },
  { no: 3, name: 'message', kind: 'message', T: RequestMessage, oneof: 'type' },
  { no: 4, name: 'rst_stream', kind: 'scalar', T: ScalarType.BOOL, oneof: 'type' },
]);

export interface ResponseHeaders extends Message<ResponseHeaders> {
  metadata?: Metadata;
}
export const ResponseHeaders = proto3.makeMessageType<ResponseHeaders>(
  'proto.rpc.webrtc.v1.ResponseHeaders',
  () => [{ no: 1, name: 'metadata', kind: 'message', T: Metadata }],
);

export interface ResponseMessage extends Message<ResponseMessage> {
  packetMessage?: PacketMessage;
}
export const ResponseMessage = proto3.makeMessageType<ResponseMessage>(
  'proto.rpc.webrtc.v1.ResponseMessage',
  () => [{ no: 1, name: 'packet_message', kind: 'message', T: PacketMessage }],
);

export interface ResponseTrailers extends Message<ResponseTrailers> {
  status?: Status;
  metadata?: Metadata;
}
export const ResponseTrailers = proto3.makeMessageType<ResponseTrailers>(
  'proto.rpc.webrtc.v1.ResponseTrailers',
  () => [
    { no: 1, name: 'status', kind: 'message', T: Status },
    { no: 2, name: 'metadata', kind: 'message', T: Metadata },
  ],
);

export interface Response extends Message<Response> {
  stream?: Stream;
  type:
    | { case: 'headers'; value: ResponseHeaders }
    | { case: 'message'; value: ResponseMessage }
    | { case: 'trailers'; value: ResponseTrailers }
    | { case: undefined; value?: undefined };
}
export const Response = proto3.makeMessageType<Response>('proto.rpc.webrtc.v1.Response', () => [
  { no: 1, name: 'stream', kind: 'message', T: Stream },
  { no: 2, name: 'headers', kind: 'message', T: ResponseHeaders, oneof: 'type' },
  { no: 3, name: 'message', kind: 'message', T: ResponseMessage, oneof: 'type' },
  { no: 4, name: 'trailers', kind: 'message', T: ResponseTrailers, oneof: 'type' },
]);
