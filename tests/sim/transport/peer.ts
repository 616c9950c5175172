/**
 * The machine's side of one WebRTC connection (werift): answers the SDK's offer,
 * trickles candidates, serves gRPC on the "data" channel and renegotiates video
 * over the "negotiation" channel. Everything it owns is released by close().
 */
import {
  MediaStream,
  MediaStreamTrack,
  type RTCCertificate,
  type RTCDataChannel,
  type RTCIceCandidate,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type RTCRtpSender,
} from 'werift';
import type { UniversalHandler } from '@connectrpc/connect/protocol';
import { AsyncQueue } from './async-queue.ts';
import { DataChannelServer } from './data-channel.ts';
import { applyDtlsSequenceWorkaround } from './dtls-workaround.ts';
import type { LinkConditions } from './link.ts';
import { widenIceSockets } from './socket-buffers.ts';
import { UdpRelay } from './udp-relay.ts';
import { ClipSender, isKeyframeRequest, type VideoFeed, type Vp8Clip } from './video.ts';

/** A peer that never connects is dropped after this long. */
const CONNECT_TIMEOUT_MS = 20_000;
/** A 'disconnected' peer that does not recover is dropped after this long. */
const DISCONNECTED_GRACE_MS = 4_000;
const RENEGOTIATION_TIMEOUT_MS = 5_000;
/**
 * A connected peer from which nothing at all arrives for this long is gone (a tab
 * closed without saying goodbye). The browser sends ICE checks every few seconds and
 * answers werift's 5 s consent checks; werift alone would wait 30 s to declare failure.
 */
const SILENCE_LIMIT_MS = 8_000;
const LIVENESS_TICK_MS = 1_000;
const MAX_VIDEO_TRACKS = 8;

export interface PeerOptions {
  id: string;
  certificate: RTCCertificate | undefined;
  lookup: (path: string) => UniversalHandler | undefined;
  onUnknownMethod: (path: string, header: Headers) => void;
  onClosed: (peer: SimPeer) => void;
  /** the machine's DTLS role; 'server' (default) dials faster, 'client' is werift's own choice */
  dtlsRole?: DtlsRole;
  /**
   * The machine's link: given, every datagram of this connection crosses a UDP relay that applies
   * it (the relay's address is the only candidate advertised, and the browser's own candidates are
   * not used, so nothing can go around it).
   */
  link?: LinkConditions;
}

/** `candidate:<foundation> <component> udp <priority> <address> <port> typ host …` */
const HOST_CANDIDATE = /^(candidate:\S+ \d+ udp \d+ )(\d+\.\d+\.\d+\.\d+) (\d+)( typ host\b.*)$/iu;

/** An answer or offer without its candidate lines (the relay's candidate is trickled instead). */
export function withoutCandidates(sdp: string): string {
  return sdp.replace(/^a=(candidate|end-of-candidates)\b.*(\r?\n|$)/gmu, '');
}

export type DtlsRole = 'server' | 'client';

export interface LocalCandidate {
  candidate: string;
  sdpMid?: string;
  sdpMLineIndex?: number;
  usernameFragment?: string;
}

interface VideoStream {
  sender: RTCRtpSender;
  clip: ClipSender;
}

interface SessionDescriptionJson {
  type: 'offer' | 'answer';
  sdp: string;
}

export function encodeDescription(desc: SessionDescriptionJson): string {
  return Buffer.from(JSON.stringify(desc), 'utf8').toString('base64');
}

export function decodeDescription(text: string): SessionDescriptionJson {
  const parsed: unknown = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('type' in parsed) ||
    !('sdp' in parsed) ||
    (parsed.type !== 'offer' && parsed.type !== 'answer') ||
    typeof parsed.sdp !== 'string'
  ) {
    throw new Error('not a session description');
  }
  return { type: parsed.type, sdp: parsed.sdp };
}

