import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng, PNG_SIGNATURE, renderTestPattern } from '../../sim/machine/png.ts';

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
  crcOk: boolean;
}

function chunks(png: Uint8Array): Chunk[] {
  const buf = Buffer.from(png);
  const out: Chunk[] = [];
  let off = 8;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    const crc = buf.readUInt32BE(off + 8 + len);
    out.push({ type, data, crc, crcOk: crc === crc32(buf.subarray(off + 4, off + 8 + len)) });
    off += 12 + len;
  }
  return out;
}

describe('PNG encoder', () => {
  it('matches zlib crc32 on a known vector', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('writes a valid PNG that inflates back to the test pattern', () => {
    const w = 320;
    const h = 240;
    const rgb = renderTestPattern(w, h, 1234, 7);
    const png = encodePng(w, h, rgb);
    expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(cs.every((c) => c.crcOk)).toBe(true);
    const ihdr = cs[0]?.data;
    expect(ihdr?.readUInt32BE(0)).toBe(w);
    expect(ihdr?.readUInt32BE(4)).toBe(h);
    expect([ihdr?.[8], ihdr?.[9]]).toEqual([8, 2]);
    const raw = inflateSync(cs[1]?.data ?? Buffer.alloc(0));
    expect(raw.length).toBe((w * 3 + 1) * h);
    for (let y = 0; y < h; y += 37) {
      expect(raw[y * (w * 3 + 1)]).toBe(0);
      const row = raw.subarray(y * (w * 3 + 1) + 1, (y + 1) * (w * 3 + 1));
      expect(Buffer.compare(row, Buffer.from(rgb.subarray(y * w * 3, (y + 1) * w * 3)))).toBe(0);
    }
  });

  it('animates: frames differ over time and by counter', () => {
    const a = renderTestPattern(320, 240, 0, 1);
    const b = renderTestPattern(320, 240, 0, 2);
    const c = renderTestPattern(320, 240, 500, 1);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(c))).not.toBe(0);
  });
});
