/**
 * The words an operator reads before an error's own message. Apart from the classifier so that the
 * first script, which classifies dial failures, does not carry them (only cards and the status show
 * them). Pure.
 */
import type { RpcErrorKind } from './rpc-error.ts';

/** A few words an operator can read before the message itself ('' for kinds that need none). */
export function rpcErrorLabel(kind: RpcErrorKind): string {
  switch (kind) {
    case 'unimplemented':
      return 'Not supported by this model';
    case 'not-found':
      return 'Gone from the machine';
    case 'permission-denied':
      return 'Not permitted';
    case 'unauthenticated':
      return 'Not signed in';
    case 'deadline-exceeded':
      return 'Timed out';
    case 'unavailable':
      return 'Machine unreachable';
    case 'session-expired':
      return 'Session expired';
    case 'invalid-argument':
      return 'Refused';
    case 'canceled':
    case 'unknown':
      return '';
  }
}
