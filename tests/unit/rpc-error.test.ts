/**
 * The classifier against the exact texts real servers send, in both shapes the app meets them:
 * - over gRPC-web the code survives: `new ConnectError(message, code)`;
 * - over the WebRTC data channel the SDK rejects with the status message alone (goutils rpc/js
 *   UnaryClientStream.onTrailers: `this.result?.failure(respTrailers.status.message)`, the same in
 *   @viamrobotics/sdk 0.61.1 dist/main.es.js), which connect-es' runUnaryCall turns into
 *   `ConnectError.from(message)`: Code.Unknown, "[unknown] <message>".
 */
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { classifyRpcError, isNotFound, isUnimplemented, type RpcErrorKind } from '../../src/lib/rpc-error.ts';
import { rpcErrorLabel } from '../../src/lib/rpc-error-label.ts';
import { errorMessage, MAX_ERROR_CHARS } from '../../src/lib/summarize.ts';

const overWebRtc = (message: string) => ConnectError.from(message);
const overGrpcWeb = (message: string, code: Code) => new ConnectError(message, code);

/** [where the text comes from, message, the code the server sent, the kind]. */
const CASES: readonly (readonly [string, string, Code, RpcErrorKind])[] = [
  [
    'grpc-go server.go, a method an older server lacks',
    'unknown method GetMachineStatus for service viam.robot.v1.RobotService',
    Code.Unimplemented,
    'unimplemented',
  ],
  [
    'grpc-go server.go, a service it lacks',
    'unknown service grpc.reflection.v1.ServerReflection',
    Code.Unimplemented,
    'unimplemented',
  ],
  [
    'rdk grpc.UnimplementedError / goutils wrtc_server_stream.go (codes.Unimplemented.String())',
    'Unimplemented',
    Code.Unimplemented,
    'unimplemented',
  ],
  ['protoc-gen-go-grpc stub of a module', 'method GoTo not implemented', Code.Unimplemented, 'unimplemented'],
  [
    'the simulator’s data channel',
    'unknown method /viam.robot.v1.RobotService/GetMachineStatus',
    Code.Unimplemented,
    'unimplemented',
  ],
  [
    'rdk resource/errors.go notFoundError',
    'resource "rdk:component:motor/left-motor" not found',
    Code.NotFound,
    'not-found',
  ],
  ['micro-RDK GrpcError::RpcNotFound', 'rpc not found', Code.NotFound, 'not-found'],
  [
    'Python SDK ResourceNotFoundError',
    'No motor with name "m" found in the registry',
    Code.NotFound,
    'not-found',
  ],
  [
    'Python SDK MethodNotImplementedError',
    'Method go_to not implemented.',
    Code.Unimplemented,
    'unimplemented',
  ],
  [
    'micro-RDK GrpcError::RpcDeadlineExceeded',
    'rpc deadline exceeded',
    Code.DeadlineExceeded,
    'deadline-exceeded',
  ],
  [
    'goutils server_auth.go Authenticate',
    'failed to authenticate: key expired',
    Code.PermissionDenied,
    'permission-denied',
  ],
  ['a permission check', 'permission denied', Code.PermissionDenied, 'permission-denied'],
  [
    'goutils server_auth.go tokenFromContext',
    'authentication required',
    Code.Unauthenticated,
    'unauthenticated',
  ],
  [
    'goutils server_auth.go ensureAuthed',
    'unauthenticated: token is expired',
    Code.Unauthenticated,
    'unauthenticated',
  ],
  ['goutils auth.go errInvalidCredentials', 'invalid credentials', Code.Unauthenticated, 'unauthenticated'],
  [
    'goutils auth.go errCannotAuthEntity',
    'cannot authenticate entity',
    Code.Unauthenticated,
    'unauthenticated',
  ],
  ['Go context.DeadlineExceeded', 'context deadline exceeded', Code.DeadlineExceeded, 'deadline-exceeded'],
  ['connect-es timeout', 'the operation timed out', Code.DeadlineExceeded, 'deadline-exceeded'],
  ['grpc-go transport', 'transport is closing', Code.Unavailable, 'unavailable'],
  ['SDK ConnectionClosedError', 'data channel closed', Code.Unavailable, 'unavailable'],
  ['SDK ConnectionClosedError', 'connection closed', Code.Unavailable, 'unavailable'],
  ['SDK (rawMessage checked by its session manager)', 'closed', Code.Unavailable, 'unavailable'],
  ['rdk session/context.go StatusNoSession', 'SESSION_EXPIRED', Code.InvalidArgument, 'session-expired'],
];

