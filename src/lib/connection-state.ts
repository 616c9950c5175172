/**
 * Connection state as the UI shows it, and the mapping from SDK errors to explanations an operator can
 * act on. Pure: no SDK import, no DOM.
 */

/**
 * - connecting: the first dial of this page (or after Retry on the failure screen)
 * - connected: the machine answers
 * - reconnecting: the machine was connected, stopped answering, and the app is trying to get it back
 * - failed: the first dial failed; `problem` says why
 * - closed: the page is leaving
 */
export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export type ConnectionProblemKind = 'auth' | 'not-found' | 'unreachable' | 'unknown';

export interface ConnectionProblem {
  readonly kind: ConnectionProblemKind;
  /** A short technical detail (error code and message), already scrubbed of secrets. */
  readonly detail: string;
}

/** The machine session that makes the machine stop motion if this page vanishes. */
export interface SessionHealth {
  readonly state: 'none' | 'starting' | 'active' | 'expired' | 'unsupported' | 'error';
  /** The session id (not a secret: it only names the session). */
  readonly id?: string;
  /** Epoch ms when the session was last confirmed alive by the machine. */
  readonly confirmedAt?: number;
  readonly detail?: string;
}

export interface ConnectionSnapshot {
  readonly phase: ConnectionPhase;
  readonly hostname: string;
  /** Set when phase is 'failed', and while reconnecting after a failed attempt. */
  readonly problem?: ConnectionProblem;
  /** How the current client reaches the machine. */
  readonly transport?: 'webrtc' | 'grpc';
  /** Dial attempts since the connection was last good (1 = first try). */
  readonly attempt?: number;
  /** Epoch ms of the next automatic attempt, while waiting for it. */
  readonly nextAttemptAt?: number;
  /** Latest measured round trip of a unary call, ms. */
  readonly rttMs?: number;
  /** Epoch ms when the machine last answered. */
  readonly lastSeenAt?: number;
  readonly session?: SessionHealth;
  /** Sessions of other clients on the machine, at the last session check. */
  readonly otherClients?: number;
}

/** gRPC codes as connect-es numbers them (the SDK bundles its own copy, so no instanceof). */
const GRPC_CODE = {
  notFound: 5,
  permissionDenied: 7,
  unavailable: 14,
  unauthenticated: 16,
  deadlineExceeded: 4,
  unimplemented: 12,
} as const;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  rawMessage?: unknown;
  cause?: unknown;
}

/** Every error in a chain of causes (the SDK wraps per-method errors in `cause: Error[]`). */
function flatten(error: unknown, depth = 0, out: ErrorLike[] = []): ErrorLike[] {
  if (depth > 5 || error === null || typeof error !== 'object') {
    if (typeof error === 'string') out.push({ message: error });
    return out;
  }
  if (Array.isArray(error)) {
    for (const item of error.slice(0, 10)) flatten(item, depth + 1, out);
    return out;
  }
  const e = error as ErrorLike;
  out.push(e);
  if (e.cause !== undefined) flatten(e.cause, depth + 1, out);
  return out;
}

/** Removes every occurrence of each secret from a text. */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('•••');
  }
  return result;
}

/** The gRPC code of an SDK error, if it has one. */
export function grpcCode(error: unknown): number | undefined {
  return flatten(error)
    .map((e) => e.code)
    .find((c): c is number => typeof c === 'number');
}

export const isUnimplemented = (error: unknown): boolean => grpcCode(error) === GRPC_CODE.unimplemented;

/** Explains why a dial failed. `secrets` are removed from the detail text. */
export function classifyConnectionError(error: unknown, secrets: readonly string[]): ConnectionProblem {
  const chain = flatten(error);
  const codes = chain.map((e) => e.code).filter((c): c is number => typeof c === 'number');
  const text = chain
    .map((e) => (typeof e.message === 'string' ? e.message : ''))
    .filter((m) => m !== '')
    .join(' ← ')
    .slice(0, 400);
  const lower = text.toLowerCase();

  let kind: ConnectionProblemKind = 'unknown';
  if (
    codes.includes(GRPC_CODE.permissionDenied) ||
    codes.includes(GRPC_CODE.unauthenticated) ||
    /permission denied|permission_denied|unauthenticated|invalid credentials|unauthorized/.test(lower)
  ) {
    kind = 'auth';
  } else if (codes.includes(GRPC_CODE.notFound) || /not found|not_found/.test(lower)) {
    kind = 'not-found';
  } else if (
    codes.includes(GRPC_CODE.unavailable) ||
    codes.includes(GRPC_CODE.deadlineExceeded) ||
    /fetch failed|failed to fetch|timed? ?out|unavailable|ice|network|connect/.test(lower)
  ) {
    kind = 'unreachable';
  }
  return { kind, detail: scrub(text === '' ? 'no details' : text, secrets) };
}

/** A readable name for a machine from its Viam hostname: `rover-main.abc.viam.cloud` -> `rover`. */
export function machineNameFromHostname(hostname: string): string {
  const withoutScheme = hostname.replace(/^https?:\/\//, '');
  const label = withoutScheme.split(/[.:]/, 1)[0] ?? withoutScheme;
  const name = label.replace(/-main$/, '');
  return name === '' ? hostname : name;
}
