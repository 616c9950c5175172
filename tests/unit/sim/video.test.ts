/**
 * The simulated camera's video behaves like an encoder: a new stream opens with a keyframe, and a
 * keyframe request from the browser (PLI or FIR, not a REMB bitrate estimate) is answered with a
 * keyframe as the next frame. Read off the RTP packets themselves (the VP8 payload header's P bit).
 */
import {
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RtcpPacketConverter,
  RtcpPayloadSpecificFeedback,
  Vp8RtpPayload,
  type MediaStreamTrack,
  type RtpPacket,
} from 'werift';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClipSender, isKeyframeRequest, loadIvf } from '../../sim/transport/video.ts';

const clip = loadIvf();

/** A track that keeps what is written to it. */
function recordingTrack(): { track: MediaStreamTrack; frames: () => boolean[] } {
  const packets: RtpPacket[] = [];
  const track = { writeRtp: (p: RtpPacket) => packets.push(p), stop: () => undefined };
  return {
    track: track as unknown as MediaStreamTrack,
    // One entry per frame sent: whether it is a keyframe (read off its first packet).
    frames: () =>
      packets
        .map((p) => Vp8RtpPayload.deSerialize(p.payload))
        .filter((d) => d.payloadHeaderExist)
        .map((d) => d.isKeyframe),
  };
}

const frameMs = 1000 / clip.fps;

describe('the simulated camera stream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('the clip keyframes only now and then, as a real encoder does', () => {
    const keyframes = clip.frames.filter((f) => ((f[0] ?? 1) & 1) === 0).length;
    expect(keyframes).toBeGreaterThan(0);
    expect(keyframes).toBeLessThan(clip.frames.length / 4);
  });

  it('starts every new stream with a keyframe', () => {
    for (let i = 0; i < 3; i++) {
      const { track, frames } = recordingTrack();
      const sender = new ClipSender(clip, track);
      sender.start();
      vi.advanceTimersByTime(frameMs * 3 + 1);
      sender.stop();
      expect(frames().length).toBe(3);
      expect(frames()[0]).toBe(true);
      expect(frames().slice(1)).toEqual([false, false]);
    }
  });

  it('answers a keyframe request with a keyframe as the very next frame', () => {
    const { track, frames } = recordingTrack();
    const sender = new ClipSender(clip, track);
    sender.start();
    vi.advanceTimersByTime(frameMs * 5 + 1);
    expect(frames().slice(1)).toEqual([false, false, false, false]);
    const pli = new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ mediaSsrc: 1 }) });
    expect(isKeyframeRequest(pli)).toBe(true);
    sender.restartAtKeyframe();
    vi.advanceTimersByTime(frameMs * 2);
    sender.stop();
    expect(frames().slice(5)).toEqual([true, false]);
  });

  it('takes PLI and FIR as keyframe requests, and REMB and other RTCP not', () => {
    const pli = new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication() });
    // As the browser sends it: PSFB (PT 206) with FMT 4, sender SSRC, media SSRC 0, one FCI entry.
    const [fir] = RtcpPacketConverter.deSerialize(
      Buffer.from([0x84, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 7, 0, 0, 0]),
    );
    const remb = new RtcpPayloadSpecificFeedback({
      feedback: new ReceiverEstimatedMaxBitrate({ bitrate: 1_000_000n, ssrcFeedbacks: [1] }),
    });
    expect(isKeyframeRequest(pli)).toBe(true);
    expect(fir && isKeyframeRequest(fir)).toBe(true);
    expect(isKeyframeRequest(remb)).toBe(false);
  });
});
