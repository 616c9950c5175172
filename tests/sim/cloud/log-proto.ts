/**
 * The log responses as the cloud sends them, with one difference from the SDK's classes: the
 * LogEntry `message` (field 5) is declared `bytes`. On the wire `string` and `bytes` are the same
 * (length-delimited), so the SDK decodes these as its own messages; declaring bytes lets the
 * simulator send what protobuf-es would never encode from a JS string: invalid UTF-8, as a machine
 * with a broken driver can log. Everything else matches viam.common.v1.LogEntry field for field.
 */
import { type Message, proto3, ScalarType, Struct, Timestamp } from '@bufbuild/protobuf';

export interface RawLogEntry extends Message<RawLogEntry> {
  host: string;
  level: string;
  time?: Timestamp;
  loggerName: string;
  message: Uint8Array;
  caller?: Struct;
  stack: string;
  fields: Struct[];
}
export const RawLogEntry = proto3.makeMessageType<RawLogEntry>('viam.common.v1.LogEntry', () => [
  { no: 1, name: 'host', kind: 'scalar', T: ScalarType.STRING },
  { no: 2, name: 'level', kind: 'scalar', T: ScalarType.STRING },
  { no: 3, name: 'time', kind: 'message', T: Timestamp },
  { no: 4, name: 'logger_name', kind: 'scalar', T: ScalarType.STRING },
  { no: 5, name: 'message', kind: 'scalar', T: ScalarType.BYTES },
  { no: 6, name: 'caller', kind: 'message', T: Struct },
  { no: 7, name: 'stack', kind: 'scalar', T: ScalarType.STRING },
  { no: 8, name: 'fields', kind: 'message', T: Struct, repeated: true },
]);

export interface RawGetRobotPartLogsResponse extends Message<RawGetRobotPartLogsResponse> {
  logs: RawLogEntry[];
  nextPageToken: string;
}
export const RawGetRobotPartLogsResponse = proto3.makeMessageType<RawGetRobotPartLogsResponse>(
  'viam.app.v1.GetRobotPartLogsResponse',
  () => [
    { no: 1, name: 'logs', kind: 'message', T: RawLogEntry, repeated: true },
    { no: 2, name: 'next_page_token', kind: 'scalar', T: ScalarType.STRING },
  ],
);

export interface RawTailRobotPartLogsResponse extends Message<RawTailRobotPartLogsResponse> {
  logs: RawLogEntry[];
}
export const RawTailRobotPartLogsResponse = proto3.makeMessageType<RawTailRobotPartLogsResponse>(
  'viam.app.v1.TailRobotPartLogsResponse',
  () => [{ no: 1, name: 'logs', kind: 'message', T: RawLogEntry, repeated: true }],
);
