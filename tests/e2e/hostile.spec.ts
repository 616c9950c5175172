/**
 * A hostile (or just broken) machine: resource names, API names, errors and readings carrying markup
 * and script, RTL and zero-width characters, 10 KB strings, NaN and Infinity, deep nesting. Everything
 * must render inert and readable, and nothing may break the layout beyond its own card.
 *
 * The sim refuses names viam-server refuses unless told otherwise (POST /__sim/names/unchecked), and
 * its sensors say exactly what `fixed_readings` holds (tests/sim/machine/models/hostile.ts).
 */
import type { Locator, Page } from '@playwright/test';
import { deepHtml, expect, openConnected, test } from './fixtures.ts';

const IMG = '<img src=x onerror=window.__pwned=1>';
const SCRIPT = '<script>window.__pwned=1</script>';
const RTL = '\u202eevil\u200b\u200f zero\u200dwidth';
const SENSOR = IMG;
const NAN_SENSOR = 'nan-sensor';
const GENERIC = `${RTL}${SCRIPT}`;
const LONG = 'L'.repeat(10_240);
const HOSTILE_NAMES = [SENSOR, NAN_SENSOR, GENERIC, LONG];

const cardNamed = (page: Page, name: string): Locator => page.locator(`[data-card=${JSON.stringify(name)}]`);

test.describe('hostile machine data', () => {
  test.beforeEach(async ({ sim }) => {
    await sim.request('POST', 'names/unchecked', { on: true });
    await sim.request('POST', 'reconfigure', {
      add: [
        {
          name: SENSOR,
          api: 'rdk:component:sensor',
          model: 'rdk:builtin:fake',
          attributes: {
            fixed_readings: {
              [SCRIPT]: IMG,
              rtl: RTL,
              long_text: { $repeat: 'W', times: 10_240 },
              long_word_key: { $repeat: 'K', times: 300 },
              deep: { $deep: 60, leaf: SCRIPT },
              list: [IMG, 1, null, true, { nested: [SCRIPT] }],
              temperature_c: 21.5,
            },
          },
        },
        {
          name: NAN_SENSOR,
          api: 'rdk:component:sensor',
          model: 'rdk:builtin:fake',
          attributes: { fixed_readings: { bad: '$NaN', far: '$Infinity', low: '$-Infinity', ok: 1 } },
        },
        { name: GENERIC, api: 'acme:component:hostile', model: `acme:${IMG}:x`, attributes: {} },
        { name: LONG, api: 'rdk:component:generic', model: 'rdk:builtin:fake', attributes: {} },
      ],
    });
  });

  test.afterEach(async ({ sim }) => {
    await sim.request('POST', 'reconfigure', { remove: HOSTILE_NAMES }).catch(() => undefined);
    await sim.request('POST', 'names/unchecked', { on: false });
  });

  test('markup, script, RTL, 10 KB strings, NaN and deep nesting render inert, readable and contained', async ({
    page,
    sim,
    watch,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await openConnected(page);
    for (const name of HOSTILE_NAMES) await expect(cardNamed(page, name)).toHaveCount(1, { timeout: 10_000 });

    const sensor = cardNamed(page, SENSOR);
    await expect(async () => {
      await sensor.scrollIntoViewIfNeeded();
      await expect(sensor.locator('[data-reading="rtl"]')).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await sim.request('POST', 'resources/unhealthy', { name: SENSOR, error: `${IMG}${SCRIPT}` });
    await expect(sensor.locator('[data-health-error]')).toBeVisible({ timeout: 5000 });

    // Readable: the markup is shown as the text it is.
    await expect(sensor).toContainText(IMG);
    await expect(sensor).toContainText(SCRIPT);
    await expect(sensor.locator('[data-health-error]')).toContainText(`${IMG}${SCRIPT}`);
    await expect(cardNamed(page, GENERIC)).toContainText('window.__pwned=1');
    await expect(page.locator('[data-status-resource]').filter({ hasText: IMG }).first()).toBeVisible();

    // NaN and Infinity: JSON cannot spell them (the SDK's own conversion throws), so the sensor card
    // decodes the readings itself and shows them, beside the ordinary one.
    const nan = cardNamed(page, NAN_SENSOR);
    await expect(async () => {
      await nan.scrollIntoViewIfNeeded();
      await expect(nan.locator('[data-values]')).toContainText('NaN', { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await expect(nan.locator('[data-values]')).toContainText('∞');
    await expect(nan.locator('[data-values]')).toContainText('−∞');
    await expect(nan.locator('[data-poll-error]')).toHaveCount(0);

    // Inert: nothing ran, no element was injected anywhere (shadow roots included).
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const injected = await page.evaluate(() => {
      const found: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('img[src="x"], script')) {
          if (el.outerHTML.includes('__pwned')) found.push(el.outerHTML.slice(0, 80));
        }
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
      };
      walk(document);
      return found;
    });
    expect(injected).toEqual([]);
    expect((await deepHtml(page)).includes('<img src="x"')).toBe(false);

    // Contained: no horizontal scroll on the page; every card stays within its grid column.
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    const reference = await cardNamed(page, 'base').boundingBox();
    expect(reference).not.toBeNull();
    for (const name of HOSTILE_NAMES) {
      const box = await cardNamed(page, name).boundingBox();
      expect(box, name.slice(0, 40)).not.toBeNull();
      expect(box?.width ?? Infinity, `card ${name.slice(0, 40)} width`).toBeLessThanOrEqual(
        (reference?.width ?? 0) + 1,
      );
    }
    const longCard = await cardNamed(page, LONG).boundingBox();
    expect(longCard?.height ?? Infinity).toBeLessThan(900);

    expect(watch.errors).toEqual([]);
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
  });
});
