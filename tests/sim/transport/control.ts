/**
 * The transport's /__sim/ control routes (faults, peers, offline). Anything else
 * is the machine's (call log, health, reconfigure).
 *
 *   POST   /__sim/faults      {method, latencyMs?, errorCode?, errorMessage?, durationMs?}
 *   GET    /__sim/faults      -> {faults}
 *   DELETE /__sim/faults      clears every fault
 *   POST   /__sim/drop-peers  closes every WebRTC connection -> {dropped}
 *   POST   /__sim/offline     {ms}: drop everything and refuse calls for ms, then come back
 *   POST   /__sim/online      ends an offline period early
 *   GET    /__sim/peers       -> {count, peers}
 *   GET    /__sim/link        -> {settings, down, blackoutForMs, flap, counters} (per direction)
 *   POST   /__sim/link        {up?, down?, both?}: each {loss 0..1, delayMs, jitterMs, reorder 0..1,
 *                             rateKbps, queueMs}, merged over the current settings; out of range -> 400
 *   DELETE /__sim/link        a perfect link again
 *   POST   /__sim/link/blackout {ms}            nothing either way for ms (0 ends it)
 *   POST   /__sim/link/flap   {upMs, downMs, forMs}  up, down, up, down… for forMs
 */
import type { FaultRegistry, FaultSpec } from './faults.ts';
import { LinkSettingsError, type LinkConditions } from './link.ts';
import type { ControlResult } from './http-server.ts';
import type { PeerRegistry } from './peers.ts';

const MAX_OFFLINE_MS = 5 * 60_000;

export interface TransportControlDeps {
  faults: FaultRegistry;
  peers: PeerRegistry;
  link?: LinkConditions;
  goOffline(ms: number): void;
  goOnline(): void;
  isOffline(): boolean;
}

export function handleTransportControl(
  deps: TransportControlDeps,
  method: string,
  subpath: string,
  body: unknown,
): ControlResult | undefined {
  const route = `${method} ${subpath.replace(/\/+$/u, '')}`;
  switch (route) {
    case 'POST faults': {
      try {
        const fault = deps.faults.add(asRecord(body) as unknown as FaultSpec);
        return { status: 200, body: { fault } };
      } catch (err) {
        return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
      }
    }
    case 'GET faults':
      return { status: 200, body: { faults: deps.faults.list() } };
    case 'DELETE faults':
      deps.faults.clear();
      return { status: 200, body: { faults: [] } };
    case 'POST drop-peers':
      return { status: 200, body: { dropped: deps.peers.closeAll() } };
    case 'POST offline': {
      const ms = asRecord(body)['ms'];
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
        return { status: 400, body: { error: 'ms must be a positive number' } };
      }
      const bounded = Math.min(ms, MAX_OFFLINE_MS);
      deps.goOffline(bounded);
      return { status: 200, body: { offlineForMs: bounded } };
    }
    case 'POST online':
      deps.goOnline();
      return { status: 200, body: { offline: false } };
    case 'GET link':
    case 'POST link':
    case 'DELETE link':
    case 'POST link/blackout':
    case 'POST link/flap':
      return linkControl(deps.link, route, asRecord(body), body);
    case 'GET peers':
      return {
        status: 200,
        body: { count: deps.peers.size, offline: deps.isOffline(), peers: deps.peers.list() },
      };
    default:
      return undefined;
  }
}

function linkControl(
  link: LinkConditions | undefined,
  route: string,
  fields: Record<string, unknown>,
  body: unknown,
): ControlResult {
  if (!link) return { status: 404, body: { error: 'this machine has no link relay' } };
  const num = (name: string): number => {
    const v = fields[name];
    if (typeof v !== 'number') throw new LinkSettingsError(`${name} must be a number`);
    return v;
  };
  try {
    switch (route) {
      case 'POST link':
        link.update(body);
        break;
      case 'DELETE link':
        link.reset();
        break;
      case 'POST link/blackout':
        link.blackout(num('ms'));
        break;
      case 'POST link/flap':
        link.flap(num('upMs'), num('downMs'), num('forMs'));
        break;
      default:
        break;
    }
  } catch (err) {
    if (err instanceof LinkSettingsError) return { status: 400, body: { error: err.message } };
    throw err;
  }
  return { status: 200, body: link.status() };
}

function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
