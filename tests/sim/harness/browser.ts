/**
 * Browser-side helpers for the transport specs: open the SDK harness page and
 * dial the sim from it.
 */
import type { Page } from '@playwright/test';
import type * as Viam from '@viamrobotics/sdk';
import type { RunningSim } from '../server.ts';

declare global {
  interface Window {
    viam: typeof Viam;
    client?: Viam.RobotClient;
    /** esbuild keepNames helper some tooling injects into evaluated functions */
    __name?: unknown;
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function openHarness(page: Page, url: string): Promise<void> {
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.goto(url);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
}

export interface DialArgs {
  host: string;
  url: string;
  id: string;
  key: string;
}

export function dialArgs(sim: RunningSim, overrides: Partial<DialArgs> = {}): DialArgs {
  return { host: sim.hostname, url: sim.url, id: sim.apiKeyId, key: sim.apiKey, ...overrides };
}

/** createRobotClient over WebRTC inside the page; the client is kept as window.client. */
export async function dialWebRTC(page: Page, args: DialArgs): Promise<{ dialMs: number }> {
  return page.evaluate(async ({ host, url, id, key }) => {
    const t0 = performance.now();
    window.client = await window.viam.createRobotClient({
      host,
      signalingAddress: url,
      credentials: { type: 'api-key', authEntity: id, payload: key },
      noReconnect: true,
    });
    return { dialMs: performance.now() - t0 };
  }, args);
}
