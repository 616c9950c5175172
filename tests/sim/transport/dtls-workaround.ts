/**
 * Workaround for a werift 0.25.x DTLS defect (werift is pinned at 0.25.2).
 *
 * werift sends its DTLS Finished as (epoch 1, seq N) and then restarts its record
 * counter at 0, so its Nth application record reuses (epoch 1, seq N). Chromium's
 * replay check silently drops that record and the reply it carries waits ~1 s for
 * an SCTP retransmission: the first RPC after connecting stalls.
 *
 * Cure: once the handshake is done, move the record counter past any sequence
 * number the handshake used. N is the handshake's record count in epoch 0 + 1
 * (under 16 in practice); 32 leaves a margin while staying well inside the 64-record
 * replay window, so records already sent with lower numbers are not judged stale.
 * The reply stalls when werift is the DTLS client (measured: first call 1008 ms
 * without this, 3 ms with it). As DTLS server (the sim's default) the reused number
 * happens to land on a record whose loss does not show, but the counter is wrong in
 * both roles, so the fix is applied to both. Guarded by tests/e2e/sim/webrtc.spec.ts
 * (first call after connect, both roles). Remove when a werift release fixes it.
 */
import type { RTCDtlsTransport } from 'werift';

const RECORD_SEQUENCE_FLOOR = 32;

function bump(transport: RTCDtlsTransport): void {
  const context = transport.dtls?.dtls;
  if (context && context.recordSequenceNumber < RECORD_SEQUENCE_FLOOR) {
    context.recordSequenceNumber = RECORD_SEQUENCE_FLOOR;
  }
}

/** Applies the workaround to a DTLS transport as soon as its handshake completes. */
export function applyDtlsSequenceWorkaround(transport: RTCDtlsTransport): void {
  if (transport.state === 'connected') {
    bump(transport);
    return;
  }
  const sub = transport.onStateChange.subscribe((state) => {
    if (state === 'connected') bump(transport);
    if (state === 'connected' || state === 'closed' || state === 'failed') sub.unSubscribe();
  });
}
