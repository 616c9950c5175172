/** A minimal PNG encoder (8-bit RGB, no interlace) and the animated test pattern cameras show. */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** `rgb` holds width*height*3 bytes, row by row. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(rgb.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const idat = deflateSync(raw, { level: 3 });
  return new Uint8Array(
    Buffer.concat([
      PNG_SIGNATURE,
      chunk('IHDR', ihdr),
      chunk('IDAT', idat),
      chunk('IEND', new Uint8Array(0)),
    ]),
  );
}

const BARS: readonly [number, number, number][] = [
  [192, 192, 192],
  [192, 192, 0],
  [0, 192, 192],
  [0, 192, 0],
  [192, 0, 192],
  [192, 0, 0],
  [0, 0, 192],
];

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the bouncing orange box is at time t (the vision service "detects" it). */
export function movingBox(width: number, height: number, tMs: number): Box {
  const w = Math.round(width / 6);
  const h = Math.round(height / 5);
  const bounce = (span: number, period: number): number => {
    const p = (tMs / period) % 2;
    return Math.round((p < 1 ? p : 2 - p) * span);
  };
  return { x: bounce(width - w, 4000), y: bounce(Math.round(height * 0.7) - h, 2600), w, h };
}

/**
 * Colour bars scrolling sideways, a bouncing box, and the frame counter as 16 binary blocks along
 * the bottom (white = 1, most significant bit first), so tests can read which frame they got.
 */
export function renderTestPattern(width: number, height: number, tMs: number, frame: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const shift = Math.floor(tMs / 20) % width;
  const barsBottom = Math.round(height * 0.7);
  const barW = width / BARS.length;
  for (let x = 0; x < width; x++) {
    const bar = BARS[Math.floor(((x + shift) % width) / barW)] ?? BARS[0];
    if (!bar) continue;
    for (let y = 0; y < barsBottom; y++) {
      const i = (y * width + x) * 3;
      rgb[i] = bar[0];
      rgb[i + 1] = bar[1];
      rgb[i + 2] = bar[2];
    }
  }
  // Grey ramp under the bars.
  for (let y = barsBottom; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Math.round((x / width) * 255);
      const i = (y * width + x) * 3;
      rgb[i] = v;
      rgb[i + 1] = v;
      rgb[i + 2] = v;
    }
  }
  const box = movingBox(width, height, tMs);
  fill(rgb, width, height, box, [255, 128, 0]);
  const bits = 16;
  const cell = Math.floor(width / bits);
  const cellH = Math.max(4, Math.round(height * 0.08));
  for (let b = 0; b < bits; b++) {
    const on = (frame >> (bits - 1 - b)) & 1;
    const c: [number, number, number] = on ? [255, 255, 255] : [0, 0, 0];
    fill(rgb, width, height, { x: b * cell + 1, y: height - cellH - 2, w: cell - 2, h: cellH }, c);
  }
  return rgb;
}

function fill(
  rgb: Uint8Array,
  width: number,
  height: number,
  r: Box,
  c: readonly [number, number, number],
): void {
  for (let y = Math.max(0, r.y); y < Math.min(height, r.y + r.h); y++) {
    for (let x = Math.max(0, r.x); x < Math.min(width, r.x + r.w); x++) {
      const i = (y * width + x) * 3;
      rgb[i] = c[0];
      rgb[i + 1] = c[1];
      rgb[i + 2] = c[2];
    }
  }
}
