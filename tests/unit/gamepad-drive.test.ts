/**
 * GamepadDrive against a recording guard and a scripted navigator.getGamepads: what reaches the
 * guard per sample, the timer that samples while animation frames are throttled, and that a hold
 * something else ended needs a fresh enable.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { GamepadDrive, type PadGuard } from '../../src/controllers/gamepad-drive.ts';
import { PAD_BUTTONS } from '../../src/lib/gamepad.ts';
import type { HoldCause } from '../../src/controllers/motion-guard.ts';
import type { Motion } from '../../src/lib/teleop.ts';

class Host extends EventTarget {
  readonly controllers: ReactiveController[] = [];
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(): void {}
  requestUpdate(): void {}
  readonly updateComplete = Promise.resolve(true);
}

class RecordingGuard implements PadGuard {
  readonly calls: string[] = [];
  holding = false;
  hold(_control: string, motion: Motion, cause: HoldCause): void {
    this.holding = true;
    this.calls.push(`hold ${motion.linear},${motion.angular} ${cause}`);
  }
  release(_control: string, reason?: string): void {
    this.holding = false;
    this.calls.push(`release ${reason ?? ''}`);
  }
}

const pad = { axes: [0, 0, 0, 0], pressed: Array.from({ length: 17 }, () => false), connected: true };
const frames: (() => void)[] = [];

function setup() {
  const host = new Host();
  const guard = new RecordingGuard();
  const drive = new GamepadDrive(host as unknown as ReactiveControllerHost & HTMLElement, {
    guard,
    ready: () => true,
  });
  for (const c of host.controllers) c.hostConnected?.();
  return { drive, guard };
}

describe('GamepadDrive', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    pad.axes = [0, 0, 0, 0];
    pad.pressed = Array.from({ length: 17 }, () => false);
    pad.connected = true;
    frames.length = 0;
    vi.stubGlobal('window', Object.assign(new EventTarget(), { localStorage: undefined }));
    vi.stubGlobal('navigator', {
      getGamepads: () => [
        pad.connected
          ? {
              index: 0,
              id: 'pad',
              mapping: 'standard',
              connected: true,
              axes: pad.axes,
              buttons: pad.pressed.map((p) => ({ pressed: p, value: p ? 1 : 0 })),
            }
          : null,
      ],
    });
    // Animation frames are queued and never run unless a test runs them: a throttled frame loop.
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => frames.push(f));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('samples from its timer while no animation frame comes, and hands the guard changes only', async () => {
    const { drive, guard } = setup();
    drive.turnOn();
    pad.pressed[PAD_BUTTONS.enable] = true;
    pad.axes[1] = -1;
    await vi.advanceTimersByTimeAsync(200);
    expect(guard.calls).toEqual(['hold 1,0 press']);
    pad.axes[1] = -1.0004; // noise, clamped: no new command
    await vi.advanceTimersByTimeAsync(200);
    expect(guard.calls).toEqual(['hold 1,0 press']);
    pad.axes[0] = -1;
    pad.axes[1] = 0;
    await vi.advanceTimersByTimeAsync(100);
    expect(guard.calls).toEqual(['hold 1,0 press', 'hold 0,1 change']);
    pad.pressed[PAD_BUTTONS.enable] = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(guard.calls.at(-1)).toBe('release release');
  });

  it('frames and the timer between them still hand the guard one hold for one motion', async () => {
    const { drive, guard } = setup();
    drive.turnOn();
    pad.pressed[PAD_BUTTONS.enable] = true;
    pad.axes[1] = -1;
    // A frame every 16 ms, the timer sampling between them: one motion is one hold.
    for (let i = 0; i < 10; i++) {
      frames.shift()?.();
      await vi.advanceTimersByTimeAsync(16);
    }
    expect(guard.calls).toEqual(['hold 1,0 press']);
  });

  it('enable already down when turned on, or when something else stopped, needs letting go first', async () => {
    const { drive, guard } = setup();
    pad.pressed[PAD_BUTTONS.enable] = true;
    pad.axes[1] = -1;
    drive.turnOn();
    await vi.advanceTimersByTimeAsync(200);
    expect(guard.calls).toEqual([]);
    expect(drive.blocked).toBe(true);
    pad.pressed[PAD_BUTTONS.enable] = false;
    await vi.advanceTimersByTimeAsync(100);
    pad.pressed[PAD_BUTTONS.enable] = true;
    await vi.advanceTimersByTimeAsync(100);
    expect(guard.calls).toEqual(['hold 1,0 press']);
    // The guard ends the hold by itself (blur, STOP, another operator): nothing until a fresh enable.
    guard.holding = false;
    pad.axes[1] = -0.5;
    await vi.advanceTimersByTimeAsync(200);
    expect(guard.calls).toEqual(['hold 1,0 press']);
    expect(drive.blocked).toBe(true);
  });

  it('the pad unplugged while driving releases with gamepad-lost; turning off releases as disarmed', async () => {
    const { drive, guard } = setup();
    drive.turnOn();
    pad.pressed[PAD_BUTTONS.enable] = true;
    pad.axes[1] = -1;
    await vi.advanceTimersByTimeAsync(100);
    pad.connected = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(guard.calls).toEqual(['hold 1,0 press', 'release gamepad-lost']);
    pad.connected = true;
    pad.pressed[PAD_BUTTONS.enable] = false;
    await vi.advanceTimersByTimeAsync(100);
    pad.pressed[PAD_BUTTONS.enable] = true;
    await vi.advanceTimersByTimeAsync(100);
    drive.turnOff();
    expect(guard.calls.slice(2)).toEqual(['hold 1,0 press', 'release disarmed']);
  });
});
