import type { RobotClient } from '@viamrobotics/sdk';

type MachineStatus = Awaited<ReturnType<RobotClient['getMachineStatus']>>;

/** A prefetched status older than this is not shown as the first one: it is asked anew. */
const FRESH_MS = 1000;

const prefetched = new WeakMap<
  RobotClient,
  { readonly status: Promise<MachineStatus>; readonly at: number }
>();

/**
 * Asks a client the machine's status the moment it is connected, before anything else of the page
 * asks it anything: the first thing the operator waits for goes first, and the dashboard's code
 * (which may still be loading) takes the answer with takeStatus. Once per client.
 */
export function prefetchStatus(client: RobotClient): void {
  if (prefetched.has(client)) return;
  const status = client.getMachineStatus();
  // Read by takeStatus, which reports a failure (Unimplemented on an older viam-server, say).
  status.catch(() => undefined);
  prefetched.set(client, { status, at: performance.now() });
}

/** The client's prefetched status if it is fresh and not taken yet, else a new GetMachineStatus. */
export function takeStatus(client: RobotClient): Promise<MachineStatus> {
  const entry = prefetched.get(client);
  if (entry) {
    // Taken once; the WeakMap keeps the key so a later prefetch of this client does nothing.
    prefetched.set(client, { status: entry.status, at: -Infinity });
    if (performance.now() - entry.at <= FRESH_MS) return entry.status;
  }
  return client.getMachineStatus();
}
