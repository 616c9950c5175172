/**
 * The one reading of a failed call: the gRPC code when the error still carries one, else what its
 * message says. Pure: no SDK import, no DOM.
 *
 * Why the message matters: every call over the WebRTC data channel (the production path) loses its
 * code in @viamrobotics/sdk 0.61.1. Its data-channel clients (goutils rpc/js UnaryClientStream and
 * StreamClientStream `onTrailers`) reject with `status.message` alone, which connect-es turns into
 * Code.Unknown, "[unknown] <message>". Only over gRPC-web (signaling, direct dials) does the code
 * survive. So the texts viam-server, grpc-go and goutils put in their statuses are matched here.
 */

export type RpcErrorKind =
  | 'unimplemented'
  | 'not-found'
  | 'permission-denied'
  | 'unauthenticated'
  | 'deadline-exceeded'
  | 'unavailable'
  | 'session-expired'
  | 'invalid-argument'
  | 'canceled'
  | 'unknown';

export interface RpcError {
  readonly kind: RpcErrorKind;
  /** The most telling gRPC code in the chain, if any (2, Unknown, for everything over the data channel). */
  readonly code: number | undefined;
  /** True when the kind was read from the message because no code said it. */
  readonly fromMessage: boolean;
  /** The first non-empty message, without connect-es' "[code] " prefix; '' when the machine sent none. */
  readonly message: string;
}

/**
 * gRPC code names by number, as connect-es writes them into messages ("[not_found] …"). The kinds
 * the app acts on are the names of those codes, '-' for '_'; the other codes say nothing it uses.
 */
const CODE_NAMES = [
  '',
  'canceled',
  'unknown',
  'invalid_argument',
  'deadline_exceeded',
  'not_found',
  'already_exists',
  'permission_denied',
  'resource_exhausted',
  'failed_precondition',
  'aborted',
  'out_of_range',
  'unimplemented',
  'internal',
  'unavailable',
  'data_loss',
  'unauthenticated',
];
const KINDS = new Set<string>([
  'canceled',
  'invalid-argument',
  'deadline-exceeded',
  'not-found',
  'permission-denied',
  'unimplemented',
  'unavailable',
  'unauthenticated',
]);
/** Code 2, what every data-channel failure carries. */
const UNKNOWN = 2;

function kindOfCodeName(name: string | undefined): RpcErrorKind | undefined {
  const kind = name?.replace(/_/g, '-');
  return kind !== undefined && KINDS.has(kind) ? (kind as RpcErrorKind) : undefined;
}

/**
 * Message texts, checked in this order (the first match wins), each lower-cased. Sources:
 * - rdk session/context.go: `status.New(codes.InvalidArgument, "SESSION_EXPIRED")`.
 * - rdk grpc/foreign_resource.go `UnimplementedError` and goutils rpc/wrtc_server_stream.go: both
 *   `status.Error(codes.Unimplemented, codes.Unimplemented.String())`, i.e. the bare "Unimplemented"
 *   that viam-server's foreignServiceHandler answers for any method it cannot route.
 * - grpc-go server.go: "unknown service %v", "unknown method %v for service %v".
 * - protoc-gen-go-grpc stubs (a module's generated Unimplemented…Server): "method %s not implemented".
 * - rdk resource/errors.go: `resource %q not found`; micro-RDK (src/common/grpc.rs GrpcError):
 *   "Unimplemented", "rpc not found", "unavailable", "unauthenticated"; the Python SDK
 *   (viam/errors.py): "Method %s not implemented." and `No %s with name "%s" found in the registry`.
 * - goutils rpc/server_auth.go: "failed to authenticate: %s" (PermissionDenied), "authentication
 *   required", "unauthenticated: %s", "invalid audience"; goutils rpc/auth.go: "invalid credentials",
 *   "cannot authenticate entity" (all Unauthenticated).
 * - Go's context package: "context deadline exceeded", "context canceled"; connect-es: "the operation
 *   timed out".
 * - The SDK's ConnectionClosedError ("data channel closed", "connection closed", "client channel is
 *   closed", "failed to dial", rawMessage "closed", "Response closed without headers"), grpc-go's
 *   "transport is closing", and the browsers' fetch failures.
 */
