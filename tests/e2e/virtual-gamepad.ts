import type { BrowserContext, Page } from '@playwright/test';

/**
 * A stand-in for a gamepad, the one device these machines lack. An init script replaces
 * `navigator.getGamepads()` with pads the test scripts through `window.__pads`, and fires
 * `gamepadconnected` / `gamepaddisconnected` as a browser does. Everything else in the page is real.
 */
export interface PadSpec {
  readonly id?: string;
  readonly mapping?: string;
  readonly axes?: number;
  readonly buttons?: number;
}

declare global {
  interface Window {
    __pads: {
      connect(index: number, spec: PadSpec): void;
      disconnect(index: number): void;
      set(index: number, change: { axes?: Record<number, number>; down?: number[]; up?: number[] }): number;
    };
  }
}

export async function installVirtualGamepads(target: Page | BrowserContext): Promise<void> {
  await target.addInitScript(() => {
    interface Pad {
      index: number;
      id: string;
      mapping: string;
      connected: boolean;
      timestamp: number;
      axes: number[];
      pressed: boolean[];
    }
    const pads: (Pad | null)[] = [];
    const view = (p: Pad) => ({
      index: p.index,
      id: p.id,
      mapping: p.mapping,
      connected: p.connected,
      timestamp: p.timestamp,
      axes: [...p.axes],
      buttons: p.pressed.map((down) => ({ pressed: down, touched: down, value: down ? 1 : 0 })),
      vibrationActuator: null,
    });
    Object.defineProperty(Navigator.prototype, 'getGamepads', {
      configurable: true,
      value: () =>
        Array.from({ length: Math.max(4, pads.length) }, (_, i) => {
          const p = pads[i];
          return p ? view(p) : null;
        }),
    });
    const fire = (type: string) => window.dispatchEvent(new Event(type));
    window.__pads = {
      connect(index, spec) {
        pads[index] = {
          index,
          id: spec.id ?? 'Xbox 360 Controller (XInput STANDARD GAMEPAD)',
          mapping: spec.mapping ?? 'standard',
          connected: true,
          timestamp: performance.now(),
          axes: Array.from({ length: spec.axes ?? 4 }, () => 0),
          pressed: Array.from({ length: spec.buttons ?? 17 }, () => false),
        };
        fire('gamepadconnected');
      },
      disconnect(index) {
        pads[index] = null;
        fire('gamepaddisconnected');
      },
      set(index, change) {
        const p = pads[index];
        if (!p) throw new Error(`no pad ${index}`);
        for (const [i, v] of Object.entries(change.axes ?? {})) p.axes[Number(i)] = v;
        for (const b of change.down ?? []) p.pressed[b] = true;
        for (const b of change.up ?? []) p.pressed[b] = false;
        p.timestamp = performance.now();
        return Date.now();
      },
    };
  });
}

/** Standard-mapping indices the app uses. */
export const BUTTON = { stop: 1, enable: 4, up: 12, down: 13, left: 14, right: 15 } as const;

export const padConnect = (page: Page, index: number, spec: PadSpec = {}) =>
  page.evaluate(([i, s]) => window.__pads.connect(i, s), [index, spec] as const);

export const padDisconnect = (page: Page, index: number) =>
  page.evaluate((i) => {
    window.__pads.disconnect(i);
    return Date.now();
  }, index);

/** Changes a pad; resolves with the page's clock at the change. */
export const padSet = (
  page: Page,
  index: number,
  change: { axes?: Record<number, number>; down?: number[]; up?: number[] },
) => page.evaluate(([i, c]) => window.__pads.set(i, c), [index, change] as const);
