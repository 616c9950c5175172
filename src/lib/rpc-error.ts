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

/** gRPC codes as connect-es numbers them (the SDK bundles its own copy, so no instanceof). */
export const GRPC_CODE = {
  canceled: 1,
  unknown: 2,
  invalidArgument: 3,
  deadlineExceeded: 4,
  notFound: 5,
  permissionDenied: 7,
  unimplemented: 12,
  unavailable: 14,
  unauthenticated: 16,
} as const;

const KIND_BY_CODE: Readonly<Record<number, RpcErrorKind>> = {
  1: 'canceled',
  3: 'invalid-argument',
  4: 'deadline-exceeded',
  5: 'not-found',
  7: 'permission-denied',
  12: 'unimplemented',
  14: 'unavailable',
  16: 'unauthenticated',
};

/** connect-es writes a code into the message as `[snake_case_name] …` (e.g. after a re-wrap). */
const KIND_BY_CODE_NAME: Readonly<Record<string, RpcErrorKind>> = {
  canceled: 'canceled',
  invalid_argument: 'invalid-argument',
  deadline_exceeded: 'deadline-exceeded',
  not_found: 'not-found',
  permission_denied: 'permission-denied',
  unimplemented: 'unimplemented',
  unavailable: 'unavailable',
  unauthenticated: 'unauthenticated',
};

/**
 * Message texts, checked in this order (the first match wins), each lower-cased. Sources:
 * - rdk session/context.go: `status.New(codes.InvalidArgument, "SESSION_EXPIRED")`.
 * - rdk grpc/foreign_resource.go `UnimplementedError` and goutils rpc/wrtc_server_stream.go: both
 *   `status.Error(codes.Unimplemented, codes.Unimplemented.String())`, i.e. the bare "Unimplemented"
 *   that viam-server's foreignServiceHandler answers for any method it cannot route.
 * - grpc-go server.go: "unknown service %v", "unknown method %v for service %v".
 * - protoc-gen-go-grpc stubs (a module's generated Unimplemented…Server): "method %s not implemented".
 * - rdk resource/errors.go: `resource %q not found`.
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
  [/\bsession_expired\b|\bsession expired\b/, 'session-expired'],
  [/^unimplemented$/, 'unimplemented'],
  [/\bunknown method \S+ for service \S+|\bunknown service \S+|\bunknown method\b/, 'unimplemented'],
  [/\bmethod \S+ not implemented\b|\bnot implemented\b|\bunimplemented\b/, 'unimplemented'],
  [/\bnot found\b|\bnot_found\b/, 'not-found'],
  [/\bpermission denied\b|\bpermission_denied\b|\bfailed to authenticate\b/, 'permission-denied'],
  [
    /\bunauthenticated\b|\bauthentication required\b|\binvalid credentials\b|\bcannot authenticate entity\b|\binvalid audience\b/,
    'unauthenticated',
  ],
  [/\bdeadline exceeded\b|\bdeadline_exceeded\b|\btimed out\b/, 'deadline-exceeded'],
  [/\bcontext canceled\b/, 'canceled'],
  [
    /\bunavailable\b|\btransport is closing\b|\bconnection closed\b|\bchannel (?:is )?closed\b|\bfailed to dial\b|\bclosed without headers\b|\bfetch failed\b|\bfailed to fetch\b|\bconnection refused\b|^closed$/,
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
  const named = prefix === undefined ? undefined : KIND_BY_CODE_NAME[prefix];
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
  const telling = codes.find((c) => c !== 0 && c !== GRPC_CODE.unknown);
  const code = telling ?? codes[0];
  const fromCode = telling === undefined ? undefined : KIND_BY_CODE[telling];
  const fromText = chain.map(kindFromMessage).find((k) => k !== undefined);
  if (fromCode !== undefined) {
    const sessionEnded = fromCode === 'invalid-argument' && fromText === 'session-expired';
    return { kind: sessionEnded ? 'session-expired' : fromCode, code, fromMessage: false, message };
  }
  return { kind: fromText ?? 'unknown', code, fromMessage: fromText !== undefined, message };
}

export const isUnimplemented = (error: unknown): boolean => classifyRpcError(error).kind === 'unimplemented';
export const isNotFound = (error: unknown): boolean => classifyRpcError(error).kind === 'not-found';

/** A few words an operator can read before the message itself ('' for kinds that need none). */
export function rpcErrorLabel(kind: RpcErrorKind): string {
  switch (kind) {
    case 'unimplemented':
      return 'Not supported by this model';
    case 'not-found':
      return 'Gone from the machine';
    case 'permission-denied':
      return 'Not permitted';
    case 'unauthenticated':
      return 'Not signed in';
    case 'deadline-exceeded':
      return 'Timed out';
    case 'unavailable':
      return 'Machine unreachable';
    case 'session-expired':
      return 'Session expired';
    case 'invalid-argument':
      return 'Refused';
    case 'canceled':
    case 'unknown':
      return '';
  }
}
