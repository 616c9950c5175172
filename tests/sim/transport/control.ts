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
 */
import type { FaultRegistry, FaultSpec } from './faults.ts';
import type { ControlResult } from './http-server.ts';
import type { PeerRegistry } from './peers.ts';

const MAX_OFFLINE_MS = 5 * 60_000;

export interface TransportControlDeps {
  faults: FaultRegistry;
  peers: PeerRegistry;
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
    case 'GET peers':
      return {
        status: 200,
        body: { count: deps.peers.size, offline: deps.isOffline(), peers: deps.peers.list() },
      };
    default:
      return undefined;
  }
}

function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
