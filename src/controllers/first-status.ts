import type { RobotClient } from '@viamrobotics/sdk';

type MachineStatus = Awaited<ReturnType<RobotClient['getMachineStatus']>>;
type ResourceNames = Awaited<ReturnType<RobotClient['resourceNames']>>;

/** A prefetched answer older than this is not used as the first one: it is asked anew. */
const FRESH_MS = 1000;

/** One call asked ahead per client, for the page's code to take once. */
function prefetched<T>(ask: (client: RobotClient) => Promise<T>) {
  const asked = new WeakMap<RobotClient, { readonly answer: Promise<T>; readonly at: number }>();
  return {
    prefetch(client: RobotClient): void {
      if (asked.has(client)) return;
      const answer = ask(client);
      // Read by take, which reports a failure (Unimplemented on an older viam-server, say).
      answer.catch(() => undefined);
      asked.set(client, { answer, at: performance.now() });
    },
    /** The client's prefetched answer if it is fresh and not taken yet, else the call made now. */
    take(client: RobotClient): Promise<T> {
      const entry = asked.get(client);
      if (entry) {
        // Taken once; the WeakMap keeps the key so a later prefetch of this client does nothing.
        asked.set(client, { answer: entry.answer, at: -Infinity });
        if (performance.now() - entry.at <= FRESH_MS) return entry.answer;
      }
      return ask(client);
    },
  };
}

const status = prefetched<MachineStatus>((client) => client.getMachineStatus());
const names = prefetched<ResourceNames>((client) => client.resourceNames());

/**
 * Asks a client the machine's status and its resource list the moment it is connected, before
 * anything else of the page asks it anything: the first things the operator waits for go first (the
 * list says which camera the first screen shows), and the dashboard's code (which may still be
 * loading) takes the answers with takeStatus and takeResourceNames. Once per client.
 */
export function prefetchFirstCalls(client: RobotClient): void {
  status.prefetch(client);
  names.prefetch(client);
}

/** The client's prefetched status if it is fresh and not taken yet, else a new GetMachineStatus. */
export const takeStatus = (client: RobotClient): Promise<MachineStatus> => status.take(client);

/** The client's prefetched resource list if it is fresh and not taken yet, else a new ResourceNames. */
export const takeResourceNames = (client: RobotClient): Promise<ResourceNames> => names.take(client);
