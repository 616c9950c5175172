/** Which camera the first screen will show, before any card is drawn (src/lib/video-first.ts). */
import { describe, expect, it } from 'vitest';
import { CAMERA_API, firstScreenCamera, nameOfKey, ROW_ESTIMATE_PX } from '../../src/lib/video-first.ts';

const card = (name: string, api = 'rdk:component:motor', collapsed = false) => ({
  key: `${api}/${name}`,
  api,
  collapsed,
});
const cam = (name: string, collapsed = false) => card(name, CAMERA_API, collapsed);
/** Two columns (the console at 1280 px), the grid starting 130 px down. */
const wide = (viewportHeight: number) => ({ gridWidth: 880, gridTop: 130, viewportHeight });

describe('firstScreenCamera', () => {
  it('finds the first camera whose row starts within the window', () => {
    const cards = [card('a'), card('b'), card('c'), card('d'), cam('cam'), card('e')];
    // Row 2 starts at 130 + 2 × (estimate + gap): on a tall window, not on a 900 px one.
    expect(firstScreenCamera(cards, wide(2400))).toBe(`${CAMERA_API}/cam`);
    expect(firstScreenCamera(cards, wide(900))).toBeUndefined();
    expect(130 + 2 * (ROW_ESTIMATE_PX + 16)).toBeGreaterThan(900);
  });

  it('counts columns from the grid width', () => {
    const cards = [card('a'), card('b'), card('c'), cam('cam')];
    // One column: the camera is the fourth row; three columns: the second.
    expect(firstScreenCamera(cards, { gridWidth: 360, gridTop: 100, viewportHeight: 1100 })).toBeUndefined();
    expect(firstScreenCamera(cards, { gridWidth: 1200, gridTop: 100, viewportHeight: 700 })).toBe(
      `${CAMERA_API}/cam`,
    );
  });

  it('skips collapsed cameras and counts collapsed rows as headers only', () => {
    const cards = [
      card('a', 'rdk:component:arm', true),
      card('b', 'rdk:component:base', true),
      cam('c1', true),
      card('d'),
      cam('c2'),
    ];
    // Row 0 is two headers (56 px), row 1 a full row: row 2 starts at 130 + 72 + 476 = 678.
    expect(firstScreenCamera(cards, wide(700))).toBe(`${CAMERA_API}/c2`);
    expect(firstScreenCamera(cards, wide(670))).toBeUndefined();
  });

  it('leaves out rows scrolled above the window', () => {
    const cards = [cam('front'), card('a'), card('b'), cam('back')];
    expect(firstScreenCamera(cards, { gridWidth: 880, gridTop: -600, viewportHeight: 900 })).toBe(
      `${CAMERA_API}/back`,
    );
  });

  it('prefers the first camera in the order drawn', () => {
    expect(firstScreenCamera([cam('front'), cam('back')], wide(900))).toBe(`${CAMERA_API}/front`);
    expect(firstScreenCamera([], wide(900))).toBeUndefined();
    expect(firstScreenCamera([card('a')], wide(900))).toBeUndefined();
  });

  it('names a camera by its key', () => {
    expect(nameOfKey('rdk:component:camera/cam')).toBe('cam');
    expect(nameOfKey('rdk:component:camera/remote1:cam')).toBe('remote1:cam');
  });
});
