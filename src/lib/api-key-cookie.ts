/**
 * The fleet app's credential where no user token exists: a self-hosted console (src/server/) sets
 * the cookie `viamApiKey` on the fleet page from a location- or organization-scoped API key, as
 * url-encoded JSON `{"credentials": {"type": "api-key", "authEntity": "<key id>", "payload": "<key>"}}`.
 * Viam Applications never sets it (it sets `userToken`). Pure; failures never carry the value.
 */

export const API_KEY_COOKIE = 'viamApiKey';

export interface ApiKeyCredential {
  readonly type: 'api-key';
  readonly authEntity: string;
  readonly payload: string;
}

export type ApiKeyCookieResult =
  | { readonly ok: true; readonly credential: ApiKeyCredential }
  | { readonly ok: false; readonly reason: 'no-cookie' | 'unreadable' | 'bad-fields' };

/** Key ids and keys as Viam issues them: visible ASCII, no spaces. */
const TOKEN = /^[\x21-\x7e]{1,512}$/;

/** @param decoded the cookie's value, percent-decoded once (as js-cookie hands it over) */
export function readApiKeyCookie(decoded: string | undefined): ApiKeyCookieResult {
  if (decoded === undefined || decoded.trim() === '') return { ok: false, reason: 'no-cookie' };
  if (decoded.length > 8192) return { ok: false, reason: 'unreadable' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  const credentials =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as { credentials?: unknown }).credentials
      : undefined;
  if (typeof credentials !== 'object' || credentials === null) return { ok: false, reason: 'bad-fields' };
  const { type, authEntity, payload } = credentials as Record<string, unknown>;
  if (type !== 'api-key' || typeof authEntity !== 'string' || typeof payload !== 'string')
    return { ok: false, reason: 'bad-fields' };
  if (!TOKEN.test(authEntity) || !TOKEN.test(payload)) return { ok: false, reason: 'bad-fields' };
  return { ok: true, credential: { type: 'api-key', authEntity, payload } };
}
