/**
 * Live video for StreamService: a pre-encoded VP8 clip (IVF file, made once by
 * tests/sim/fixtures/make-vp8.ts) looped onto a werift track with werift's VP8
 * RTP packetizer and a frame timer.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  PictureLossIndication,
  RtcpPayloadSpecificFeedback,
  type MediaStreamTrack,
  type RtcpPacket,
  Vp8Packetizer,
} from 'werift';

export const DEFAULT_CLIP_PATH = fileURLToPath(new URL('../fixtures/test-pattern.ivf', import.meta.url));

const VIDEO_CLOCK_HZ = 90_000;

export interface Vp8Clip {
  width: number;
  height: number;
  fps: number;
  /** encoded frames; frame 0 is a keyframe, so looping restarts cleanly */
  frames: Buffer[];
}

/** Reads an IVF (DKIF) file holding VP8 frames. */
export function loadIvf(path: string = DEFAULT_CLIP_PATH): Vp8Clip {
  const buf = readFileSync(path);
  if (buf.length < 32 || buf.toString('ascii', 0, 4) !== 'DKIF') throw new Error(`${path}: not an IVF file`);
  if (buf.toString('ascii', 8, 12) !== 'VP80') throw new Error(`${path}: not VP8`);
  const headerLen = buf.readUInt16LE(6);
  const width = buf.readUInt16LE(12);
  const height = buf.readUInt16LE(14);
  const rate = buf.readUInt32LE(16);
  const scale = buf.readUInt32LE(20) || 1;
  const frames: Buffer[] = [];
  let offset = headerLen;
  while (offset + 12 <= buf.length) {
    const size = buf.readUInt32LE(offset);
    offset += 12;
    if (offset + size > buf.length) break;
    frames.push(buf.subarray(offset, offset + size));
    offset += size;
  }
  if (frames.length === 0) throw new Error(`${path}: no frames`);
  const first = frames[0];
  if (!first || (first[0] ?? 1) & 1) throw new Error(`${path}: first frame is not a keyframe`);
  return { width, height, fps: Math.max(1, Math.round(rate / scale)), frames };
}

/**
 * Whether an RTCP packet from the browser asks for a keyframe: a payload-specific feedback (PT 206)
 * whose format is a picture loss indication (FMT 1) or a full intra request (FMT 4). The same packet
 * type also carries REMB (FMT 15), a bitrate estimate, which must not restart the picture.
 *
 * viam-server (rdk's robot/web/stream and gostream) starts an encoder when a stream gets its first
 * viewer, so a new stream opens with a keyframe, and otherwise keyframes at the encoder's interval;
 * an encoder that honours keyframe requests (the browser sends PLI when it cannot decode) answers
 * with the next frame. The sim, which cannot encode, restarts its clip at frame 0, its keyframe.
 */
export function isKeyframeRequest(packet: RtcpPacket): boolean {
  if (!(packet instanceof RtcpPayloadSpecificFeedback)) return false;
  const fmt = packet.feedback.count;
  return fmt === PictureLossIndication.count || fmt === FIR_FMT;
}

/** RFC 5104's full intra request (werift parses it but does not export its class). */
const FIR_FMT = 4;

/** How a camera's live video is running (see Machine.video). */
export interface VideoFeed {
  readonly frozen: boolean;
  readonly fps?: number;
}

/** Sends a clip, looping, onto one track until stopped. */
export class ClipSender {
  private timer: NodeJS.Timeout | undefined;
  private index = 0;
  private rtpTimestamp = Math.floor(Math.random() * 0xffffffff);
  private readonly packetizer = new Vp8Packetizer({ maxPayloadSize: 1100 });

  private lastSentAt = 0;

  /**
   * `feed` is asked on every tick: frozen sends nothing (the track stays open, as with a stalled
   * camera); a lower `fps` skips ticks.
   */
  constructor(
    private readonly clip: Vp8Clip,
    private readonly track: MediaStreamTrack,
    private readonly feed: () => VideoFeed | undefined = () => undefined,
  ) {}

  start(): void {
    if (this.timer) return;
    const step = Math.round(VIDEO_CLOCK_HZ / this.clip.fps);
    this.timer = setInterval(() => {
      const feed = this.feed();
      const now = Date.now();
      if (feed?.frozen) return;
      if (feed?.fps !== undefined && now - this.lastSentAt < 1000 / feed.fps - 2) return;
      this.lastSentAt = now;
      const frame = this.clip.frames[this.index];
      this.index = (this.index + 1) % this.clip.frames.length;
      if (!frame) return;
      try {
        for (const packet of this.packetizer.packetize(frame, this.rtpTimestamp)) this.track.writeRtp(packet);
      } catch {
        // the track or transport is going away; stop() follows
      }
      this.rtpTimestamp = (this.rtpTimestamp + step) >>> 0;
    }, 1000 / this.clip.fps);
  }

  /** restart at the clip's first (key) frame, e.g. when the receiver lost the picture */
  restartAtKeyframe(): void {
    this.index = 0;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.track.stop();
  }
}
