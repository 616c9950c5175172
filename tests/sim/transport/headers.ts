/**
 * Request headers the transport adds for the method handlers. Anything named
 * x-sim-* that arrives from outside is stripped first, so a handler can trust them.
 */
export const HEADER_TRANSPORT = 'x-sim-transport';
export const HEADER_PEER = 'x-sim-peer';
export const SIM_HEADER_PREFIX = 'x-sim-';
/** The SDK's session id header (sent on heartbeat-monitored methods). */
export const HEADER_SESSION = 'viam-sid';

export type TransportKind = 'webrtc' | 'grpc-web';

export function isSimHeader(name: string): boolean {
  return name.toLowerCase().startsWith(SIM_HEADER_PREFIX);
}

/** Which transport carried a call, from the headers the transport set. */
export function transportOf(header: Headers): TransportKind {
  return header.get(HEADER_TRANSPORT) === 'webrtc' ? 'webrtc' : 'grpc-web';
}
