/**
 * google.rpc.Status, as carried in WebRTC response trailers and CallUpdate errors.
 * Field numbers from googleapis google/rpc/status.proto.
 */
import { Any, type Message, proto3, ScalarType } from '@bufbuild/protobuf';

export interface Status extends Message<Status> {
  code: number;
  message: string;
  details: Any[];
}

export const Status = proto3.makeMessageType<Status>('google.rpc.Status', () => [
  { no: 1, name: 'code', kind: 'scalar', T: ScalarType.INT32 },
  { no: 2, name: 'message', kind: 'scalar', T: ScalarType.STRING },
  { no: 3, name: 'details', kind: 'message', T: Any, repeated: true },
]);