const MESSAGE_RULES: readonly (readonly [RegExp, RpcErrorKind])[] = [
  [/\bsession[ _]expired\b/, 'session-expired'],
  // "unimplemented", "unknown method X for service Y", "unknown service Y", "method X not implemented"
  [/\bunimplemented\b|\bunknown (?:method|service)\b|\bnot implemented\b/, 'unimplemented'],
  [/\bnot[ _]found\b|\bfound in the registry\b/, 'not-found'],
  [/\bpermission[ _]denied\b|\bfailed to authenticate\b/, 'permission-denied'],
  [
    /\bunauthenticated\b|\bauthentication required\b|\binvalid credentials\b|\bcannot authenticate entity\b|\binvalid audience\b/,
    'unauthenticated',
  ],
  [/\bdeadline[ _]exceeded\b|\btimed out\b/, 'deadline-exceeded'],
  [/\bcontext canceled\b/, 'canceled'],
  [
    /\bunavailable\b|\btransport is closing\b|\b(?:connection|channel(?: is)?) closed\b|\bfailed to (?:dial|fetch)\b|\bfetch failed\b|\bclosed without headers\b|\bconnection refused\b|^closed$/,
    'unavailable',
  ],
];

/** Only the head of a message is read: enough for every rule above, cheap on a 10 KB message. */
const SCAN_CHARS = 4096;

interface ErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly rawMessage?: unknown;
  readonly cause?: unknown;
}

/** Every error in a chain of causes (the SDK wraps per-method errors in `cause: Error[]`). */
export function errorChain(error: unknown, depth = 0, out: ErrorLike[] = []): ErrorLike[] {
  if (depth > 5 || error === null || typeof error !== 'object') {
    if (typeof error === 'string') out.push({ message: error });
    return out;
  }
  if (Array.isArray(error)) {
    for (const item of error.slice(0, 10)) errorChain(item, depth + 1, out);
    return out;
  }
  const e = error as ErrorLike;
  out.push(e);
  if (e.cause !== undefined) errorChain(e.cause, depth + 1, out);
  return out;
}

/** The server's own words: connect-es' rawMessage, else the message without its "[code] " prefix. */
function ownMessage(e: ErrorLike): string {
  if (typeof e.rawMessage === 'string') return e.rawMessage;
  if (typeof e.message !== 'string') return '';
  return e.message.replace(/^\[[a-z_]+\]\s?/, '');
}

function kindFromMessage(e: ErrorLike): RpcErrorKind | undefined {
  const full = typeof e.message === 'string' ? e.message : '';
  const prefix = /^\[([a-z_]+)\]/.exec(full)?.[1];
  const named = kindOfCodeName(prefix);
  const text = ownMessage(e).slice(0, SCAN_CHARS).trim().toLowerCase();
  // A session that ended is reported as InvalidArgument: the words must win over that code name.
  if (named !== undefined && !(named === 'invalid-argument' && /session_expired/.test(text))) return named;
  if (text === '') return undefined;
  return MESSAGE_RULES.find(([pattern]) => pattern.test(text))?.[1];
}

/** Classifies any thrown value. Never throws, whatever it is given. */
export function classifyRpcError(error: unknown): RpcError {
  const chain = errorChain(error);
  const message = chain.map(ownMessage).find((m) => m.trim() !== '') ?? '';
  const codes = chain.map((e) => e.code).filter((c): c is number => typeof c === 'number');
  // Unknown (2) is what every data-channel failure carries: it says nothing, so look further.
  const telling = codes.find((c) => c !== 0 && c !== UNKNOWN);
  const code = telling ?? codes[0];
  const fromCode = telling === undefined ? undefined : kindOfCodeName(CODE_NAMES[telling]);
  const fromText = chain.map(kindFromMessage).find((k) => k !== undefined);
  if (fromCode !== undefined) {
    const sessionEnded = fromCode === 'invalid-argument' && fromText === 'session-expired';
    return { kind: sessionEnded ? 'session-expired' : fromCode, code, fromMessage: false, message };
  }
  return { kind: fromText ?? 'unknown', code, fromMessage: fromText !== undefined, message };
}

export const isUnimplemented = (error: unknown): boolean => classifyRpcError(error).kind === 'unimplemented';
export const isNotFound = (error: unknown): boolean => classifyRpcError(error).kind === 'not-found';
