import '../../security/boot.ts';
import '../../styles/page.css';
import '../../widgets/problem-screen.ts';
import './fleet-app.ts';
import { API_KEY_COOKIE, readApiKeyCookie } from '../../lib/api-key-cookie.ts';
import { cloudAddress } from '../../config.ts';
import { startFleetRequest } from '../../controllers/fleet-controller.ts';
import { readCookieJar, readRawCookie } from '../../lib/cookie-jar.ts';
import { explainTokenFailure } from '../../lib/token-explanations.ts';
import { readUserToken, USER_TOKEN_COOKIE, type UserTokenResult } from '../../lib/user-token.ts';

/**
 * The fleet app: the platform opens it at its origin's root with the user's `userToken` cookie. This
 * entry is where that cookie is read: once now, to explain at once when it is missing or unusable,
 * and again by the fleet for every refresh and every machine it opens (the platform refreshes it).
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
// The list is asked for before anything is drawn; the page is drawn in the next task, while the
// request is out (a first render in this task would run before the request's own microtasks).
const early = first.ok ? startFleetRequest(cloudAddress, first.token) : undefined;
setTimeout(() => {
  if (first.ok) {
    const app = document.createElement('fleet-app');
    app.readToken = readToken;
    app.early = early;
    document.body.prepend(app);
  } else {
    const screen = document.createElement('problem-screen');
    screen.explanation = explainTokenFailure(first.failure);
    document.body.prepend(screen);
  }
}, 0);
