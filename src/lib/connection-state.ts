/**
 * Connection state as the UI shows it, and the mapping from SDK errors to explanations an operator can
 * act on. Pure: no SDK import, no DOM.
 */

export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export type ConnectionProblemKind = 'auth' | 'not-found' | 'unreachable' | 'unknown';

export interface ConnectionProblem {
  readonly kind: ConnectionProblemKind;
  /** A short technical detail (error code and message), already scrubbed of secrets. */
  readonly detail: string;
}

export interface ConnectionSnapshot {
  readonly phase: ConnectionPhase;
  readonly hostname: string;
  /** Set when phase is 'failed'. */
  readonly problem?: ConnectionProblem;
}

/** gRPC codes as connect-es numbers them (the SDK bundles its own copy, so no instanceof). */
const GRPC_CODE = {
  notFound: 5,
  permissionDenied: 7,
  unavailable: 14,
  unauthenticated: 16,
  deadlineExceeded: 4,
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
    /permission denied|unauthenticated|invalid credentials|unauthorized/.test(lower)
  ) {
    kind = 'auth';
  } else if (codes.includes(GRPC_CODE.notFound) || /not found/.test(lower)) {
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
