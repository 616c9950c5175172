/** gRPC errors the way viam-server words them, and argument checks that raise them. */
import { Code, ConnectError } from '@connectrpc/connect';

export function notFound(fullName: string): ConnectError {
  return new ConnectError(`resource "${fullName}" not found`, Code.NotFound);
}

export function invalidArgument(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

export function unimplemented(what: string): ConnectError {
  return new ConnectError(`${what} unimplemented`, Code.Unimplemented);
}

/** rdk's session.ErrNoSession. */
export function sessionExpired(): ConnectError {
  return new ConnectError('SESSION_EXPIRED', Code.InvalidArgument);
}

/** Anything that is not already a ConnectError becomes Internal, so handlers never leak other errors. */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ConnectError(message, Code.Internal);
}

export function finite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw invalidArgument(`${what} must be a finite number, got ${value}`);
  return value;
}

export function inRange(value: number, min: number, max: number, what: string): number {
  finite(value, what);
  if (value < min || value > max)
    throw invalidArgument(`${what} must be between ${min} and ${max}, got ${value}`);
  return value;
}
