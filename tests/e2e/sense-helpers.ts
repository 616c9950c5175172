import type { Locator, Page } from '@playwright/test';
import type { SimControl } from './fixtures.ts';

/** A card by resource name. */
export const card = (page: Page, name: string): Locator => page.locator(`resource-card[data-card="${name}"]`);

/** Number of samples a card's plot holds. */
export async function plotPoints(c: Locator): Promise<number> {
  await c.scrollIntoViewIfNeeded();
  return Number((await c.locator('reading-plot').first().getAttribute('data-plot-points')) ?? '0');
}

/** RPCs whose method name ends with `suffix` since the last reset. */
export async function callsTo(sim: SimControl, suffix: string): Promise<number> {
  return (await sim.calls()).filter((c) => c.method.endsWith(suffix)).length;
}

/** Scrolls a card into view (polls and video only run on screen) once the card list has settled. */
export async function show(c: Locator): Promise<void> {
  await c.page().waitForLoadState('networkidle');
  await c.scrollIntoViewIfNeeded();
}