describe('classifyRpcError', () => {
  it.each(CASES)('%s: "%s" over gRPC-web (code kept)', (_source, message, code, kind) => {
    const c = classifyRpcError(overGrpcWeb(message, code));
    expect(c.kind).toBe(kind);
    expect(c.code).toBe(code);
    expect(c.fromMessage).toBe(false);
    expect(c.message).toBe(message);
  });

  it.each(CASES)(
    '%s: "%s" over WebRTC (code lost, read from the message)',
    (_source, message, _code, kind) => {
      const error = overWebRtc(message);
      expect(error.code).toBe(Code.Unknown);
      expect(error.message).toBe(`[unknown] ${message}`);
      const c = classifyRpcError(error);
      expect(c.kind).toBe(kind);
      expect(c.code).toBe(Code.Unknown);
      expect(c.fromMessage).toBe(true);
      expect(c.message).toBe(message);
    },
  );

  it('a browser that cannot reach the machine is unavailable', () => {
    expect(classifyRpcError(new TypeError('Failed to fetch')).kind).toBe('unavailable');
    expect(classifyRpcError(new TypeError('fetch failed')).kind).toBe('unavailable');
  });

  it('the code wins over words that say otherwise', () => {
    expect(classifyRpcError(overGrpcWeb('resource not found', Code.PermissionDenied)).kind).toBe(
      'permission-denied',
    );
    expect(classifyRpcError(overGrpcWeb('anything', Code.Unimplemented)).kind).toBe('unimplemented');
  });

  it('an InvalidArgument that is not about the session stays invalid-argument', () => {
    expect(classifyRpcError(overGrpcWeb('speed must be positive', Code.InvalidArgument)).kind).toBe(
      'invalid-argument',
    );
  });

  it('reads through the SDK’s cause chains and connect-es’ "[code]" prefix', () => {
    const wrapped = new Error('Failed to connect via all methods', {
      cause: [new Error('cannot dial directly'), overWebRtc('unknown service viam.robot.v1.RobotService')],
    });
    expect(classifyRpcError(wrapped).kind).toBe('unimplemented');
    expect(classifyRpcError(new Error('[not_found] gone')).kind).toBe('not-found');
    expect(classifyRpcError(new Error('[invalid_argument] SESSION_EXPIRED')).kind).toBe('session-expired');
  });

  it('an empty message is unknown, and says it carried nothing', () => {
    const empty = overWebRtc('');
    expect(empty.message).toBe('[unknown]');
    expect(classifyRpcError(empty)).toEqual({
      kind: 'unknown',
      code: Code.Unknown,
      fromMessage: false,
      message: '',
    });
    expect(classifyRpcError(overGrpcWeb('', Code.NotFound)).kind).toBe('not-found');
    expect(errorMessage(empty)).toBe('the machine gave no reason');
    expect(errorMessage(overGrpcWeb('', Code.Internal))).toBe('[internal] the machine gave no reason');
    expect(errorMessage(overWebRtc('method GoTo not implemented'))).toBe('method GoTo not implemented');
    expect(errorMessage(overGrpcWeb('denied', Code.PermissionDenied))).toBe('[permission_denied] denied');
  });

  it('10 KB messages: classified from their head, quickly, and shown bounded', () => {
    const tail = 'x'.repeat(10_240);
    expect(classifyRpcError(overWebRtc(`resource "rdk:component:sensor/s" not found ${tail}`)).kind).toBe(
      'not-found',
    );
    expect(classifyRpcError(overWebRtc(`method GoTo not implemented: ${tail}`)).kind).toBe('unimplemented');
    expect(classifyRpcError(overWebRtc(tail)).kind).toBe('unknown');
    // A hostile message built to make a careless pattern backtrack.
    const hostile = `unknown method ${'a '.repeat(5120)}`;
    const started = performance.now();
    for (let i = 0; i < 100; i++) classifyRpcError(overWebRtc(hostile));
    expect(performance.now() - started).toBeLessThan(2000);
    const shown = errorMessage(overWebRtc(tail));
    expect(shown.length).toBeLessThan(MAX_ERROR_CHARS + 40);
    expect(shown).toMatch(/more characters\)$/);
  });

  it('never throws on odd input', () => {
    const cyclic: { message: string; cause?: unknown } = { message: 'a' };
    cyclic.cause = cyclic;
    for (const odd of [
      undefined,
      null,
      42,
      'unknown service x',
      {},
      [1, [2]],
      cyclic,
      { code: 'x', message: 7 },
    ]) {
      expect(() => classifyRpcError(odd)).not.toThrow();
    }
    expect(classifyRpcError('unknown service x').kind).toBe('unimplemented');
    expect(classifyRpcError(undefined).kind).toBe('unknown');
  });

  it('helpers and labels', () => {
    expect(isUnimplemented(overWebRtc('Unimplemented'))).toBe(true);
    expect(isUnimplemented(overWebRtc('motor is not moving'))).toBe(false);
    expect(isNotFound(overWebRtc('resource "rdk:component:base/base" not found'))).toBe(true);
    expect(rpcErrorLabel('unimplemented')).toBe('Not supported by this model');
    expect(rpcErrorLabel('not-found')).toBe('Gone from the machine');
    expect(rpcErrorLabel('unknown')).toBe('');
  });
});
