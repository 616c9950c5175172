/**
 * What the console shows of Viam's cloud (the app API): why a call failed, in words an operator can
 * act on, and one machine's cloud facts (organization, location, online state, config history).
 * Pure: no SDK import, no DOM. Names and values come from the cloud and are treated as untrusted text.
 */
import { grpcCode, scrub } from './connection-state.ts';
import { capText, inertText } from './inert-text.ts';
import { timestampMs, type TimestampLike } from './time.ts';
import { errorMessage } from './summarize.ts';

/** Which credential the cloud client holds: the machine's API key, or the signed-in user's token. */
export type CloudCredentialKind = 'api-key' | 'access-token';

/** The shapes createViamClient takes (the same as a dial's credentials). */
export type CloudCredential =
  | { readonly type: 'api-key'; readonly authEntity: string; readonly payload: string }
  | { readonly type: 'access-token'; readonly payload: string };

/** Read for every new client: the platform refreshes a user's token in its cookie. */
export type CloudCredentialSource = () => CloudCredential | { readonly problem: unknown };

export interface CloudAccessOptions {
  /** The machine (robot) id whose main part's logs and facts are read. */
  readonly machineId: string;
  readonly credential: CloudCredentialSource;
  /** Texts never to show (the key or token); read whenever text is cleaned. */
  readonly secrets: () => readonly string[];
  /** From build config only (src/config.ts): the signaling origin. */
  readonly cloudAddress: string;
}

/**
 * - denied: the credential may not read this (PermissionDenied): retrying will not help
 * - unauthenticated: the cloud does not accept the credential (expired token, revoked key)
 * - not-found: the machine or part is unknown to the cloud
 * - unimplemented: this cloud does not serve the call
 * - unavailable: the cloud cannot be reached or is failing
 * - slow: no answer in time
 */
export type CloudProblemKind =
  'denied' | 'unauthenticated' | 'not-found' | 'unimplemented' | 'unavailable' | 'slow' | 'unknown';

export interface CloudProblem {
  readonly kind: CloudProblemKind;
  /** A short technical detail, scrubbed of secrets and inert. */
  readonly detail: string;
  /** Whether trying again later can help. */
  readonly retry: boolean;
}

