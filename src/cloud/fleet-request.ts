/**
 * The fleet's cloud client and its first list request: what the fleet page's entry runs before any
 * of the interface's code is evaluated, so the request leaves as early as in a page that only lists
 * (the bench's floor). Kept small: the SDK's app API client and the list's reader, nothing of the
 * interface.
 */
import { createViamClient, type ViamClient } from 'virtual:viam-cloud-sdk';
import type { LocationSummaryLike } from '../lib/fleet.ts';
import type { UserToken } from '../lib/user-token.ts';
import { FLEET_SUMMARY_LIMIT, listSummaries } from './fleet-summaries.ts';

/** The first list request, started by the page's entry before the interface is drawn. */
export interface EarlyFleet {
  readonly token: string;
  readonly client: Promise<ViamClient>;
  readonly list: Promise<readonly LocationSummaryLike[]>;
}

/** A cloud client for the user's token (or, self-hosted, an API key standing in for it). */
export function cloudClient(serviceHost: string, token: UserToken): Promise<ViamClient> {
  const apiKeyId = token.apiKeyId;
  return createViamClient({
    serviceHost,
    credentials:
      apiKeyId === undefined
        ? { type: 'access-token', payload: token.accessToken }
        : { type: 'api-key', authEntity: apiKeyId, payload: token.accessToken },
  });
}

/**
 * Makes the cloud client and asks for the list at once. The first refresh of a FleetController given
 * it takes its answer (or its error) as its own.
 */
export function startFleetRequest(serviceHost: string, token: UserToken): EarlyFleet {
  const client = cloudClient(serviceHost, token);
  const list = client.then((c) => listSummaries(c, FLEET_SUMMARY_LIMIT));
  // Settled by whoever awaits them; never an unhandled rejection if no one does.
  client.catch(() => undefined);
  list.catch(() => undefined);
  return { token: token.accessToken, client, list };
}
