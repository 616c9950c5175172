/**
 * What a fleet e2e needs from the simulated cloud behind the e2e stack (tests/dev/e2e-server.ts):
 * its address, the default fleet's deterministic identities, the `userToken` cookie's shapes, and
 * the control API (fleet listing, per-machine routes, cloud faults and calls, token revocation).
 */
import { E2E_SIM_URL } from './ports.ts';
import type { SimCall } from './fixtures.ts';

export {
  DEFAULT_API_KEY,
  DEFAULT_API_KEY_ID,
  DEFAULT_USER_TOKEN,
  FLEET_API_KEYS,
  FLEET_MACHINES,
  FLEET_USERS,
  LOCATION_GREENHOUSE,
  LOCATION_LAB,
  LOCATION_WAREHOUSE,
  ORG_ACME,
  ORG_BETA,
  ROVER,
} from '../sim/cloud/defaults.ts';

/** The app API, auth and signaling address (one port, as app.viam.com is one host). */
export const E2E_CLOUD_URL = E2E_SIM_URL;

/** `userToken` as `viam module local-app-testing` sets it: url-encoded `{"access_token": …}`. */
export function cliUserTokenCookie(token: string): string {
  return encodeURIComponent(JSON.stringify({ access_token: token }));
}

/** `userToken` as the hosted platform sets it: the whole OAuth token, url-encoded. */
export function platformUserTokenCookie(token: string, expiry = new Date(Date.now() + 3_600_000)): string {
  return encodeURIComponent(
    JSON.stringify({
      access_token: token,
      token_type: 'Bearer',
      refresh_token: 'sim-refresh-token-not-used',
      expiry: expiry.toISOString(),
    }),
  );
}

export type MachineState = 'online' | 'offline' | 'awaiting_setup';

export interface FleetListing {
  defaultMachine: string;
  offlineDelayMs: number;
  orgs: { id: string; name: string }[];
  locations: { id: string; name: string; orgId: string }[];
  machines: {
    machineId: string;
    name: string;
    partId: string;
    partName: string;
    hostname: string;
    locationId: string;
    orgId: string;
    state: MachineState;
    fragmentIds: string[];
    livePeers: number;
    removed: boolean;
  }[];
  users: { id: string; name: string; orgIds: string[]; locationIds: string[]; revoked: boolean }[];
  apiKeys: { id: string; scope: string; resourceId: string; revoked: boolean }[];
}

async function request<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${new URL(url).pathname}: ${response.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** One machine of the fleet through /__sim/machines/<id>/…: the same routes as SimControl's. */
export class MachineControl {
  constructor(
    readonly idOrHost: string,
    private readonly url = E2E_CLOUD_URL,
  ) {}

  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const base = `${this.url}/__sim/machines/${encodeURIComponent(this.idOrHost)}`;
    return request<T>(path === '' ? base : `${base}/${path}`, method, body);
  }

  async calls(): Promise<SimCall[]> {
    return (await this.request<{ calls: SimCall[] }>('GET', 'calls')).calls;
  }

  async resetCalls(): Promise<void> {
    await this.request('DELETE', 'calls');
  }

  /** online | offline (last seen now; dials fail as Viam's do) | awaiting_setup; kept until changed */
  async setState(state: MachineState): Promise<void> {
    await this.request('POST', 'state', { state });
  }

  /**
   * Writes log lines: `count` at once, or `rate` per second (a flood, up to 5,000/s); `hostile` cycles
   * through markup, ANSI escapes, a 100 KB line, invalid UTF-8, impossible times, NaN fields, the key…
   */
  async injectLogs(spec: {
    count?: number;
    level?: 'debug' | 'info' | 'warn' | 'error' | 'mixed';
    rate?: number;
    hostile?: boolean;
    message?: string;
    logger?: string;
  }): Promise<{ injected: number; flooding: boolean; stored: number }> {
    return this.request('POST', 'logs', spec);
  }

  async stopLogFlood(): Promise<void> {
    await this.request('DELETE', 'logs/flood');
  }

  /** TailRobotPartLogs streams open on this machine now */
  async logStreams(): Promise<number> {
    return (await this.request<{ open: number }>('GET', 'logs/streams')).open;
  }

  /** Deleted from the fleet (the app API no longer lists or finds it), or back. */
  async setRemoved(removed: boolean): Promise<void> {
    await this.request('POST', 'removed', { removed });
  }
}

/** The simulated cloud's control API. */
export class CloudControl {
  constructor(private readonly url = E2E_CLOUD_URL) {}

  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return request<T>(`${this.url}/__sim/${path}`, method, body);
  }

  fleet(): Promise<FleetListing> {
    return this.request<FleetListing>('GET', 'fleet');
  }

  machine(idOrHost: string): MachineControl {
    return new MachineControl(idOrHost, this.url);
  }

  /** AppService (and auth) calls, oldest first: e.g. to prove one ListMachineSummaries per refresh */
  async calls(since?: number): Promise<SimCall[]> {
    const query = since === undefined ? '' : `?since=${since}`;
    return (await this.request<{ calls: SimCall[] }>('GET', `cloud/calls${query}`)).calls;
  }

  async resetCalls(): Promise<void> {
    await this.request('DELETE', 'cloud/calls');
  }

  /** latency and/or an error on AppService methods ('*' = all of them, or e.g. 'ListMachineSummaries') */
  async addFault(fault: {
    method: string;
    latencyMs?: number;
    errorCode?: number;
    errorMessage?: string;
    durationMs?: number;
  }): Promise<void> {
    await this.request('POST', 'cloud/faults', fault);
  }

  async clearFaults(): Promise<void> {
    await this.request('DELETE', 'cloud/faults');
  }

  /** TailRobotPartLogs streams open now, over the whole fleet */
  async logStreams(): Promise<number> {
    return (await this.request<{ open: number }>('GET', 'cloud/logs/streams')).open;
  }

  /** Unauthenticated from now on (a user token or, with {apiKeyId}, every bearer of that key) */
  async revoke(subject: { token: string } | { user: string } | { apiKeyId: string }): Promise<void> {
    await this.request('POST', 'cloud/tokens/revoke', subject);
  }

  async expire(subject: { token: string } | { user: string }): Promise<void> {
    await this.request('POST', 'cloud/tokens/expire', subject);
  }

  async restore(subject: { token: string } | { user: string } | { apiKeyId: string }): Promise<void> {
    await this.request('POST', 'cloud/tokens/restore', subject);
  }
}
