/**
 * Reads the user's access token that Viam Applications hands a multi-machine app.
 *
 * The platform sets one cookie, `userToken`, whose value is the url-encoded JSON of the OAuth token
 * (`{"access_token","token_type","refresh_token","expiry"}`); `viam module local-app-testing` writes
 * only `{"access_token"}`. Deployments and samples have wrapped, quoted or double-encoded it, so this
 * reader takes the raw cookie value (undecoded, see cookie-jar.ts) and peels it defensively.
 *
 * Pure: no `document`, no clock of its own. Failures say what is wrong and never carry any part of the
 * value: the token is a bearer credential for every machine the user may see.
 */
import type { ConnectionProblem, DialCredential } from './connection-state.ts';

/** The cookie's name, as the platform and the CLI set it. */
export const USER_TOKEN_COOKIE = 'userToken';

export interface UserToken {
  /** The bearer token; with `apiKeyId`, the API key itself. */
  readonly accessToken: string;
  /**
   * Set when the credential is a location- or organization-scoped API key instead of a user's
   * token (a self-hosted console, src/lib/api-key-cookie.ts): the key's id, its auth entity.
   */
  readonly apiKeyId?: string;
  /** Epoch ms after which the token is no longer valid, when the cookie says so. */
  readonly expiresAt?: number;
}

export type TokenProblem = 'missing' | 'empty' | 'wrong-type' | 'invalid';

export type UserTokenFailure =
  | { readonly reason: 'no-cookie' }
  | { readonly reason: 'unreadable' }
  | { readonly reason: 'no-token'; readonly problem: TokenProblem }
  | { readonly reason: 'expired'; readonly expiredAt: number };

export type UserTokenResult =
  | { readonly ok: true; readonly token: UserToken }
  | { readonly ok: false; readonly failure: UserTokenFailure };

/** A browser caps a cookie at 4 KiB; anything much larger is not the platform's. */
const MAX_COOKIE_VALUE = 16 * 1024;
/**
 * A token must be sendable as `authorization: Bearer <token>`: visible ASCII only (fetch would throw
 * on anything else, and a header error could quote the value).
 */
const TOKEN_PATTERN = /^[\x21-\x7e]{1,8192}$/;
/** Times before this are Go's zero time (`0001-01-01T00:00:00Z`): the token says nothing of expiry. */
const EARLIEST_REAL_EXPIRY = Date.UTC(2000, 0, 1);

/**
 * @param raw the cookie value exactly as the browser holds it (not percent-decoded), undefined when
 *   there is no such cookie
 * @param now epoch ms, to decide whether the token has expired
 */
export function readUserToken(raw: string | undefined, now: number): UserTokenResult {
  if (raw === undefined || raw.trim() === '') return fail({ reason: 'no-cookie' });
  if (raw.length > MAX_COOKIE_VALUE) return fail({ reason: 'unreadable' });
  const json = findObject(raw);
  if (json === undefined) return fail({ reason: 'unreadable' });

  const candidate = json['access_token'] ?? json['accessToken'];
  const problem = tokenProblem(candidate);
  if (problem !== undefined) return fail({ reason: 'no-token', problem });
  const accessToken = candidate as string;

  const expiresAt = readExpiry(json['expiry'] ?? json['expires_at'] ?? json['expiresAt']);
  if (expiresAt !== undefined && expiresAt <= now) return fail({ reason: 'expired', expiredAt: expiresAt });
  return { ok: true, token: expiresAt === undefined ? { accessToken } : { accessToken, expiresAt } };
}

/**
 * The dial credential of the user's token as just read, or the "sign in again" problem when the
 * cookie no longer holds a usable token. The detail names the reason, never the value.
 */
export function tokenCredential(
  result: UserTokenResult,
): DialCredential | { readonly problem: ConnectionProblem } {
  if (result.ok) {
    const { accessToken, apiKeyId } = result.token;
    return apiKeyId === undefined
      ? { type: 'access-token', payload: accessToken }
      : { type: 'api-key', authEntity: apiKeyId, payload: accessToken };
  }
  const why =
    result.failure.reason === 'no-token' ? `no-token (${result.failure.problem})` : result.failure.reason;
  return { problem: { kind: 'signed-out', detail: `${USER_TOKEN_COOKIE} cookie: ${why}` } };
}

function tokenProblem(value: unknown): TokenProblem | undefined {
  if (value === undefined || value === null) return 'missing';
  if (typeof value !== 'string') return 'wrong-type';
  if (value.trim() === '') return 'empty';
  return TOKEN_PATTERN.test(value) ? undefined : 'invalid';
}

/**
 * The token's JSON object: tried as is, then percent-decoded once, then twice; at each layer quotes
 * are stripped, a JSON string holding JSON is unwrapped, and failing all that the outermost `{…}` is
 * taken (some deployments wrapped the object in other text).
 */
function findObject(raw: string): Record<string, unknown> | undefined {
  let layer: string | undefined = raw;
  for (let depth = 0; depth < 3 && layer !== undefined; depth += 1) {
    const found = objectIn(layer, 0);
    if (found !== undefined) return found;
    const decoded = percentDecode(layer);
    layer = decoded === layer ? undefined : decoded;
  }
  return undefined;
}

function objectIn(text: string, depth: number): Record<string, unknown> | undefined {
  if (depth > 3) return undefined;
  const trimmed = text.trim();
  const parsed = tryParse(trimmed);
  if (isRecord(parsed)) return parsed;
  if (typeof parsed === 'string') return objectIn(parsed, depth + 1);
  const quote = trimmed[0];
  if ((quote === '"' || quote === "'") && trimmed.length >= 2 && trimmed.endsWith(quote)) {
    return objectIn(trimmed.slice(1, -1), depth + 1);
  }
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  if (start < 0 || end <= start || (start === 0 && end === trimmed.length - 1)) return undefined;
  const inner = tryParse(trimmed.slice(start, end + 1));
  return isRecord(inner) ? inner : undefined;
}

/** RFC 3339 text (Go's oauth2 `expiry`), or epoch seconds or ms; anything else says nothing. */
function readExpiry(value: unknown): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    ms = /^\d+(\.\d+)?$/.test(text) ? fromEpoch(Number(text)) : Date.parse(text);
  } else if (typeof value === 'number') {
    ms = fromEpoch(value);
  }
  return ms !== undefined && Number.isFinite(ms) && ms >= EARLIEST_REAL_EXPIRY ? ms : undefined;
}

/** Epoch seconds are below 1e11 until the year 5138; larger numbers are taken as milliseconds. */
function fromEpoch(n: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return n < 1e11 ? n * 1000 : n;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes every run of `%XX` escapes that is valid UTF-8 and leaves the rest as it is, so one stray
 * `%` does not make an otherwise good value unreadable.
 */
function percentDecode(text: string): string {
  return text.replace(/(?:%[\dA-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function fail(failure: UserTokenFailure): UserTokenResult {
  return { ok: false, failure };
}
