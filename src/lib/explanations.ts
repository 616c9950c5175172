/**
 * What the operator reads when the app cannot start: one explanation per credential failure and per
 * connection problem. Pure text; never includes a cookie value or a key.
 */
import type { ConnectionProblem } from './connection-state.ts';
import type { CredentialFailure, CredentialField, FieldProblem } from './credentials.ts';

export interface Explanation {
  /** Stable id for tests and styling (`data-problem`). */
  readonly id: string;
  readonly title: string;
  /** What happened, in one or two sentences. */
  readonly what: string;
  /** What to do about it, as steps. */
  readonly steps: readonly string[];
}

const OPEN_FROM_VIAM =
  'Open this app from your machine’s page in the Viam app (app.viam.com), or from the application’s link, so Viam can sign you in and hand the app the machine’s credentials.';
const LOCAL_QUICK_START =
  'Running locally? Start it with `npm start` (see the README’s quick start), which opens the app with a simulated machine.';
const REAL_MACHINE =
  'To use a real machine locally, put its API key in `.env.local` as the README describes.';

const FIELD_NAMES: Record<CredentialField, string> = {
  hostname: 'the machine’s address (hostname)',
  machineId: 'the machine id (machineId)',
  apiKeyId: 'the API key id',
  apiKey: 'the API key',
};

const PROBLEM_WORDS: Record<FieldProblem, string> = {
  missing: 'is missing',
  empty: 'is empty',
  'wrong-type': 'has the wrong type',
  invalid: 'is not valid',
};

export function explainCredentialFailure(failure: CredentialFailure): Explanation {
  switch (failure.reason) {
    case 'no-machine-in-path':
      return {
        id: 'no-machine-in-path',
        title: 'No machine selected',
        what: 'This address does not name a machine. The app expects to be opened at /machine/<machine>/.',
        steps: [OPEN_FROM_VIAM, LOCAL_QUICK_START],
      };
    case 'no-cookie':
      return {
        id: 'no-cookie',
        title: 'No credentials for this machine',
        what: `The browser holds no sign-in for machine “${failure.machineKey}”. It may have expired, been cleared, or the link was opened outside the Viam app.`,
        steps: [OPEN_FROM_VIAM, LOCAL_QUICK_START, REAL_MACHINE],
      };
    case 'not-json':
      return {
        id: 'not-json',
        title: 'The machine’s credentials are unreadable',
        what: `The credentials stored for machine “${failure.machineKey}” are not in the format Viam writes.`,
        steps: [
          'Open the app again from the Viam app: it writes fresh credentials.',
          'If that does not help, clear this site’s cookies and open the app again.',
          LOCAL_QUICK_START,
        ],
      };
    case 'unsupported-credential-type':
      return {
        id: 'unsupported-credential-type',
        title: 'Unsupported credentials',
        what: `The credentials for machine “${failure.machineKey}” are of type “${failure.credentialType}”; this app connects with an API key.`,
        steps: [OPEN_FROM_VIAM, REAL_MACHINE],
      };
    case 'bad-fields': {
      const parts = failure.fields.map((f) => `${FIELD_NAMES[f.field]} ${PROBLEM_WORDS[f.problem]}`);
      return {
        id: 'bad-fields',
        title: 'The machine’s credentials are incomplete',
        what: `In the credentials stored for machine “${failure.machineKey}”, ${joinList(parts)}.`,
        steps: ['Open the app again from the Viam app: it writes fresh credentials.', REAL_MACHINE],
      };
    }
  }
}

export function explainConnectionProblem(problem: ConnectionProblem, hostname: string): Explanation {
  switch (problem.kind) {
    case 'auth':
      return {
        id: 'connection-auth',
        title: 'The machine refused the credentials',
        what: `Signing in to ${hostname} failed: the API key was not accepted.`,
        steps: [
          'Open the app again from the Viam app to get fresh credentials.',
          'If you set a key yourself (`.env.local`), check that the key id and key belong together and can reach this machine.',
        ],
      };
    case 'signed-out':
      return explainSignedOut(`Viam’s signaling for ${hostname}`);
    case 'forbidden':
      return {
        id: 'connection-forbidden',
        title: 'You may not open this machine',
        what: `Viam refused the connection to ${hostname}: your account has no access to this machine.`,
        steps: [
          'Ask an owner of the machine’s organization or location for access.',
          'Other machines in the list are not affected.',
        ],
      };
    case 'not-found':
      return {
        id: 'connection-not-found',
        title: 'Machine not found',
        what: `Viam does not know a machine at ${hostname}, or it is not online right now.`,
        steps: ['Check on the machine’s page in the Viam app that it is online.', 'Retry once it is back.'],
      };
    case 'unreachable':
      return {
        id: 'connection-unreachable',
        title: 'The machine could not be reached',
        what: `No connection to ${hostname} could be made. The machine may be off or offline, or this network may block the connection.`,
        steps: [
          'Check that the machine is powered and online in the Viam app.',
          'Check this computer’s network connection.',
          'Retry.',
        ],
      };
    case 'unknown':
      return {
        id: 'connection-unknown',
        title: 'Connecting failed',
        what: `Connecting to ${hostname} failed for a reason the app did not recognise.`,
        steps: ['Retry. If it keeps failing, see Troubleshooting in the README.'],
      };
  }
}

/** Shared with the fleet's sign-in explanations (token-explanations.ts). */
export const OPEN_FLEET_FROM_VIAM =
  'Open this app from its link in the Viam app (app.viam.com) so Viam signs you in and hands the app your sign-in.';
export const SIGN_IN_AGAIN = 'Reload this page: Viam signs you in again and refreshes the app’s sign-in.';

/** The cloud (or a machine's signaling) refused the user's access token: only a new sign-in helps. */
export function explainSignedOut(where: string): Explanation {
  return {
    id: 'signed-out',
    title: 'Sign in again',
    what: `${where} did not accept your sign-in: it has expired or was revoked.`,
    steps: [SIGN_IN_AGAIN, OPEN_FLEET_FROM_VIAM],
  };
}

function joinList(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}
