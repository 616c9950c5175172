/** The live WebRTC peers of one sim, by id (the Call uuid). */
import { randomUUID } from 'node:crypto';
import type { RTCCertificate } from 'werift';
import type { UniversalHandler } from '@connectrpc/connect/protocol';
import type { LinkConditions } from './link.ts';
import { type DtlsRole, SimPeer } from './peer.ts';

export interface PeerRegistryOptions {
  certificate: RTCCertificate | undefined;
  lookup: (path: string) => UniversalHandler | undefined;
  onUnknownMethod: (path: string, header: Headers) => void;
  /** most peers alive at once; the oldest is dropped beyond it */
  maxPeers?: number;
  dtlsRole?: DtlsRole;
  /** the machine's link: every connection's datagrams cross a relay applying it */
  link?: LinkConditions;
}

export class PeerRegistry {
  private readonly peers = new Map<string, SimPeer>();
  private readonly maxPeers: number;

  constructor(private readonly opts: PeerRegistryOptions) {
    this.maxPeers = opts.maxPeers ?? 64;
  }

  create(): SimPeer {
    while (this.peers.size >= this.maxPeers) {
      const oldest = this.peers.values().next().value;
      if (!oldest) break;
      oldest.close();
    }
    const peer = new SimPeer({
      id: randomUUID(),
      certificate: this.opts.certificate,
      lookup: this.opts.lookup,
      onUnknownMethod: this.opts.onUnknownMethod,
      ...(this.opts.dtlsRole ? { dtlsRole: this.opts.dtlsRole } : {}),
      ...(this.opts.link ? { link: this.opts.link } : {}),
      onClosed: (p) => {
        if (this.peers.get(p.id) === p) this.peers.delete(p.id);
      },
    });
    this.peers.set(peer.id, peer);
    return peer;
  }

  get(id: string): SimPeer | undefined {
    return this.peers.get(id);
  }

  get size(): number {
    return this.peers.size;
  }

  list(): { id: string; connectionState: string; activeStreams: number; relay?: string }[] {
    return [...this.peers.values()].map((p) => ({
      id: p.id,
      connectionState: p.pc.connectionState,
      activeStreams: p.activeStreams,
      ...(p.relayAddress ? { relay: `${p.relayAddress.address}:${p.relayAddress.port}` } : {}),
    }));
  }

  closeAll(): number {
    const all = [...this.peers.values()];
    for (const peer of all) peer.close();
    return all.length;
  }
}
