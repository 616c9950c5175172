/**
 * What the fleet's user reads when their sign-in (the `userToken` cookie) cannot be used: one
 * explanation per failure. Pure text that never quotes the cookie. Its own module so the
 * single-machine page, which shares explanations.ts, does not carry it.
 */
import { OPEN_FLEET_FROM_VIAM, SIGN_IN_AGAIN, type Explanation } from './explanations.ts';
import type { TokenProblem, UserTokenFailure } from './user-token.ts';

const FLEET_LOCAL =
  'Running locally? `npm start` opens the fleet at /fleet/ signed in to the simulated cloud; behind `viam module local-app-testing`, open http://localhost:8012/start after `viam login`.';

const TOKEN_PROBLEM_WORDS: Record<TokenProblem, string> = {
  missing: 'holds no access token',
  empty: 'holds an empty access token',
  'wrong-type': 'holds an access token of the wrong type',
  invalid: 'holds an access token that cannot be sent',
};

export function explainTokenFailure(failure: UserTokenFailure): Explanation {
  switch (failure.reason) {
    case 'no-cookie':
      return {
        id: 'token-no-cookie',
        title: 'You are not signed in',
        what: 'The browser holds no Viam sign-in for this app. The link may have been opened outside the Viam app, or the sign-in was cleared.',
        steps: [OPEN_FLEET_FROM_VIAM, FLEET_LOCAL],
      };
    case 'unreadable':
      return {
        id: 'token-unreadable',
        title: 'Your sign-in is unreadable',
        what: 'The sign-in stored for this app is not in the format Viam writes.',
        steps: [
          SIGN_IN_AGAIN,
          'If that does not help, clear this site’s cookies and open the app again from the Viam app.',
        ],
      };
    case 'no-token':
      return {
        id: 'token-no-token',
        title: 'Your sign-in is incomplete',
        what: `The sign-in stored for this app ${TOKEN_PROBLEM_WORDS[failure.problem]}.`,
        steps: [SIGN_IN_AGAIN, OPEN_FLEET_FROM_VIAM],
      };
    case 'expired':
      return {
        id: 'token-expired',
        title: 'Your sign-in has expired',
        what: `The sign-in stored for this app expired ${new Date(failure.expiredAt).toISOString().replace('T', ' ').slice(0, 16)} UTC.`,
        steps: [SIGN_IN_AGAIN, FLEET_LOCAL],
      };
  }
}
