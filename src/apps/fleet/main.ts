import '../../security/boot.ts';
import '../../styles/page.css';
import '../../widgets/problem-screen.ts';
import './fleet-app.ts';
import { readRawCookie } from '../../lib/cookie-jar.ts';
import { explainTokenFailure } from '../../lib/token-explanations.ts';
import { readUserToken, USER_TOKEN_COOKIE } from '../../lib/user-token.ts';

/**
 * The fleet app: the platform opens it at its origin's root with the user's `userToken` cookie. This
 * entry is where that cookie is read: once now, to explain at once when it is missing or unusable,
 * and again by the fleet for every refresh and every machine it opens (the platform refreshes it).
 */
const readToken = () => readUserToken(readRawCookie(USER_TOKEN_COOKIE), Date.now());

const first = readToken();
if (first.ok) {
  const app = document.createElement('fleet-app');
  app.readToken = readToken;
  document.body.prepend(app);
} else {
  const screen = document.createElement('problem-screen');
  screen.explanation = explainTokenFailure(first.failure);
  document.body.prepend(screen);
}
