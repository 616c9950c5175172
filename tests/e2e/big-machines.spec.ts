/**
 * Big and restless machines (issue 14): a card that throws while rendering stays inside its frame, a
 * resource list that changes every second, and a machine of 2,000 resources with names that sort
 * strangely. The page must keep working: the rest of the cards load, the lists follow the machine,
 * and the main thread keeps answering.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openConnected, reveal, SimControl, test } from './fixtures.ts';

const card = (page: Page, name: string): Locator => page.locator(`resource-card[data-card="${name}"]`);

/** A round trip to the page's main thread (ms): long tasks show up here. */
async function roundTrip(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  return Date.now() - t0;
}

test.describe('big machines', () => {
  test('a card that throws while rendering shows why in its frame; the others load and poll', async ({
    page,
    watch,
  }) => {
    // The real sensor card, made to throw for one resource, as a card meeting an answer it cannot draw would.
    await page.addInitScript(() => {
      const define = customElements.define.bind(customElements);
      customElements.define = (name, ctor, options) => {
        if (name === 'sensor-card') {
          const proto = ctor.prototype as { render: () => unknown; resource?: { name: string } };
          const render = proto.render;
          proto.render = function (this: typeof proto) {
            if (this.resource?.name === 'env-sensor') throw new Error('unexpected reading shape (test)');
            return render.call(this);
          };
        }
        define(name, ctor, options);
      };
    });
    await openConnected(page);
    const broken = card(page, 'env-sensor');
    await expect(broken.getByRole('alert')).toContainText(
      'This card stopped working: unexpected reading shape (test)',
    );
    // Its frame still works (collapse, hide), and every other card is made and works.
    await expect(broken.locator('[data-action="collapse"]')).toBeEnabled();
    await expect(page.locator('resource-card:not([collapsed]):not([data-loaded])')).toHaveCount(0);
    const battery = card(page, 'battery');
    await reveal(battery);
    await expect(battery.locator('.poll-status')).toContainText('Updated');
    const motor = card(page, 'left-motor');
    await reveal(motor);
    await expect(motor.getByRole('alert')).toHaveCount(0);
    // The failure is the one reported: nothing else threw.
    expect(watch.errors).toEqual([]);
  });

  test('a resource list that changes every second: cards and status follow it, the page keeps answering', async ({
    page,
    sim,
    watch,
  }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await openConnected(page);
    const names: string[] = [];
    let slowest = 0;
    try {
      for (let i = 0; i < 10; i++) {
        const name = `storm-${i}`;
        await sim.request('POST', 'reconfigure', {
          add: [{ name, api: 'rdk:component:sensor', model: 'rdk:builtin:fake', attributes: {} }],
          remove: names.splice(0),
        });
        names.push(name);
        slowest = Math.max(slowest, await roundTrip(page));
        await page.waitForTimeout(1000);
      }
      // The last one is there, the ones before it are gone, in both the cards and the status list.
      await expect(card(page, 'storm-9')).toHaveCount(1, { timeout: 10_000 });
      await expect(page.locator('resource-card[data-card^="storm-"]')).toHaveCount(1);
      await expect(page.locator('li[data-status-resource^="storm-"]')).toHaveCount(1);
      await reveal(card(page, 'storm-9'));
      await expect(card(page, 'storm-9').locator('.poll-status')).toContainText('Updated');
    } finally {
      await sim.request('POST', 'reconfigure', { remove: names }).catch(() => undefined);
    }
    // A safety bound with a wide margin, not a performance figure: the page never froze.
    expect(slowest).toBeLessThan(3000);
    expect(watch.errors).toEqual([]);
  });

  test.describe('2,000 resources', () => {
    // Names that sort strangely: numbers without padding, upper and lower case, digits first.
    const NAMES = Array.from({ length: 1980 }, (_, i) =>
      i % 5 === 0 ? `Big-${i}` : i % 7 === 0 ? `${i}a` : i % 11 === 0 ? `Z_${i}-x` : `big-${i}`,
    );
    const batches = (list: readonly string[]): string[][] =>
      Array.from({ length: Math.ceil(list.length / 500) }, (_, i) => list.slice(i * 500, i * 500 + 500));

    test.beforeAll(async () => {
      const sim = new SimControl();
      for (const batch of batches(NAMES)) {
        await sim.request('POST', 'reconfigure', {
          add: batch.map((name, i) =>
            i % 4 === 0
              ? { name, api: 'rdk:component:sensor', model: 'rdk:builtin:fake', attributes: {} }
              : { name, api: 'rdk:component:generic', model: 'rdk:builtin:fake', attributes: {} },
          ),
        });
      }
    });

    test.afterAll(async () => {
      const sim = new SimControl();
      for (const batch of batches(NAMES))
        await sim.request('POST', 'reconfigure', { remove: batch }).catch(() => undefined);
    });

    test('the page loads, draws only what is on screen, and makes a card when scrolled to', async ({
      page,
      watch,
    }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto('/');
      await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByRole('heading', { name: 'Components and services (2000)' })).toBeVisible({
        timeout: 30_000,
      });
      // Every frame is on the page (added a few dozen a task), but only the cards near the screen are made.
      await expect(page.locator('resource-card')).toHaveCount(2000, { timeout: 30_000 });
      const made = await page.locator('resource-card[data-loaded]').count();
      expect(made).toBeGreaterThan(0);
      expect(made).toBeLessThan(200);
      // The status list draws the rows in view, not 2,000.
      await expect(page.locator('machine-status')).toHaveAttribute('windowed', '');
      const rows = await page.locator('li[data-status-resource]').count();
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThan(300);
      // Scrolled to, the last card is made and shows its data.
      const last = page.locator('resource-card').last();
      await last.scrollIntoViewIfNeeded();
      await expect(last).toHaveAttribute('data-loaded', '', { timeout: 15_000 });
      await expect(last).toHaveAttribute('data-showing', /\d/, { timeout: 15_000 });
      // A row far down the status list is drawn once the list scrolls to it.
      const target = NAMES[NAMES.length - 1] ?? '';
      const found = await page.locator('machine-status').evaluate(async (el, name) => {
        const aside = el.parentElement;
        const root = el.shadowRoot;
        if (!aside || !root) return false;
        const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        for (let top = 0; top <= aside.scrollHeight; top += aside.clientHeight / 2) {
          aside.scrollTop = top;
          await frame();
          if (root.querySelector(`li[data-status-resource="${CSS.escape(name)}"]`)) return true;
        }
        return false;
      }, target);
      expect(found).toBe(true);
      // A safety bound with a wide margin: the page is not frozen.
      expect(await roundTrip(page)).toBeLessThan(3000);
      expect(watch.errors).toEqual([]);
    });
  });
});
