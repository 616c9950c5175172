import { createRobotClient, type DialConf, type RobotClient } from '@viamrobotics/sdk';
import type { DialCredential } from '../lib/connection-state.ts';
import { prefetchFirstCalls } from './first-status.ts';

export type Dialer = (conf: DialConf) => Promise<RobotClient>;

/**
 * How every client of this app is dialled: the first one (which an entry may start before the
 * console's code has loaded, see startEarlyDial) and each redial of the connection controller.
 */
export function dialConf(host: string, credential: DialCredential, signalingAddress: string): DialConf {
  return {
    host,
    credentials: credential,
    signalingAddress,
    // The connection controller is the one place that retries: it sees a lost machine sooner than
    // the SDK's 10 s heartbeat, and it can tell the operator what it is doing.
    noReconnect: true,
    dialTimeout: 10_000,
  };
}

/**
 * A dial an app's entry started before anything else of the page loads, so the machine is reached
 * as early as a page that does nothing but dial; the connection controller adopts it as its first
 * attempt (see ConnectionOptions.earlyDial).
 */
export interface EarlyDial {
  /** The machine it dials. */
  readonly host: string;
  /** The credential it was started with (the controller checks it is still the current one). */
  readonly credential: DialCredential;
  readonly client: Promise<RobotClient>;
}

export function startEarlyDial(
  host: string,
  credential: DialCredential,
  signalingAddress: string,
  dial: Dialer = createRobotClient,
): EarlyDial {
  const client = dial(dialConf(host, credential, signalingAddress));
  void client.then(prefetchFirstCalls, () => undefined);
  // Read by the controller (which reports a failure); until then a rejection is not unhandled.
  client.catch(() => undefined);
  return { host, credential, client };
}
