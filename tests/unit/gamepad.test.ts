import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  axis,
  choosePad,
  DEFAULT_PAD_SETTINGS,
  mappingWarning,
  PAD_BUTTONS,
  padName,
  padProblem,
  readIntent,
  readJogIntent,
  sanitizeSettings,
  shapeStick,
  type PadSnapshot,
} from '../../src/lib/gamepad.ts';

const LINEAR = { deadZone: 0.1, expo: 0 };

function pad(over: Partial<PadSnapshot> & { held?: number[] } = {}): PadSnapshot {
  const buttons = Array.from({ length: 17 }, (_, i) => over.held?.includes(i) ?? false);
  return {
    index: 0,
    id: 'Xbox 360 Controller (STANDARD GAMEPAD)',
    mapping: 'standard',
    connected: true,
    axes: [0, 0, 0, 0],
    buttons,
    ...over,
  };
}

describe('shapeStick', () => {
  it('is still inside the radial dead zone, diagonals included', () => {
    expect(shapeStick(0.05, 0.05, LINEAR)).toEqual({ linear: 0, angular: 0 });
    expect(shapeStick(0.07, -0.07, LINEAR)).toEqual({ linear: 0, angular: 0 }); // |r| = 0.099
    // Outside it on the diagonal both axes move (an axial dead zone would have kept both at zero).
    const m = shapeStick(0.3, -0.3, LINEAR);
    expect(m.linear).toBeGreaterThan(0);
    expect(m.angular).toBeLessThan(0);
  });

  it('rescales the travel past the dead zone to 0..1: full deflection is full speed', () => {
    expect(shapeStick(0, -1, LINEAR)).toEqual({ linear: 1, angular: 0 });
    expect(shapeStick(-1, 0, LINEAR)).toEqual({ linear: 0, angular: 1 });
    // Just past the dead zone is just above zero, not a jump to 0.1.
    expect(shapeStick(0, -0.12, LINEAR).linear).toBe(0.02);
    expect(shapeStick(0, 0.55, LINEAR)).toEqual({ linear: -0.5, angular: 0 });
  });

  it('expo gives finer control at small deflections and leaves full deflection alone', () => {
    const soft = shapeStick(0, -0.55, { deadZone: 0.1, expo: 1 });
    expect(soft.linear).toBeCloseTo(0.12, 2); // 0.5³ = 0.125, quantised
    expect(shapeStick(0, -1, { deadZone: 0.1, expo: 1 }).linear).toBe(1);
    const half = shapeStick(0, -0.55, { deadZone: 0.1, expo: 0.5 });
    expect(half.linear).toBeGreaterThan(soft.linear);
    expect(half.linear).toBeLessThan(0.5);
  });

  it('pulls a corner onto the circle and keeps its direction', () => {
    const m = shapeStick(1, -1, LINEAR);
    expect(Math.hypot(m.linear, m.angular)).toBeCloseTo(1, 1);
    expect(m.linear).toBeCloseTo(-m.angular, 5);
  });

  it('quantises, so pad noise at rest or at one spot gives one motion', () => {
    expect(shapeStick(0.301, -0.6, LINEAR)).toEqual(shapeStick(0.303, -0.601, LINEAR));
  });

  it('never leaves -1..1 and never gives NaN, whatever the pad reports', () => {
    fc.assert(
      fc.property(
        fc.double(),
        fc.double(),
        fc.double({ min: -2, max: 2, noNaN: false }),
        fc.double({ min: -2, max: 2, noNaN: false }),
        (x, y, deadZone, expo) => {
          const m = shapeStick(x, y, sanitizeSettings({ deadZone, expo }));
          for (const v of [m.linear, m.angular]) {
            expect(Number.isFinite(v)).toBe(true);
            expect(Math.abs(v)).toBeLessThanOrEqual(1);
            expect(Object.is(v, -0)).toBe(false);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('readIntent', () => {
  it('moves nothing without the enable button, whatever the stick and D-pad say', () => {
    const i = readIntent(pad({ axes: [0, -1], held: [PAD_BUTTONS.up] }), DEFAULT_PAD_SETTINGS);
    expect(i).toEqual({ enabled: false, motion: { linear: 0, angular: 0 }, stop: false });
  });

  it('drives from the left stick while enable is held (up is forward, left turns left)', () => {
    const i = readIntent(pad({ axes: [-1, 0], held: [PAD_BUTTONS.enable] }), LINEAR);
    expect(i.enabled).toBe(true);
    expect(i.motion).toEqual({ linear: 0, angular: 1 });
  });

  it('maps the D-pad to straight moves and spins, over the stick', () => {
    const held = (b: number) =>
      readIntent(pad({ axes: [1, 1], held: [PAD_BUTTONS.enable, b] }), LINEAR).motion;
    expect(held(PAD_BUTTONS.up)).toEqual({ linear: 1, angular: 0 });
    expect(held(PAD_BUTTONS.down)).toEqual({ linear: -1, angular: 0 });
    expect(held(PAD_BUTTONS.left)).toEqual({ linear: 0, angular: 1 });
    expect(held(PAD_BUTTONS.right)).toEqual({ linear: 0, angular: -1 });
    const both = readIntent(pad({ held: [PAD_BUTTONS.enable, PAD_BUTTONS.up, PAD_BUTTONS.down] }), LINEAR);
    expect(both.motion).toEqual({ linear: 0, angular: 0 });
  });

  it('STOP wins: with it down nothing moves, enabled or not', () => {
    const i = readIntent(pad({ axes: [0, -1], held: [PAD_BUTTONS.enable, PAD_BUTTONS.stop] }), LINEAR);
    expect(i.stop).toBe(true);
    expect(i.motion).toEqual({ linear: 0, angular: 0 });
    expect(readIntent(pad({ held: [PAD_BUTTONS.stop] }), LINEAR).stop).toBe(true);
  });

  it('takes odd pads calmly: missing axes are centred, NaN and values past ±1 are read safely', () => {
    expect(readIntent(pad({ axes: [], held: [PAD_BUTTONS.enable] }), LINEAR).motion).toEqual({
      linear: 0,
      angular: 0,
    });
    expect(axis([Number.NaN], 0)).toBe(0);
    expect(axis([Number.POSITIVE_INFINITY], 0)).toBe(0);
    expect(axis([7], 0)).toBe(1);
    expect(axis([-3], 0)).toBe(-1);
    const wild = readIntent(pad({ axes: [Number.NaN, -40], held: [PAD_BUTTONS.enable] }), LINEAR);
    expect(wild.motion).toEqual({ linear: 1, angular: 0 });
    // Only four buttons: nothing can be the enable, so nothing drives.
    const few = pad({ buttons: [true, true, true, true], axes: [0, -1] });
    expect(readIntent(few, LINEAR).enabled).toBe(false);
    expect(padProblem(few)).toMatch(/no LB/);
  });
});

describe('choosing the pad that drives', () => {
  const a = pad({ index: 0, id: 'A' });
  const b = pad({ index: 1, id: 'B' });

  it('is the lowest-numbered connected pad, and the one already driving keeps driving', () => {
    expect(choosePad([a, b], undefined)?.id).toBe('A');
    expect(choosePad([null, b], undefined)?.id).toBe('B');
    expect(choosePad([a, b], 1)?.id).toBe('B');
    expect(choosePad([{ ...a, connected: false }, b], 0)?.id).toBe('B');
    expect(choosePad([null, null], 0)).toBeUndefined();
  });
});

describe('what the operator is told', () => {
  it('warns when the mapping is not standard', () => {
    expect(mappingWarning(pad())).toBeUndefined();
    expect(mappingWarning(pad({ mapping: '' }))).toMatch(/Not the standard mapping/);
  });

  it('shows a pad name without control characters, bounded', () => {
    expect(padName('Pad\u0000\u001b[31m')).toBe('Pad [31m');
    expect(padName('   ')).toBe('Unnamed gamepad');
    expect(padName('x'.repeat(500)).length).toBe(80);
  });

  it('reads remembered settings from anything, in range', () => {
    expect(sanitizeSettings(null)).toEqual(DEFAULT_PAD_SETTINGS);
    expect(sanitizeSettings({ deadZone: 9, expo: -1 })).toEqual({ deadZone: 0.5, expo: 0 });
    expect(sanitizeSettings({ deadZone: 'x', expo: Number.NaN })).toEqual(DEFAULT_PAD_SETTINGS);
  });
});

describe('readJogIntent', () => {
  it('jogs with D-pad up/down only while LB is held; left/right pick; opposite directions cancel', () => {
    expect(readJogIntent(pad({ held: [PAD_BUTTONS.up] })).jog).toBe(0);
    expect(readJogIntent(pad({ held: [PAD_BUTTONS.enable, PAD_BUTTONS.up] })).jog).toBe(1);
    expect(readJogIntent(pad({ held: [PAD_BUTTONS.enable, PAD_BUTTONS.down] })).jog).toBe(-1);
    expect(readJogIntent(pad({ held: [PAD_BUTTONS.enable, PAD_BUTTONS.up, PAD_BUTTONS.down] })).jog).toBe(0);
    expect(readJogIntent(pad({ held: [PAD_BUTTONS.enable, PAD_BUTTONS.up, PAD_BUTTONS.stop] })).jog).toBe(0);
    expect(readJogIntent(pad({ held: [PAD_BUTTONS.right] })).select).toBe(1);
    expect(readJogIntent(pad({ held: [PAD_BUTTONS.left] })).select).toBe(-1);
    expect(readJogIntent(pad({ buttons: [] })).enabled).toBe(false);
  });
});
