/**
 * proto.rpc.webrtc.v1.SignalingService, caller side, answered by this process's own
 * werift peer (in production the signaler relays to viam-server's Answer stream).
 */
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { CallResponse, type SignalingService } from '../proto/rpc-signaling.ts';
import { decodeDescription, encodeDescription } from './peer.ts';
import type { PeerRegistry } from './peers.ts';

export function createSignalingService(peers: PeerRegistry): Partial<ServiceImpl<typeof SignalingService>> {
  return {
    optionalWebRTCConfig() {
      return { config: { additionalIceServers: [], disableTrickle: false } };
    },

    async *call(req, ctx) {
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
          answerSdp = peer.pc.localDescription?.sdp ?? answerSdp;
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

    async callUpdate(req) {
      const peer = peers.get(req.uuid);
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
