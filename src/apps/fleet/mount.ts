import '../../widgets/problem-screen.ts';
import './fleet-app.ts';
import type { EarlyFleet } from '../../cloud/fleet-request.ts';
import { explainTokenFailure } from '../../lib/token-explanations.ts';
import type { UserTokenFailure, UserTokenResult } from '../../lib/user-token.ts';

/**
 * The fleet's interface, imported by the entry once the list's request is out (src/apps/fleet/main.ts):
 * the list with the request's answer to come, or the screen that says why there is no list.
 */
export function mountFleet(readToken: () => UserTokenResult, early: EarlyFleet): void {
  const app = document.createElement('fleet-app');
  app.readToken = readToken;
  app.early = early;
  document.body.prepend(app);
}

export function mountProblem(failure: UserTokenFailure): void {
  const screen = document.createElement('problem-screen');
  screen.explanation = explainTokenFailure(failure);
  document.body.prepend(screen);
}
