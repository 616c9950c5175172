/**
 * A UDP relay on the real path between the browser and the machine's WebRTC socket: the machine
 * advertises the relay's address as its only ICE candidate, so every datagram (STUN, DTLS, SCTP,
 * SRTP) crosses it. It never looks inside a datagram: it only drops, delays and reorders them, as
 * LinkConditions says. This machine's kernel has no netem, so the impairment lives here, in user
 * space.
 *
 * One relay per peer connection. Each browser address seen on the outer socket gets its own inner
 * socket toward the machine, so the machine sees distinct remote addresses, as through a NAT.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Direction, LinkConditions } from './link.ts';
import { RECEIVE_BUFFER_BYTES } from './socket-buffers.ts';

export interface UdpAddress {
  readonly address: string;
  readonly port: number;
}

/** More browser addresses than a real client ever uses (one per local candidate it checks from). */
const MAX_CLIENT_ADDRESSES = 16;

export class UdpRelay {
  readonly #outer: Socket;
  readonly #inner = new Map<string, Socket>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #target: UdpAddress;
  readonly #conditions: LinkConditions;
  readonly #innerHost: string;
  #closed = false;

  private constructor(outer: Socket, target: UdpAddress, conditions: LinkConditions, innerHost: string) {
    this.#outer = outer;
    this.#target = target;
    this.#conditions = conditions;
    this.#innerHost = innerHost;
    outer.on('message', (msg, from) => this.#fromClient(msg, from));
    outer.on('error', () => this.close());
  }

  /**
   * Binds the outer socket on `host` (any free port) in front of `target`; inner sockets bind on
   * `innerHost` (0.0.0.0 when the target is on another interface than the outer socket).
   */
  static async open(
    target: UdpAddress,
    conditions: LinkConditions,
    host = '127.0.0.1',
    innerHost = host,
  ): Promise<UdpRelay> {
    const outer = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
    await new Promise<void>((resolve, reject) => {
      outer.once('error', reject);
      outer.bind(0, host, () => {
        outer.off('error', reject);
        resolve();
      });
    });
    return new UdpRelay(outer, target, conditions, innerHost);
  }

  /** Where the browser sends: the address the machine advertises. */
  get address(): UdpAddress {
    const a = this.#outer.address();
    return { address: a.address, port: a.port };
  }

  /** Browser addresses relayed so far. */
  get clients(): number {
    return this.#inner.size;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const socket of [this.#outer, ...this.#inner.values()]) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
    this.#inner.clear();
  }

  #fromClient(msg: Buffer, from: RemoteInfo): void {
    const key = `${from.address}:${from.port}`;
    let inner = this.#inner.get(key);
    if (!inner) {
      if (this.#inner.size >= MAX_CLIENT_ADDRESSES) return;
      const socket = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
      // Sends made while the bind completes are queued by node.
      socket.bind(0, this.#innerHost);
      socket.on('message', (reply) =>
        this.#forward('down', reply, (data) => this.#outer.send(data, from.port, from.address)),
      );
      socket.on('error', () => undefined);
      this.#inner.set(key, socket);
      inner = socket;
    }
    const via = inner;
    this.#forward('up', msg, (data) => via.send(data, this.#target.port, this.#target.address));
  }

  #forward(direction: Direction, data: Buffer, send: (data: Buffer) => void): void {
    if (this.#closed) return;
    const verdict = this.#conditions.admit(direction, data.length);
    if ('drop' in verdict) return;
    const go = (): void => {
      if (this.#closed) return;
      try {
        send(data);
        this.#conditions.sent(direction, data.length);
      } catch {
        // a socket closing under us: the datagram is lost, as on a real link
      }
    };
    if (verdict.afterMs <= 0) {
      go();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#conditions.stillUp(direction)) go();
    }, verdict.afterMs);
    this.#timers.add(timer);
  }
}
