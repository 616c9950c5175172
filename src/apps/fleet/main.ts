import '../../security/boot.ts';
import '../../styles/page.css';
import { startFleetRequest } from '../../cloud/fleet-request.ts';
import { cloudAddress } from '../../config.ts';
import { API_KEY_COOKIE, readApiKeyCookie } from '../../lib/api-key-cookie.ts';
import { readCookieJar, readRawCookie } from '../../lib/cookie-jar.ts';
import { readUserToken, USER_TOKEN_COOKIE, type UserTokenResult } from '../../lib/user-token.ts';
import { showLoadFailed } from '../../widgets/load-failed.ts';

/**
 * The fleet app: the platform opens it at its origin's root with the user's `userToken` cookie. This
 * entry is where that cookie is read: once now, to ask for the list at once (or to explain at once
 * when the cookie is missing or unusable), and again by the fleet for every refresh and every
 * machine it opens (the platform refreshes it).
 *
 * The list's request leaves before any of the interface's code (Lit, the list, the fleet's
 * controller) is loaded or evaluated: that code is imported here, after the request, and drawn
 * while the request is out. (On the bench's local link the request leaves no earlier for it, 290
 * against 289 ms: the SDK's evaluation is what it waits for. On a slow network it no longer waits
 * for the interface's 22 KB gzip.)
 */
const readToken = (): UserTokenResult => {
  const raw = readRawCookie(USER_TOKEN_COOKIE);
  // Where no user token exists (a self-hosted console, src/server/), a location- or
  // organization-scoped API key the server put in its own cookie stands in for it.
  if (raw === undefined) {
    const key = readApiKeyCookie(readCookieJar()[API_KEY_COOKIE]);
    if (key.ok)
      return {
        ok: true,
        token: { accessToken: key.credential.payload, apiKeyId: key.credential.authEntity },
      };
  }
  return readUserToken(raw, Date.now());
};

const first = readToken();
const early = first.ok ? startFleetRequest(cloudAddress, first.token) : undefined;
import('./mount.ts').then(({ mountFleet, mountProblem }) => {
  if (first.ok && early) mountFleet(readToken, early);
  else if (!first.ok) mountProblem(first.failure);
}, showLoadFailed);
