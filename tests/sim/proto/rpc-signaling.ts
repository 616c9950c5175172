/**
 * proto.rpc.webrtc.v1 signaling messages and SignalingService (caller side only).
 * Field numbers from viamrobotics/goutils proto/rpc/webrtc/v1/signaling.proto.
 * The machine-side `Answer` stream is left out: this process is the machine, so
 * nothing ever calls it; an unlisted method answers Unimplemented.
 */
import { type Message, MethodKind, proto3, ScalarType } from '@bufbuild/protobuf';
import { Status } from './google-rpc-status.ts';

export interface ICECandidate extends Message<ICECandidate> {
  candidate: string;
  sdpMid?: string;
  sdpmLineIndex?: number;
  usernameFragment?: string;
}
export const ICECandidate = proto3.makeMessageType<ICECandidate>('proto.rpc.webrtc.v1.ICECandidate', () => [
  { no: 1, name: 'candidate', kind: 'scalar', T: ScalarType.STRING },
  { no: 2, name: 'sdp_mid', kind: 'scalar', T: ScalarType.STRING, opt: true },
  { no: 3, name: 'sdpm_line_index', kind: 'scalar', T: ScalarType.UINT32, opt: true },
  { no: 4, name: 'username_fragment', kind: 'scalar', T: ScalarType.STRING, opt: true },
]);

export interface CallRequest extends Message<CallRequest> {
  /** base64(JSON.stringify({type: 'offer', sdp})) */
  sdp: string;
  disableTrickle: boolean;
}
export const CallRequest = proto3.makeMessageType<CallRequest>('proto.rpc.webrtc.v1.CallRequest', () => [
  { no: 1, name: 'sdp', kind: 'scalar', T: ScalarType.STRING },
  { no: 2, name: 'disable_trickle', kind: 'scalar', T: ScalarType.BOOL },
]);

export interface CallResponseInitStage extends Message<CallResponseInitStage> {
  sdp: string;
}
export const CallResponseInitStage = proto3.makeMessageType<CallResponseInitStage>(
  'proto.rpc.webrtc.v1.CallResponseInitStage',
  () => [{ no: 1, name: 'sdp', kind: 'scalar', T: ScalarType.STRING }],
);

export interface CallResponseUpdateStage extends Message<CallResponseUpdateStage> {
  candidate?: ICECandidate;
}
export const CallResponseUpdateStage = proto3.makeMessageType<CallResponseUpdateStage>(
  'proto.rpc.webrtc.v1.CallResponseUpdateStage',
  () => [{ no: 1, name: 'candidate', kind: 'message', T: ICECandidate }],
);

export interface CallResponse extends Message<CallResponse> {
  uuid: string;
  stage:
    | { case: 'init'; value: CallResponseInitStage }
    | { case: 'update'; value: CallResponseUpdateStage }
    | { case: undefined; value?: undefined };
}
export const CallResponse = proto3.makeMessageType<CallResponse>('proto.rpc.webrtc.v1.CallResponse', () => [
  { no: 1, name: 'uuid', kind: 'scalar', T: ScalarType.STRING },
  { no: 2, name: 'init', kind: 'message', T: CallResponseInitStage, oneof: 'stage' },
  { no: 3, name: 'update', kind: 'message', T: CallResponseUpdateStage, oneof: 'stage' },
]);

export interface CallUpdateRequest extends Message<CallUpdateRequest> {
  uuid: string;
  update:
    | { case: 'candidate'; value: ICECandidate }
    | { case: 'done'; value: boolean }
    | { case: 'error'; value: Status }
    | { case: undefined; value?: undefined };
}
export const CallUpdateRequest = proto3.makeMessageType<CallUpdateRequest>(
  'proto.rpc.webrtc.v1.CallUpdateRequest',
  () => [
    { no: 1, name: 'uuid', kind: 'scalar', T: ScalarType.STRING },
    { no: 2, name: 'candidate', kind: 'message', T: ICECandidate, oneof: 'update' },
    { no: 3, name: 'done', kind: 'scalar', T: ScalarType.BOOL, oneof: 'update' },
    { no: 4, name: 'error', kind: 'message', T: Status, oneof: 'update' },
  ],
);

export type CallUpdateResponse = Message;
export const CallUpdateResponse = proto3.makeMessageType('proto.rpc.webrtc.v1.CallUpdateResponse', []);

export interface ICEServer extends Message<ICEServer> {
  urls: string[];
  username: string;
  credential: string;
}
export const ICEServer = proto3.makeMessageType<ICEServer>('proto.rpc.webrtc.v1.ICEServer', () => [
  { no: 1, name: 'urls', kind: 'scalar', T: ScalarType.STRING, repeated: true },
  { no: 2, name: 'username', kind: 'scalar', T: ScalarType.STRING },
  { no: 3, name: 'credential', kind: 'scalar', T: ScalarType.STRING },
]);

export interface WebRTCConfig extends Message<WebRTCConfig> {
  additionalIceServers: ICEServer[];
  disableTrickle: boolean;
}
export const WebRTCConfig = proto3.makeMessageType<WebRTCConfig>('proto.rpc.webrtc.v1.WebRTCConfig', () => [
  { no: 1, name: 'additional_ice_servers', kind: 'message', T: ICEServer, repeated: true },
  { no: 2, name: 'disable_trickle', kind: 'scalar', T: ScalarType.BOOL },
]);

export type OptionalWebRTCConfigRequest = Message;
export const OptionalWebRTCConfigRequest = proto3.makeMessageType(
  'proto.rpc.webrtc.v1.OptionalWebRTCConfigRequest',
  [],
);

export interface OptionalWebRTCConfigResponse extends Message<OptionalWebRTCConfigResponse> {
  config?: WebRTCConfig;
}
export const OptionalWebRTCConfigResponse = proto3.makeMessageType<OptionalWebRTCConfigResponse>(
  'proto.rpc.webrtc.v1.OptionalWebRTCConfigResponse',
  () => [{ no: 1, name: 'config', kind: 'message', T: WebRTCConfig }],
);

export const SignalingService = {
  typeName: 'proto.rpc.webrtc.v1.SignalingService',
  methods: {
    call: { name: 'Call', I: CallRequest, O: CallResponse, kind: MethodKind.ServerStreaming },
    callUpdate: { name: 'CallUpdate', I: CallUpdateRequest, O: CallUpdateResponse, kind: MethodKind.Unary },
    optionalWebRTCConfig: {
      name: 'OptionalWebRTCConfig',
      I: OptionalWebRTCConfigRequest,
      O: OptionalWebRTCConfigResponse,
      kind: MethodKind.Unary,
    },
  },
} as const;
