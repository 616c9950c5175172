import { test as base, expect, type Locator, type Page } from '@playwright/test';
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

  /** Starts recording Content-Security-Policy violations; call before the first navigation. */
  async recordCspViolations(): Promise<void> {
    await this.page.addInitScript(() => {
      const list: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = list;
      document.addEventListener('securitypolicyviolation', (e) =>
        list.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
  }

  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
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

export const test = base.extend<{ sim: SimControl; watch: PageWatch }>({
  sim: async ({}, use) => {
    await use(new SimControl());
  },
  watch: async ({ page }, use) => {
    await use(new PageWatch(page));
  },
});

export { expect };
