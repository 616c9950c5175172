import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PadSnapshot } from '../../src/lib/gamepad.ts';
import {
  AT_REST,
  changes,
  EventClock,
  everyControl,
  FEED_CONTROLS,
  padValues,
} from '../../src/lib/input-feed.ts';

function pad(over: Partial<PadSnapshot> & { held?: number[] } = {}): PadSnapshot {
  const buttons = Array.from({ length: 17 }, (_, i) => over.held?.includes(i) ?? false);
  return { index: 0, id: 'pad', mapping: 'standard', connected: true, axes: [0, 0, 0, 0], buttons, ...over };
}

const LB = 4;

describe('input feed: the pad as webgamepad controls', () => {
  it('sends nothing but rest unless LB is held, and rest while B (STOP) is down', () => {
    expect(padValues(pad({ axes: [1, -1, 0.5, 0.5], held: [0, 3] }), 0.1)).toBe(AT_REST);
    expect(padValues(pad({ axes: [1, -1, 0, 0], held: [LB, 1] }), 0.1)).toBe(AT_REST);
  });

  it('maps sticks, triggers, D-pad and buttons to rdk control names, with browser signs', () => {
    const v = padValues(
      pad({ axes: [0.5, -1, 0, 0.8], held: [LB, 0, 5, 12, 15], values: [1, 0, 0, 0, 1, 1, 0.25, 0.75] }),
      0.1,
    );
    expect(v).toMatchObject({
      AbsoluteX: 0.5,
      AbsoluteY: -1,
      AbsoluteRX: 0,
      AbsoluteRY: 0.8,
      AbsoluteZ: 0.25,
      AbsoluteRZ: 0.75,
      AbsoluteHat0X: 1,
      AbsoluteHat0Y: -1,
      ButtonSouth: 1,
      ButtonRT: 1,
      ButtonNorth: 0,
    });
    // LB (the enable) and B (STOP) are the console's own: never controls.
    expect(FEED_CONTROLS).not.toContain('ButtonLT');
    expect(FEED_CONTROLS).not.toContain('ButtonEast');
  });

  it('applies a radial dead zone per stick and steps of 1/100, so a resting stick sends nothing', () => {
    expect(padValues(pad({ axes: [0.05, -0.05, 0.3, 0], held: [LB] }), 0.1)).toMatchObject({
      AbsoluteX: 0,
      AbsoluteY: 0,
      AbsoluteRX: 0.3,
    });
    const a = padValues(pad({ axes: [0.501, 0, 0, 0], held: [LB] }), 0.1);
    const b = padValues(pad({ axes: [0.502, 0, 0, 0], held: [LB] }), 0.1);
    expect(changes(a, b)).toEqual([]);
  });

  it('reads hostile values as rest or clamps them; every value is finite and in range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constant(Number.NaN), fc.constant(Infinity)), { maxLength: 6 }),
        fc.array(fc.double(), { maxLength: 17 }),
        (axes, values) => {
          const v = padValues(pad({ axes, values, held: [LB] }), 0.1);
          for (const x of Object.values(v)) {
            expect(Number.isFinite(x)).toBe(true);
            expect(Math.abs(x)).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('turns a change into events: axes as PositionChangeAbs, buttons as press and release', () => {
    const held = padValues(pad({ axes: [0, -1, 0, 0], held: [LB, 0] }), 0.1);
    expect(changes(AT_REST, held)).toEqual([
      { control: 'AbsoluteY', event: 'PositionChangeAbs', value: -1 },
      { control: 'ButtonSouth', event: 'ButtonPress', value: 1 },
    ]);
    expect(changes(held, AT_REST)).toEqual([
      { control: 'AbsoluteY', event: 'PositionChangeAbs', value: 0 },
      { control: 'ButtonSouth', event: 'ButtonRelease', value: 0 },
    ]);
    expect(everyControl('Connect')).toHaveLength(FEED_CONTROLS.length);
  });

  it('stamps strictly increasing times, even within one millisecond or when the clock steps back', () => {
    const clock = new EventClock();
    const us = (t: { seconds: bigint; nanos: number }) => Number(t.seconds) * 1e6 + t.nanos / 1000;
    const stamps = [1000, 1000, 1000, 999, 1000.0004, 2500].map((ms) =>
      us(clock.stamp(1_700_000_000_000 + ms)),
    );
    for (let i = 1; i < stamps.length; i += 1) expect(stamps[i]).toBeGreaterThan(stamps[i - 1] ?? Infinity);
    const t = clock.stamp(1_700_000_001_999.5);
    expect(t.nanos).toBeLessThan(1e9);
    expect(t.nanos % 1000).toBe(0);
  });
});
