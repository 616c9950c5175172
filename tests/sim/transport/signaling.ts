/**
 * proto.rpc.webrtc.v1.SignalingService, caller side, answered by this process's own
 * werift peer (in production the signaler relays to viam-server's Answer stream).
 * Which machine answers is `target`'s choice (the cloud routes by rpc-host).
 */
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { CallResponse, type SignalingService } from '../proto/rpc-signaling.ts';
import { sleep } from './faults.ts';
import { decodeDescription, encodeDescription } from './peer.ts';
import type { PeerRegistry } from './peers.ts';

export interface SignalingTarget {
  host: string;
  peers: PeerRegistry;
  /**
   * Set while the machine is not connected to the cloud: a Call then fails as Viam's does when no
   * answerer shows up, NotFound after this long.
   */
  offlineDelayMs?: number;
}

export function createSignalingService(
  target: (header: Headers) => SignalingTarget,
): Partial<ServiceImpl<typeof SignalingService>> {
  return {
    optionalWebRTCConfig() {
      return { config: { additionalIceServers: [], disableTrickle: false } };
    },

    async *call(req, ctx) {
      const { host, peers, offlineDelayMs } = target(ctx.requestHeader);
      if (offlineDelayMs !== undefined) {
        await sleep(offlineDelayMs, ctx.signal);
        throw new ConnectError(`no answer from "${host}": host appears to be offline`, Code.NotFound);
      }
      let offer;
      try {
        offer = decodeDescription(req.sdp);
      } catch {
        throw new ConnectError('sdp is not base64 JSON {type, sdp}', Code.InvalidArgument);
      }
      if (offer.type !== 'offer') throw new ConnectError('expected an offer', Code.InvalidArgument);
      const peer = peers.create();
      const stopCandidates = (): void => peer.localCandidates.end();
      ctx.signal.addEventListener('abort', stopCandidates, { once: true });
      try {
        let answerSdp: string;
        try {
          answerSdp = await peer.answer(offer.sdp);
        } catch (err) {
          peer.close();
          throw new ConnectError(`cannot answer offer: ${String(err)}`, Code.InvalidArgument);
        }
        if (req.disableTrickle) {
          // Non-trickle callers want every candidate inside the answer.
          for await (const _ of peer.localCandidates) {
            // drain until gathering completes
          }
          answerSdp = await peer.answerWithCandidates();
        }
        yield new CallResponse({
          uuid: peer.id,
          stage: { case: 'init', value: { sdp: encodeDescription({ type: 'answer', sdp: answerSdp }) } },
        });
        if (req.disableTrickle) return;
        // Trickle our candidates, then END the stream: the SDK waits for that.
        for await (const c of peer.localCandidates) {
          yield new CallResponse({ uuid: peer.id, stage: { case: 'update', value: { candidate: c } } });
        }
      } finally {
        ctx.signal.removeEventListener('abort', stopCandidates);
      }
    },

    async callUpdate(req, ctx) {
      const peer = target(ctx.requestHeader).peers.get(req.uuid);
      if (!peer) throw new ConnectError(`no call ${req.uuid}`, Code.NotFound);
      switch (req.update.case) {
        case 'candidate': {
          const c = req.update.value;
          try {
            await peer.addRemoteCandidate({
              candidate: c.candidate,
              ...(c.sdpMid !== undefined ? { sdpMid: c.sdpMid } : {}),
              ...(c.sdpmLineIndex !== undefined ? { sdpMLineIndex: c.sdpmLineIndex } : {}),
              ...(c.usernameFragment !== undefined ? { usernameFragment: c.usernameFragment } : {}),
            });
          } catch (err) {
            throw new ConnectError(`bad candidate: ${String(err)}`, Code.InvalidArgument);
          }
          break;
        }
        case 'error':
          peer.close();
          break;
        default:
          break;
      }
      return {};
    },
  };
}
