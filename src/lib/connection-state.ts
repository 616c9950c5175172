/**
 * Connection state as the UI shows it, and the mapping from SDK errors to explanations an operator can
 * act on. Pure: no SDK import, no DOM.
 */
import type { RawOperation } from './operations.ts';
import { classifyRpcError, errorChain, isUnimplemented } from './rpc-error.ts';

/**
 * - connecting: the first dial of this page (or after Retry on the failure screen)
 * - connected: the machine answers
 * - reconnecting: the machine was connected, stopped answering, and the app is trying to get it back
 * - failed: the first dial failed; `problem` says why
 * - closed: the page is leaving
 */
export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/**
 * - auth: an API key was refused
 * - signed-out: the user's access token was refused (Unauthenticated): only a new sign-in helps
 * - forbidden: the access token is valid but may not reach this machine (PermissionDenied)
 */
export type ConnectionProblemKind =
  'auth' | 'signed-out' | 'forbidden' | 'not-found' | 'unreachable' | 'unknown';

export interface ConnectionProblem {
  readonly kind: ConnectionProblemKind;
  /** A short technical detail (error code and message), already scrubbed of secrets. */
  readonly detail: string;
}

/**
 * What a dial signs in with: a machine's API key (single-machine app) or the user's access token
 * (fleet app). The same shapes the SDK's DialConf takes.
 */
export type DialCredential =
  | { readonly type: 'api-key'; readonly authEntity: string; readonly payload: string }
  | { readonly type: 'access-token'; readonly payload: string };

/**
 * Read anew for every dial (the platform refreshes the user's token in its cookie), or the problem
 * that stops the dial before it starts.
 */
export type CredentialSource = () => DialCredential | { readonly problem: ConnectionProblem };

/** The machine session that makes the machine stop motion if this page vanishes. */
export interface SessionHealth {
  readonly state: 'none' | 'starting' | 'active' | 'expired' | 'unsupported' | 'error';
  /** The session id (not a secret: it only names the session). */
  readonly id?: string;
  /** Epoch ms when the session was last confirmed alive by the machine. */
  readonly confirmedAt?: number;
  readonly detail?: string;
  /** Starting a new session in place of one the machine let lapse (not this connection's first). */
  readonly renewing?: boolean;
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
  /** The machine's sessions at the last session check; `own` is this page's. */
  readonly sessions?: readonly { readonly id: string; readonly own: boolean }[];
  /** The machine's running operations at the last check (the 1 s pulse asks for them anyway). */
  readonly operations?: readonly RawOperation[];
}

/**
 * Whether motion commands may go out: connected, and not while a machine session is being started
 * (the connection's first, or a new one in place of one the machine let lapse). SDK 0.61.1 adds the
 * session id only to the methods it learns are safety-monitored, and it learns them from the
 * machine's reflection service during the session start: a motion call sent before that start has
 * finished goes out with no session, and the machine would not stop it if this page vanished.
 * During a renewal the SDK (which knows the monitored methods by then) holds motion calls until the
 * new session is up, but not Stop, which would then overtake them: new motion waits here too, as the operator is told. A motion already held goes on
 * once the session is up (the motion guard waits for the start itself and drops a motion whose hold
 * ended meanwhile: see sessionStartPending). (A machine without sessions, or whose session start
 * failed, still lets the page drive: the header says nothing stops it then.)
 */
export function motionReady(state: ConnectionSnapshot | undefined): boolean {
  return state?.phase === 'connected' && state.session?.state !== 'starting';
}

/** Removes every occurrence of each secret from a text. */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('•••');
  }
  return result;
}

/** The gRPC code of an SDK error, if it has one (see rpc-error.ts for why it is often Unknown). */
export function grpcCode(error: unknown): number | undefined {
  return classifyRpcError(error).code;
}

export { isUnimplemented };

/**
 * Explains why a dial failed. `secrets` are removed from the detail text. With a user's access token
 * a refusal is told apart: Unauthenticated means the sign-in is gone (sign in again), PermissionDenied
 * that this user may not reach this one machine. With an API key both mean the key is wrong.
 */
export function classifyConnectionError(
  error: unknown,
  secrets: readonly string[],
  credentialType: 'api-key' | 'access-token' = 'api-key',
): ConnectionProblem {
  const chain = errorChain(error);
  // Each error of the chain on its own: the SDK collects one per dial method, and any of them may
  // be the one that names the cause.
  const kinds = new Set(
    chain.map((e) => classifyRpcError({ code: e.code, message: e.message, rawMessage: e.rawMessage }).kind),
  );
  const text = chain
    .map((e) => (typeof e.message === 'string' ? e.message : ''))
    .filter((m) => m !== '')
    .join(' ← ')
    .slice(0, 400);
  const lower = text.toLowerCase();

  let kind: ConnectionProblemKind = 'unknown';
  const unauthenticated = kinds.has('unauthenticated') || /unauthorized/.test(lower);
  const denied = kinds.has('permission-denied');
  if (credentialType === 'access-token' && (unauthenticated || denied)) {
    // Both in one chain: the dead sign-in explains the denial too.
    kind = unauthenticated ? 'signed-out' : 'forbidden';
  } else if (unauthenticated || denied) {
    kind = 'auth';
  } else if (kinds.has('not-found')) {
    kind = 'not-found';
  } else if (
    kinds.has('unavailable') ||
    kinds.has('deadline-exceeded') ||
    /timed? ?out|ice|network|connect/.test(lower)
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