const CODE = {
  canceled: 1,
  unknown: 2,
  deadlineExceeded: 4,
  notFound: 5,
  permissionDenied: 7,
  resourceExhausted: 8,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;

/** Why a cloud call failed. `timedOut`: the caller gave up waiting (its own deadline). */
export function classifyCloudError(
  error: unknown,
  secrets: readonly string[],
  timedOut = false,
): CloudProblem {
  const detail = capText(scrub(inertText(errorMessage(error)), secrets), 300) || 'no details';
  if (timedOut) return { kind: 'slow', detail, retry: true };
  const code = grpcCode(error);
  const lower = detail.toLowerCase();
  // Viam's Authenticate refuses a wrong or revoked key with PermissionDenied "invalid credentials":
  // the key itself is not accepted, which is not the same as a key without access to logs.
  if (/invalid credentials/.test(lower)) return { kind: 'unauthenticated', detail, retry: false };
  switch (code) {
    case CODE.permissionDenied:
      return { kind: 'denied', detail, retry: false };
    case CODE.unauthenticated:
      return { kind: 'unauthenticated', detail, retry: false };
    case CODE.notFound:
      return { kind: 'not-found', detail, retry: false };
    case CODE.unimplemented:
      return { kind: 'unimplemented', detail, retry: false };
    case CODE.deadlineExceeded:
      return { kind: 'slow', detail, retry: true };
    case CODE.unavailable:
    case CODE.internal:
    case CODE.resourceExhausted:
      return { kind: 'unavailable', detail, retry: true };
    default:
      break;
  }
  if (/permission denied|permission_denied|forbidden/.test(lower))
    return { kind: 'denied', detail, retry: false };
  if (/unauthenticated|unauthori[sz]ed/.test(lower)) return { kind: 'unauthenticated', detail, retry: false };
  if (/timed? ?out|deadline/.test(lower)) return { kind: 'slow', detail, retry: true };
  return {
    kind: code === undefined || code === CODE.unknown ? 'unavailable' : 'unknown',
    detail,
    retry: true,
  };
}

/** The credential, as the operator knows it. */
function holder(kind: CloudCredentialKind): string {
  return kind === 'api-key' ? 'this key' : 'your account';
}

/** One calm sentence about a problem reading logs. `retryInMs`: when the next try is due. */
export function explainLogsProblem(
  problem: CloudProblem,
  credential: CloudCredentialKind,
  retryInMs?: number,
): string {
  const again =
    retryInMs === undefined ? '' : ` Trying again in ${Math.max(1, Math.ceil(retryInMs / 1000))} s.`;
  switch (problem.kind) {
    case 'denied':
      return credential === 'api-key'
        ? 'This key cannot read logs for this machine.'
        : 'Your account cannot read logs for this machine.';
    case 'unauthenticated':
      return credential === 'api-key'
        ? 'The cloud did not accept this key, so logs cannot be read.'
        : 'Sign in again: the cloud no longer accepts your session.';
    case 'not-found':
      return `The cloud does not know this machine, so its logs cannot be read with ${holder(credential)}.`;
    case 'unimplemented':
      return 'This cloud does not serve machine logs.';
    case 'slow':
      return `The cloud is slow to answer; the machine itself is unaffected.${again}`;
    case 'unavailable':
      return `The cloud cannot be reached; the machine itself is unaffected.${again}`;
    case 'unknown':
      return `Logs are unavailable right now.${again}`;
  }
}

// --- Cloud facts ------------------------------------------------------------------------------

/** viam.app.v1.OnlineState. */
export const ONLINE_STATE = { unspecified: 0, online: 1, offline: 2, awaitingSetup: 3 } as const;

export type CloudOnline = 'online' | 'offline' | 'awaiting-setup' | 'unknown';

/** What the cloud says of a machine or part being online (Robot and RobotPart carry the same fields). */
export interface OnlineFields {
  readonly onlineState?: number;
  readonly lastAccess?: TimestampLike | undefined;
  readonly secondsSinceOnline?: bigint | number;
}

/** Viam's own examples call a part live when it was seen in the last 10 s, where the state is unset. */
const LIVE_WITHIN_MS = 10_000;

export interface OnlineView {
  readonly state: CloudOnline;
  /** Epoch ms the machine was last online, when known. */
  readonly lastOnlineMs?: number;
}

export function onlineView(fields: OnlineFields | undefined, now = Date.now()): OnlineView {
  if (!fields) return { state: 'unknown' };
  const lastAccess = timestampMs(fields.lastAccess);
  let since: number | undefined;
  try {
    const s = Number(fields.secondsSinceOnline ?? Number.NaN);
    since = Number.isFinite(s) && s >= 0 ? now - s * 1000 : undefined;
  } catch {
    since = undefined;
  }
  const lastOnlineMs = lastAccess ?? since;
  const withLast = (state: CloudOnline): OnlineView =>
    lastOnlineMs === undefined ? { state } : { state, lastOnlineMs };
  switch (fields.onlineState) {
    case ONLINE_STATE.online:
      return withLast('online');
    case ONLINE_STATE.offline:
      return withLast('offline');
    case ONLINE_STATE.awaitingSetup:
      return { state: 'awaiting-setup' };
    default:
      if (lastAccess === undefined) return withLast('unknown');
      return withLast(now - lastAccess < LIVE_WITHIN_MS ? 'online' : 'offline');
  }
}

export function onlineLabel(state: CloudOnline): string {
  switch (state) {
    case 'online':
      return 'Online';
    case 'offline':
      return 'Offline';
    case 'awaiting-setup':
      return 'Awaiting setup';
    case 'unknown':
      return 'Unknown';
  }
}

/** viam.app.v1.AuthenticationType: how the editor of a config signed in. */
const EDITOR_KIND: Readonly<Record<number, string>> = {
  1: 'user',
  2: 'API key',
  3: 'part secret',
  4: 'location secret',
};

export interface RawHistoryEntry {
  readonly when?: TimestampLike | undefined;
  readonly editedBy?:
    { readonly type?: number; readonly value?: string; readonly isDeactivated?: boolean } | undefined;
}

export interface HistoryItem {
  /** Epoch ms of the change, when known. */
  readonly when: number | undefined;
  /** Who changed it (an email or a key id), inert and scrubbed; '' when the cloud did not say. */
  readonly who: string;
  /** How they signed in ("user", "API key"…), '' when unknown. */
  readonly how: string;
  readonly deactivated: boolean;
}

/** Config history entries, newest first, at most `max`. */
export function historyItems(
  entries: readonly RawHistoryEntry[],
  secrets: readonly string[],
  max = 50,
): HistoryItem[] {
  return entries
    .slice(0, 500)
    .map((e) => ({
      when: timestampMs(e.when),
      who: cloudText(e.editedBy?.value, secrets),
      how: EDITOR_KIND[e.editedBy?.type ?? 0] ?? '',
      deactivated: e.editedBy?.isDeactivated === true,
    }))
    .sort((a, b) => (b.when ?? -Infinity) - (a.when ?? -Infinity))
    .slice(0, max);
}

/** A name or value from the cloud, safe to show: inert, scrubbed, at most `max` characters. */
export function cloudText(text: unknown, secrets: readonly string[], max = 200): string {
  if (typeof text !== 'string') return '';
  const clean = scrub(inertText(text), secrets).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${capText(clean, max - 1)}…` : clean;
}
