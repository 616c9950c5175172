/**
 * The operations panel with two consoles on one machine (each its own browser context, session and
 * connection): a running MoveStraight is listed in both, marked as its own in the page that started
 * it; cancelling it is read off the machine.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { isBaseMoving } from './base-helpers.ts';
import { expect, openConnected, test, type CspGuard, type SimControl } from './fixtures.ts';
import { E2E_APP_URL } from './ports.ts';

const CANCEL = '/viam.robot.v1.RobotService/CancelOperation';

async function openConsole(
  browser: Browser,
  csp: CspGuard,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: E2E_APP_URL });
  await csp.watch(context);
  const page = await context.newPage();
  await openConnected(page);
  await expect(page.locator('[data-session="active"]')).toBeVisible({ timeout: 10_000 });
  return { context, page };
}

const panel = (page: Page) => page.locator('operations-panel');

/** A slow straight move from `page` (400 mm at 40 mm/s: ten seconds, under the confirm threshold). */
async function startLongMove(page: Page): Promise<void> {
  const base = page.locator('[data-card="base"]');
  await base.scrollIntoViewIfNeeded();
  await base.locator('[data-input="distance"]').fill('400');
  await base.locator('[data-input="straight-speed"]').fill('40');
  await base.locator('[data-input="straight-speed"]').blur();
  await base.getByRole('button', { name: 'Move straight' }).click();
}

const cancels = async (sim: SimControl, since: number) =>
  (await sim.calls()).filter((c) => c.method === CANCEL && c.t >= since);

test.describe('operations and sessions', () => {
  test.describe.configure({ retries: 0 });

  test.afterEach(async ({ sim }) => {
    await sim.request('POST', 'stop-all');
  });

  test("each console lists the machine's operation, marks its own, and cancels another's only after asking", async ({
    browser,
    csp,
    sim,
  }) => {
    const a = await openConsole(browser, csp);
    const b = await openConsole(browser, csp);
    try {
      // Both consoles list both sessions, their own marked.
      for (const c of [a, b]) {
        await expect(panel(c.page).locator('[data-sessions] li')).toHaveCount(2, { timeout: 10_000 });
        await expect(panel(c.page).locator('[data-session-own="true"]')).toHaveCount(1);
      }
      await startLongMove(a.page);
      const opA = panel(a.page).locator('[data-operation="BaseService/MoveStraight"]');
      const opB = panel(b.page).locator('[data-operation="BaseService/MoveStraight"]');
      await expect(opA).toHaveAttribute('data-own', 'true', { timeout: 5000 });
      await expect(opA).toContainText('this page');
      await expect(opB).toHaveAttribute('data-own', 'false', { timeout: 5000 });
      await expect(opB).toContainText('another client');
      await expect.poll(() => isBaseMoving(sim)).toBe(true);

      // B's Cancel asks first; "Keep" sends nothing.
      const t = Date.now();
      await opB.getByRole('button', { name: 'Cancel' }).click();
      await expect(opB.getByRole('group', { name: 'Confirm cancel' })).toBeVisible();
      await opB.getByRole('button', { name: 'Keep' }).click();
      await b.page.waitForTimeout(300);
      expect(await cancels(sim, t)).toEqual([]);

      await opB.getByRole('button', { name: 'Cancel' }).click();
      await opB.getByRole('button', { name: 'Cancel it' }).click();
      await expect.poll(async () => (await cancels(sim, t)).length).toBe(1);
      await expect.poll(() => isBaseMoving(sim)).toBe(false);
      await expect(opA).toHaveCount(0, { timeout: 5000 });
      await expect(opB).toHaveCount(0, { timeout: 5000 });
      await expect(panel(b.page).locator('[role="status"]')).toHaveText(
        'Cancelled BaseService/MoveStraight.',
      );
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  test('its own operation is cancelled at once; another client leaving drops out of the sessions', async ({
    browser,
    csp,
    sim,
  }) => {
    const a = await openConsole(browser, csp);
    const b = await openConsole(browser, csp);
    try {
      await expect(panel(a.page).locator('[data-sessions] li')).toHaveCount(2, { timeout: 10_000 });
      await startLongMove(a.page);
      const opA = panel(a.page).locator('[data-operation="BaseService/MoveStraight"]');
      await expect(opA).toHaveAttribute('data-own', 'true', { timeout: 5000 });
      const t = Date.now();
      await opA.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(async () => (await cancels(sim, t)).length).toBe(1);
      await expect(opA).toHaveCount(0, { timeout: 5000 });

      await b.context.close();
      // The machine drops B's session when its heartbeats stop (2 s window), then A's list shows it.
      await expect(panel(a.page).locator('[data-sessions] li')).toHaveCount(1, { timeout: 15_000 });
      await expect(panel(a.page).locator('[data-session-own="true"]')).toHaveCount(1);
    } finally {
      await a.context.close();
      await b.context.close().catch(() => undefined);
    }
  });
});
