/**
 * Receive buffers for the simulated machine's UDP sockets (WebRTC and the link relay).
 *
 * The sim is one Node thread: under load (100 sensors polled at 2 Hz, live video) its event loop
 * pauses for 100-400 ms at a time, and datagrams that arrive meanwhile wait in the socket's kernel
 * buffer. With the default buffer (212,992 bytes, about 150 small datagrams as the kernel counts
 * them) the browser's ~1,000 datagrams a second overflow it: measured, 13,000 datagrams dropped on
 * one socket in a 30 s dead-man run, each a lost packet the browser has to retransmit: loss no real
 * link had. viam-server reads its sockets on their own goroutines and does not lose them this way,
 * so the sim asks for a larger buffer (Linux grants up to net.core.rmem_max and caps the rest
 * silently; a machine whose maximum is the default is left as it was).
 */
import type { Socket } from 'node:dgram';

export const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

const widened = new WeakSet<Socket>();

/** Asks for RECEIVE_BUFFER_BYTES on a bound socket, once. Never throws. */
export function widenReceiveBuffer(socket: Socket): void {
  if (widened.has(socket)) return;
  try {
    socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    widened.add(socket);
  } catch {
    // not bound yet (asked again later), or closed: nothing to widen
  }
}

/** The shape of werift 0.25's ICE internals this reaches (private fields, checked at run time). */
type StunProtocolShape = { readonly transport?: { readonly socket?: unknown } } | undefined;

/**
 * Widens the sockets werift's ICE gathered for these transports (werift offers no socket option).
 * A werift whose internals differ is left alone.
 */
export function widenIceSockets(transports: readonly { readonly connection: unknown }[]): void {
  for (const ice of transports) {
    const protocols: unknown = (ice.connection as { protocols?: unknown } | undefined)?.protocols;
    if (!Array.isArray(protocols)) continue;
    for (const protocol of protocols as readonly StunProtocolShape[]) {
      const socket = protocol?.transport?.socket;
      if (isSocket(socket)) widenReceiveBuffer(socket);
    }
  }
}

function isSocket(value: unknown): value is Socket {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { setRecvBufferSize?: unknown }).setRecvBufferSize === 'function'
  );
}