export class SimPeer {
  readonly id: string;
  readonly pc: RTCPeerConnection;
  /** local candidates for the Call stream; ends when gathering completes */
  readonly localCandidates = new AsyncQueue<LocalCandidate>();
  private readonly server: DataChannelServer;
  private data: RTCDataChannel | undefined;
  private negotiation: RTCDataChannel | undefined;
  private readonly videos = new Map<string, VideoStream>();
  private negotiationChain: Promise<void> = Promise.resolve();
  private pendingAnswer: ((desc: SessionDescriptionJson) => void) | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private disconnectTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private relay: UdpRelay | undefined;
  private relayOpening = false;
  /** Candidate pushes and the end, in order, each after the relay (if any) is ready. */
  private candidateChain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: PeerOptions) {
    this.id = opts.id;
    this.pc = new RTCPeerConnection({
      // Loopback only: no STUN (there is no network, and host candidates suffice).
      iceServers: [],
      iceUseIpv6: false,
      ...(opts.certificate ? { certificates: [opts.certificate] } : {}),
      codecs: {
        audio: [],
        video: [
          new RTCRtpCodecParameters({
            mimeType: 'video/VP8',
            clockRate: 90_000,
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
          }),
        ],
      },
    });
    this.server = new DataChannelServer({
      peerId: opts.id,
      send: (frame) => this.sendData(frame),
      lookup: opts.lookup,
      onUnknownMethod: opts.onUnknownMethod,
    });
    this.pc.onIceCandidate.subscribe((c: RTCIceCandidate | undefined) => {
      if (!c) {
        this.endCandidates();
        return;
      }
      // The candidate's socket is bound by now (see socket-buffers.ts).
      widenIceSockets(this.pc.iceTransports);
      const json = c.toJSON();
      const local: LocalCandidate = {
        candidate: json.candidate,
        ...(json.sdpMid !== undefined ? { sdpMid: json.sdpMid } : {}),
        ...(json.sdpMLineIndex !== undefined ? { sdpMLineIndex: json.sdpMLineIndex } : {}),
        ...(json.usernameFragment !== undefined ? { usernameFragment: json.usernameFragment } : {}),
      };
      if (opts.link) this.relayCandidate(local, opts.link);
      else this.localCandidates.push(local);
    });
    this.pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') this.endCandidates();
    });
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        clearTimeout(this.connectTimer);
        clearTimeout(this.disconnectTimer);
        this.disconnectTimer = undefined;
        this.watchLiveness();
      } else if (state === 'failed' || state === 'closed') {
        this.close();
      } else if (state === 'disconnected' && !this.disconnectTimer) {
        this.disconnectTimer = setTimeout(() => this.close(), DISCONNECTED_GRACE_MS);
      }
    });
    this.connectTimer = setTimeout(() => this.close(), CONNECT_TIMEOUT_MS);
  }

  /** Where the browser reaches this connection: the relay's address, when there is one. */
  get relayAddress(): { address: string; port: number } | undefined {
    return this.relay?.address;
  }

  private endCandidates(): void {
    this.candidateChain = this.candidateChain.then(() => this.localCandidates.end());
  }

  /**
   * werift's first IPv4 host candidate gets a relay in front of it; the relay's address is
   * advertised in its place, and every other candidate is kept back.
   */
  private relayCandidate(c: LocalCandidate, link: LinkConditions): void {
    const match = HOST_CANDIDATE.exec(c.candidate);
    if (!match || this.relayOpening || this.closed) return;
    this.relayOpening = true;
    const [, head = '', address = '', port = '', tail = ''] = match;
    this.candidateChain = this.candidateChain.then(async () => {
      const relay = await UdpRelay.open({ address, port: Number(port) }, link, '127.0.0.1', '0.0.0.0');
      if (this.isClosed) {
        relay.close();
        return;
      }
      this.relay = relay;
      this.localCandidates.push({
        ...c,
        candidate: `${head}${relay.address.address} ${relay.address.port}${tail}`,
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get activeStreams(): number {
    return this.server.activeStreams;
  }

  /** Applies the SDK's offer and returns the answer SDP. Candidates follow on localCandidates. */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    // Both channels are pre-negotiated (same ids on both sides), created after the
    // remote description so werift has the SCTP transport to attach them to.
    const data = this.pc.createDataChannel('data', { id: 0, negotiated: true, ordered: true });
    const negotiation = this.pc.createDataChannel('negotiation', { id: 1, negotiated: true, ordered: true });
    this.data = data;
    this.negotiation = negotiation;
    data.onMessage.subscribe((msg) => this.server.onMessage(msg));
    data.stateChange.subscribe((state) => {
      if (state === 'closed') this.close();
    });
    negotiation.onMessage.subscribe((msg) => this.onNegotiationMessage(msg));

    const answer = await this.pc.createAnswer();
    // By default answer as the DTLS server (a=setup:passive): werift as DTLS client
    // waits 100 ms before its first flight, the browser as client starts at once.
    const sdp =
      this.opts.dtlsRole === 'client'
        ? answer.sdp
        : answer.sdp.replace(/^a=setup:active\r?$/gmu, 'a=setup:passive\r');
    await this.pc.setLocalDescription({ type: 'answer', sdp });
    for (const transport of this.pc.dtlsTransports) applyDtlsSequenceWorkaround(transport);
    const local = this.pc.localDescription?.sdp ?? sdp;
    return this.opts.link ? withoutCandidates(local) : local;
  }

  /** The answer with the relay's candidate in it, for callers that do not trickle. */
  async answerWithCandidates(): Promise<string> {
    await this.candidateChain;
    const local = this.pc.localDescription?.sdp ?? '';
    const relay = this.relay?.address;
    if (!this.opts.link || !relay) return local;
    const mid = withoutCandidates(local);
    const candidate = `a=candidate:relay0 1 udp 2130706431 ${relay.address} ${relay.port} typ host\r\na=end-of-candidates\r\n`;
    // After the first media section's attributes: the bundle's one transport.
    const firstMedia = mid.indexOf('\nm=');
    const nextMedia = firstMedia === -1 ? -1 : mid.indexOf('\nm=', firstMedia + 1);
    return nextMedia === -1
      ? `${mid}${candidate}`
      : `${mid.slice(0, nextMedia + 1)}${candidate}${mid.slice(nextMedia + 1)}`;
  }

  async addRemoteCandidate(c: LocalCandidate): Promise<void> {
    if (this.closed) return;
    // Through the relay, the browser is known only by the relay's inner addresses (learned
    // peer-reflexively): a candidate of its own would let werift reach it around the relay.
    if (this.opts.link) return;
    // Chromium's mDNS (.local) host candidates are not resolvable here and are not
    // needed: its checks reach our host candidates and we learn it peer-reflexively.
    if (/\s\S+\.local\s/u.test(c.candidate)) return;
    await this.pc.addIceCandidate(c);
  }

  /** Adds a looping VP8 track whose MediaStream id is `streamId`, and renegotiates. */
  async addVideo(streamId: string, clip: Vp8Clip, feed?: () => VideoFeed | undefined): Promise<void> {
    if (this.closed) throw new Error('peer is closed');
    if (this.videos.has(streamId)) return;
    if (this.videos.size >= MAX_VIDEO_TRACKS) throw new Error('too many video streams on this connection');
    const track = new MediaStreamTrack({ kind: 'video' });
    const sender = this.pc.addTrack(track, new MediaStream({ id: streamId, tracks: [track] }));
    const clipSender = new ClipSender(clip, track, feed);
    this.videos.set(streamId, { sender, clip: clipSender });
    try {
      await this.renegotiate();
    } catch (err) {
      this.removeVideoNow(streamId);
      throw err;
    }
    sender.onRtcp.subscribe((rtcp) => {
      if (isKeyframeRequest(rtcp)) clipSender.restartAtKeyframe();
    });
    clipSender.start();
  }

  async removeVideo(streamId: string): Promise<boolean> {
    if (!this.removeVideoNow(streamId)) return false;
    if (!this.closed) await this.renegotiate();
    return true;
  }

  hasVideo(streamId: string): boolean {
    return this.videos.has(streamId);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.connectTimer);
    clearTimeout(this.disconnectTimer);
    clearInterval(this.livenessTimer);
    this.relay?.close();
    this.server.close();
    for (const { clip } of this.videos.values()) clip.stop();
    this.videos.clear();
    this.localCandidates.end();
    this.pendingAnswer = undefined;
    this.pc.close().catch(() => {
      // closing a half-built connection may reject; nothing is left to release
    });
    this.opts.onClosed(this);
  }

  private watchLiveness(): void {
    if (this.livenessTimer) return;
    let lastActivity = -1;
    let lastChange = Date.now();
    this.livenessTimer = setInterval(() => {
      let activity = 0;
      for (const ice of this.pc.iceTransports) {
        const pair = ice.connection.nominated;
        if (pair) activity += pair.packetsReceived + pair.requestsReceived + pair.responsesReceived;
      }
      const now = Date.now();
      if (activity !== lastActivity) {
        lastActivity = activity;
        lastChange = now;
      } else if (now - lastChange > SILENCE_LIMIT_MS) {
        this.close();
      }
    }, LIVENESS_TICK_MS);
  }

  private removeVideoNow(streamId: string): boolean {
    const video = this.videos.get(streamId);
    if (!video) return false;
    this.videos.delete(streamId);
    video.clip.stop();
    try {
      this.pc.removeTrack(video.sender);
    } catch {
      // already gone with the connection
    }
    return true;
  }

  private sendData(frame: Uint8Array): void {
    if (this.data?.readyState !== 'open') return;
    this.data.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
  }

  /** Machine-initiated offer over the "negotiation" channel, one at a time. */
  private renegotiate(): Promise<void> {
    const run = async (): Promise<void> => {
      const channel = this.negotiation;
      if (!channel || channel.readyState !== 'open') throw new Error('negotiation channel is not open');
      const offer = await this.pc.createOffer();
      await this.pc.setLocalDescription(offer);
      const answered = new Promise<SessionDescriptionJson>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pendingAnswer = undefined;
          reject(new Error('no answer to renegotiation'));
        }, RENEGOTIATION_TIMEOUT_MS);
        this.pendingAnswer = (desc) => {
          clearTimeout(timer);
          resolve(desc);
        };
      });
      channel.send(encodeDescription({ type: 'offer', sdp: this.pc.localDescription?.sdp ?? offer.sdp }));
      const answer = await answered;
      await this.pc.setRemoteDescription(answer);
    };
    const next = this.negotiationChain.then(run, run);
    this.negotiationChain = next.catch(() => undefined);
    return next;
  }

  private onNegotiationMessage(msg: string | Buffer): void {
    let desc: SessionDescriptionJson;
    try {
      desc = decodeDescription(typeof msg === 'string' ? msg : msg.toString('utf8'));
    } catch {
      return;
    }
    if (desc.type === 'answer') {
      const pending = this.pendingAnswer;
      this.pendingAnswer = undefined;
      pending?.(desc);
      return;
    }
    // The browser renegotiating (it does when it adds media): answer it.
    const answerOffer = async (): Promise<void> => {
      await this.pc.setRemoteDescription(desc);
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      this.negotiation?.send(
        encodeDescription({ type: 'answer', sdp: this.pc.localDescription?.sdp ?? answer.sdp }),
      );
    };
    this.negotiationChain = this.negotiationChain.then(answerOffer, answerOffer).catch(() => undefined);
  }
}
