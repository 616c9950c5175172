import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { E2E_SIM_URL } from './ports.ts';

/** One entry of the simulated machine's call log (GET /__sim/calls). */
export interface SimCall {
  t: number;
  method: string;
  transport: 'webrtc' | 'grpc-web';
  sessionId?: string;
  summary: string;
  code: number;
  durationMs: number;
}

/** The simulated machine behind the e2e app, seen through its control API. */
export class SimControl {
  constructor(private readonly url = E2E_SIM_URL) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__sim/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} /__sim/${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async calls(): Promise<SimCall[]> {
    const body = await this.request<SimCall[] | { calls: SimCall[] }>('GET', 'calls');
    return Array.isArray(body) ? body : body.calls;
  }

  async resetCalls(): Promise<void> {
    await this.request('DELETE', 'calls');
  }
}

/**
 * Makes the page believe its tab was hidden (or shown again) and fires visibilitychange. Headless
 * Chromium keeps every tab visible (background tabs and minimised windows included), so this is the
 * one way to drive the app's real hidden-tab handling.
 */
export async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (h ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Opens the app the way an operator does (through `/`, which sets the cookie) and waits until live. */
export async function openConnected(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
  // Motion waits for the machine session (see motionReady): a test that drives waits for it too.
  await expect(page.locator('[data-session]:not([data-session="starting"])')).toBeVisible({
    timeout: 10_000,
  });
  await expect(page.locator('[data-card]').first()).toBeVisible();
  // Every card's module is in (so nothing above a card grows by a whole card any more).
  await expect(page.locator('resource-card:not([collapsed]):not([data-loaded])')).toHaveCount(0, {
    timeout: 10_000,
  });
}

/**
 * Scrolls a card into view and keeps it there until its polls run: cards above it grow as their
 * data arrives, which can push it back off screen (where, correctly, it stops polling).
 */
export async function reveal(card: Locator): Promise<void> {
  await expect(card).toHaveAttribute('data-loaded', '', { timeout: 10_000 });
  await expect(async () => {
    await card.scrollIntoViewIfNeeded();
    await expect(card).toBeInViewport({ ratio: 0.5 });
    const status = card.locator('.poll-status').first();
    if ((await status.count()) > 0) await expect(status).not.toContainText('No data yet', { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
}

/** Everything rendered, shadow roots included: text and attributes. */
export async function deepHtml(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot | Element) => {
      for (const el of root.querySelectorAll('*')) {
        parts.push(el.outerHTML.length < 50_000 ? el.outerHTML : el.tagName);
        if (el.shadowRoot) {
          parts.push(el.shadowRoot.innerHTML);
          walk(el.shadowRoot);
        }
      }
    };
    walk(document);
    return parts.join('\n');
  });
}

/** What a page leaked: console output, uncaught errors, storage, URL. */
export class PageWatch {
  readonly console: string[] = [];
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => this.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.errors.push(`${e.name}: ${e.message}`));
  }

  async storage(): Promise<string> {
    return this.page.evaluate(() =>
      JSON.stringify({ local: Object.entries(localStorage), session: Object.entries(sessionStorage) }),
    );
  }

  async expectNoSecret(secret: string): Promise<void> {
    expect(await deepHtml(this.page)).not.toContain(secret);
    expect(this.console.join('\n')).not.toContain(secret);
    expect(this.errors.join('\n')).not.toContain(secret);
    expect(await this.storage()).not.toContain(secret);
    expect(this.page.url()).not.toContain(secret);
  }
}

/**
 * The one refusal that is the policy doing its job: when the WebRTC dial fails, the SDK falls back to
 * gRPC-web at the machine's host, relative to the page (its own origin), with the key. connect-src
 * allows only the signaling service, so that request is refused, as intended.
 */
const GRPC_FALLBACK = /https?:\/\/[^\s'"]+\/(?:proto\.rpc|viam)\.[\w.]+\/\w+/;
function isIntendedRefusal(text: string): boolean {
  return /connect-src|Refused to connect/.test(text) && GRPC_FALLBACK.test(text);
}

/**
 * Every Content-Security-Policy and Trusted Types violation in the browser contexts it watches, from
 * every page and navigation: the page reports `securitypolicyviolation` events to the test, and
 * Chromium's console messages about a refused sink are kept too (a sink that throws before any
 * event still logs). The suite fails any test that leaves one unclaimed (see `take`).
 */
export class CspGuard {
  readonly #violations: string[] = [];
  readonly #watched = new WeakSet<BrowserContext>();
  /** Refusals of the SDK's gRPC-web fallback (see isIntendedRefusal), counted, not failed. */
  intendedRefusals = 0;

  async watch(context: BrowserContext): Promise<void> {
    if (this.#watched.has(context)) return;
    this.#watched.add(context);
    await context.exposeBinding('__mcCspViolation', (source, text: string) => {
      this.#record(`${text} (${source.page.url()})`);
    });
    await context.addInitScript(() => {
      const report = (window as unknown as { __mcCspViolation?: (t: string) => void }).__mcCspViolation;
      document.addEventListener('securitypolicyviolation', (e) =>
        report?.(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`.trim()),
      );
    });
    context.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Trusted ?Type/i.test(m.text()))
        this.#record(`console: ${m.text()}`);
    });
  }

  #record(text: string): void {
    if (isIntendedRefusal(text)) this.intendedRefusals += 1;
    else this.#violations.push(text);
  }

  /** The violations so far, which a test that provokes them on purpose thereby claims. */
  take(): string[] {
    return this.#violations.splice(0);
  }

  get pending(): readonly string[] {
    return this.#violations;
  }
}

export const test = base.extend<{ sim: SimControl; watch: PageWatch; csp: CspGuard }>({
  sim: async ({}, use) => {
    await use(new SimControl());
  },
  watch: async ({ page }, use) => {
    await use(new PageWatch(page));
  },
  // Automatic: the whole suite runs under the app's CSP, and any violation fails the test it happened in.
  csp: [
    async ({ context }, use) => {
      const guard = new CspGuard();
      await guard.watch(context);
      await use(guard);
      expect(guard.pending, 'CSP / Trusted Types violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
