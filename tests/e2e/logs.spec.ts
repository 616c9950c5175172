/**
 * The machine's logs in the single-machine app, read from the simulated cloud with the cookie's
 * machine-scoped API key through the real SDK: the live tail and its "N new", history pages,
 * filters (an invalid regex says so), a line's fields, copy, counts in the panel and the machine
 * header; hostile lines inert; a flood cut to a rate with a count; no access and a failing or slow
 * cloud said calmly while the machine stays usable; and never a log stream that outlives its panel
 * (closed, hidden tab, page left).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import {
  CloudControl,
  DEFAULT_API_KEY,
  DEFAULT_API_KEY_ID,
  DEFAULT_USER_TOKEN,
  FLEET_MACHINES,
  ROVER,
} from './cloud-fixture.ts';
import { deepHtml, expect, openConnected, setTabHidden, test } from './fixtures.ts';

const cloud = new CloudControl();
const rover = cloud.machine(ROVER.machineId);

const panel = (page: Page): Locator => page.locator('logs-panel');
const rows = (page: Page): Locator => page.locator('logs-panel [data-log-line]');
const scroller = (page: Page): Locator => page.locator('logs-panel [data-log-scroller]');

/** Opens the app with the logs panel closed, then opens it and waits until it tails. */
async function openLogs(page: Page): Promise<void> {
  await openConnected(page);
  await page.locator('[data-action="toggle-logs"]').click();
  await expect(panel(page).locator('[data-log-state="live"]')).toBeVisible({ timeout: 15_000 });
}

/** Messages of the rows in the list's viewport, top to bottom (rendered margin rows left out). */
async function shownMessages(page: Page): Promise<string[]> {
  return scroller(page).evaluate((list) => {
    const view = list.getBoundingClientRect();
    return [...list.querySelectorAll('[data-log-line]')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > view.top && r.top < view.bottom;
      })
      .map((el) => el.querySelector('.msg')?.textContent ?? '');
  });
}

/** Every line the panel holds through its filter (windowed rendering shows only some of them). */
async function heldMessages(page: Page): Promise<string[]> {
  return panel(page).evaluate((el) => {
    const feed = (el as unknown as { feed?: { view: { lines: readonly { message: string }[] } } }).feed;
    return feed ? feed.view.lines.map((l) => l.message) : [];
  });
}

test.describe('machine logs', () => {
  test.beforeEach(async ({ page }) => {
    await cloud.clearFaults();
    await rover.stopLogFlood().catch(() => undefined);
    // The open state is remembered: start every test closed.
    await page.addInitScript(() => localStorage.removeItem('viam-console:logs-open'));
  });

  test.afterEach(async () => {
    await cloud.clearFaults();
    await rover.stopLogFlood().catch(() => undefined);
  });

  test('the tail follows, scrolling up shows “N new”, and the jump goes back to the newest', async ({
    page,
  }) => {
    await openLogs(page);
    const tag = `follow-${Date.now()}`;
    await rover.injectLogs({ count: 40, level: 'info', message: tag });
    // The machine's routine lines may come after ours: ours is in view, not necessarily last.
    await expect(rows(page).filter({ hasText: `${tag} #40` })).toBeInViewport({ timeout: 10_000 });

    // Away from the bottom: new lines are counted, the view holds still.
    await scroller(page).evaluate((el) => el.scrollBy(0, -200));
    // The rows for the new scroll position are drawn in the next frames (windowed rendering).
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    await page.waitForTimeout(100);
    const before = await shownMessages(page);
    await rover.injectLogs({ count: 7, level: 'warn', message: `${tag}-later` });
    const jump = page.locator('logs-panel [data-action="jump-latest"]');
    // Ours, and any routine line the machine wrote meanwhile.
    await expect
      .poll(async () => Number(/(\d+) new/.exec((await jump.textContent()) ?? '')?.[1] ?? 0), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(7);
    await expect
      .poll(async () => (await heldMessages(page)).filter((m) => m.startsWith(`${tag}-later`)).length)
      .toBe(7);
    expect(await shownMessages(page)).toEqual(before);

    await jump.click();
    await expect(rows(page).filter({ hasText: `${tag}-later #7` })).toBeInViewport();
    await expect(jump).toHaveCount(0);
  });

  test('older lines load page by page when scrolled to; each line once, in time order', async ({ page }) => {
    const tag = `history-${Date.now()}`;
    // More than two pages of history before the panel opens.
    await rover.injectLogs({ count: 250, level: 'mixed', message: tag });
    await openLogs(page);
    const ours = async () => (await heldMessages(page)).filter((m) => m.startsWith(tag));
    await expect.poll(async () => (await ours()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect(async () => {
      await scroller(page).evaluate((el) => el.scrollTo(0, 0));
      expect(await ours()).toHaveLength(250);
    }).toPass({ timeout: 20_000 });
    const held = await ours();
    expect(new Set(held).size).toBe(250);
    expect(held[0]).toBe(`${tag} #1`);
    expect(held[249]).toBe(`${tag} #250`);
  });

  test('filters by level, logger and text; an invalid regular expression says so', async ({ page }) => {
    await openLogs(page);
    const tag = `filter-${Date.now()}`;
    await rover.injectLogs({ count: 20, level: 'mixed', message: tag, logger: 'rdk.e2e.filters' });
    await expect(rows(page).filter({ hasText: `${tag} #20` })).toHaveCount(1, { timeout: 10_000 });

    for (const level of ['warn', 'info', 'debug']) {
      await page.locator(`logs-panel [data-level-filter="${level}"]`).click();
    }
    await expect(rows(page).first()).toBeVisible();
    expect(await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-level')))).toEqual(
      expect.arrayContaining(['error']),
    );
    expect(
      new Set(await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-level')))),
    ).toEqual(new Set(['error']));
    for (const level of ['warn', 'info', 'debug']) {
      await page.locator(`logs-panel [data-level-filter="${level}"]`).click();
    }

    await page.locator('logs-panel [data-logger-filter]').selectOption('rdk.e2e.filters');
    await expect.poll(async () => (await heldMessages(page)).length).toBe(20);

    const text = page.locator('logs-panel [data-text-filter]');
    await text.fill(`${tag} #1`);
    await expect
      .poll(() => heldMessages(page))
      .toEqual([`${tag} #1`, ...[10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((n) => `${tag} #${n}`)]);

    await page.locator('logs-panel [data-regex-filter]').check();
    await text.fill(`#(3|7)$`);
    await expect.poll(() => heldMessages(page)).toEqual([`${tag} #3`, `${tag} #7`]);

    await text.fill('#(3|7');
    await expect(page.locator('logs-panel [data-filter-error]')).toContainText('Invalid regular expression');
    await expect(text).toHaveAttribute('aria-invalid', 'true');
    // The last valid filter stays in force.
    expect(await heldMessages(page)).toEqual([`${tag} #3`, `${tag} #7`]);
    await text.fill('');
    await expect(page.locator('logs-panel [data-filter-error]')).toHaveCount(0);
  });

  test('a line expands to its fields; the shown lines copy as text; counts reach the machine header', async ({
    page,
  }) => {
    // The browser's own clipboard, as the Copy button fills it.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openLogs(page);
    const tag = `fields-${Date.now()}`;
    await rover.injectLogs({ count: 4, level: 'error', message: tag, logger: 'rdk.e2e.fields' });
    await rover.injectLogs({ count: 3, level: 'warn', message: `${tag}-warn`, logger: 'rdk.e2e.fields' });
    await expect(rows(page).filter({ hasText: `${tag}-warn #3` })).toHaveCount(1, { timeout: 10_000 });

    await rows(page)
      .filter({ hasText: `${tag} #2` })
      .click();
    const details = page.locator('logs-panel [data-log-details]');
    await expect(details.locator('[data-log-fields] [data-field="n"]')).toHaveText('2');
    await expect(details.locator('[data-log-fields] [data-field="of"]')).toHaveText('4');
    await expect(details).toContainText('rdk.e2e.fields');

    // The panel's counts are the held lines' counts, and the header shows the same.
    const counts = await panel(page).evaluate((el) => {
      const feed = (el as unknown as { feed: { store: { counts: { error: number; warn: number } } } }).feed;
      return feed.store.counts;
    });
    expect(counts.error).toBeGreaterThanOrEqual(4);
    expect(counts.warn).toBeGreaterThanOrEqual(3);
    const header = page.locator('[data-header-log-counts]');
    await expect(header).toHaveAttribute('data-errors', String(counts.error));
    await expect(header).toHaveAttribute('data-warnings', String(counts.warn));
    await expect(panel(page).locator('[data-log-counts]')).toHaveText(await header.innerText());

    await page.locator('logs-panel [data-logger-filter]').selectOption('rdk.e2e.fields');
    await page.locator('logs-panel [data-action="copy-logs"]').click();
    await expect(page.locator('logs-panel [data-log-note]')).toHaveText('Copied 7 lines.');
    const lines = (await page.evaluate(() => navigator.clipboard.readText())).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[^\\t]+Z\\tERROR\\trdk\\.e2e\\.fields\\t${tag} #1\\tn=1`),
    );
    await expect(page.locator('logs-panel [data-log-note]')).toHaveText('Copied 7 lines.');
  });

  test('hostile lines render inert and contained, and never show the key', async ({ page, watch }) => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs += 1;
      void d.dismiss();
    });
    // The browser's own clipboard, as the Copy button fills it.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openLogs(page);
    const widthBefore = await panel(page).evaluate((el) => el.getBoundingClientRect().width);
    await rover.injectLogs({ count: 12, hostile: true });
    await expect(rows(page).filter({ hasText: 'panic: runtime error' })).toHaveCount(1, { timeout: 10_000 });

    // Markup is text: no element came from a line, no script ran.
    const made = await panel(page).evaluate(
      (el) =>
        el.shadowRoot?.querySelectorAll(
          '[data-log-lines] img, [data-log-lines] script, [data-log-lines] iframe, [data-log-lines] a',
        ).length ?? -1,
    );
    expect(made).toBe(0);
    expect(dialogs).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const text = await rows(page).evaluateAll((els) => els.map((el) => el.textContent).join('\n'));
    expect(text).toContain('<script>alert("xss")</script>');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('red alert');
    // Invalid UTF-8 arrives as replacement characters; control characters show as their pictures,
    // an RTL override by its code point (it is on the line's second line, so in the whole message).
    expect(text).toMatch(/invalid utf-8: \ufffd/);
    const messages = (await heldMessages(page)).join('\n');
    expect(messages).toContain('<U+202E>RTL override');
    expect(messages).toContain('tabbed\u2400nul');
    for (const raw of ['\u0000', '\u0007', '\u001b', '\u202e']) expect(messages).not.toContain(raw);

    // Every row is one row high, whatever its length (the 100 KB line included); the panel kept its width.
    const heights = await rows(page).evaluateAll((els) => [
      ...new Set(els.map((el) => el.getBoundingClientRect().height)),
    ]);
    expect(heights).toEqual([22]);
    expect(await panel(page).evaluate((el) => el.getBoundingClientRect().width)).toBe(widthBefore);

    // The 100 KB line opens partly, then whole on request, inside its own scroll box.
    await rows(page).filter({ hasText: 'long line <b>not bold</b>' }).click();
    const message = page.locator('logs-panel [data-log-details] [data-log-message]');
    expect((await message.textContent())?.length).toBe(8000);
    await page.locator('logs-panel [data-action="show-all"]').click();
    // 100 KB as sent; what is left once its escape sequences are gone, all of it.
    const whole = (await heldMessages(page)).find((m) => m.startsWith('long line <b>not bold</b>')) ?? '';
    expect(whole.length).toBeGreaterThan(75_000);
    expect((await message.textContent())?.length).toBe(whole.length);
    // Contained: its own box (20rem and its padding) scrolls, the page does not grow.
    const box = await message.boundingBox();
    expect(box?.height ?? 0).toBeLessThanOrEqual(20 * 16 + 2 * 8 + 1);
    expect(await message.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);

    // Lines without a usable time (none, out of range) say so.
    await expect(
      rows(page).filter({ hasText: 'a line whose time is out of range' }).locator('.time'),
    ).toHaveText('—');

    // The key the machine logged is scrubbed: not shown, not copied, nowhere in the page.
    await expect(rows(page).filter({ hasText: 'authenticating to app.viam.com with api key' })).toContainText(
      '•••',
    );
    await page.locator('logs-panel [data-action="copy-logs"]').click();
    await expect(page.locator('logs-panel [data-log-note]')).toContainText('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('authenticating to app.viam.com with api key •••');
    expect(copied).not.toContain(DEFAULT_API_KEY);
    expect(await deepHtml(page)).not.toContain(DEFAULT_API_KEY);
    await watch.expectNoSecret(DEFAULT_API_KEY);
    expect(watch.errors).toEqual([]);
  });

  test('a flood of 1,000 lines a second is cut to a rate with a count, and the page never freezes', async ({
    page,
  }) => {
    await openLogs(page);
    await page.evaluate(() => {
      // The longest wait between two frames: a frozen page stops painting.
      const w = window as unknown as { __gap: number };
      w.__gap = 0;
      let last = performance.now();
      const tick = (t: number) => {
        w.__gap = Math.max(w.__gap, t - last);
        last = t;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await rover.injectLogs({ count: 8000, rate: 1000, level: 'mixed', message: 'flood' });
    const dropped = page.locator('logs-panel [data-log-dropped]');
    await expect(dropped).toBeVisible({ timeout: 10_000 });
    // While it floods, the console answers the operator at once.
    const timeMode = page.locator('logs-panel [data-action="time-mode"]');
    for (const want of ['Absolute time', 'Relative time']) {
      const started = Date.now();
      await timeMode.click();
      await expect(timeMode).toHaveText(want);
      expect(Date.now() - started).toBeLessThan(1000);
      await page.waitForTimeout(1000);
    }
    await rover.stopLogFlood();
    // Lines already on their way still arrive (and are counted) after the flood stops: the count
    // and its sentence are read from one rendering, once two readings 500 ms apart agree.
    const reading = () =>
      dropped.evaluate((el) => ({
        count: Number(el.getAttribute('data-log-dropped')),
        text: el.textContent.replace(/\s+/g, ' '),
      }));
    let last = { count: -1, text: '' };
    await expect
      .poll(
        async () => {
          const now = await reading();
          const settled = now.count === last.count;
          last = now;
          return settled;
        },
        { intervals: [500], timeout: 10_000 },
      )
      .toBe(true);
    const count = last.count;
    expect(count).toBeGreaterThan(1000);
    expect(last.text).toContain(`${count} lines dropped`);
    // Taken in at the flood rate (200 a second), not all of them.
    const held = (await heldMessages(page)).filter((m) => m.startsWith('flood #')).length;
    expect(held).toBeGreaterThan(0);
    expect(held + count).toBeLessThanOrEqual(8000);
    const gap = await page.evaluate(() => (window as unknown as { __gap: number }).__gap);
    expect(gap).toBeLessThan(1000);
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
  });

  test('a key that may not read logs gets one calm line; the machine is unaffected', async ({ page }) => {
    for (const method of ['GetRobotPartLogs', 'TailRobotPartLogs']) {
      await cloud.addFault({ method, errorCode: 7, errorMessage: 'you do not have permission to read logs' });
    }
    await openConnected(page);
    await cloud.resetCalls();
    await page.locator('[data-action="toggle-logs"]').click();
    const problem = page.locator('logs-panel [data-log-problem]');
    await expect(problem).toHaveText('This key cannot read logs for this machine.', { timeout: 15_000 });
    await expect(page.locator('logs-panel .notice')).toHaveCount(1);
    await page.waitForTimeout(4000);
    // No retry loop.
    const logCalls = (await cloud.calls()).filter((c) => /RobotPartLogs$/.test(c.method));
    expect(logCalls.length).toBeLessThanOrEqual(2);
    // The rest of the console goes on: status updates, cards answer.
    const updated = page.locator('machine-status [data-stale="false"]');
    await expect(updated).toBeVisible();
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
  });

  test('a key the cloud stops accepting is said once, calmly; the machine stays connected', async ({
    page,
  }) => {
    await openConnected(page);
    await cloud.revoke({ apiKeyId: DEFAULT_API_KEY_ID });
    try {
      await page.locator('[data-action="toggle-logs"]').click();
      const problem = page.locator('logs-panel [data-log-problem]');
      await expect(problem).toHaveAttribute('data-log-problem', 'unauthenticated', { timeout: 15_000 });
      await expect(problem).toHaveText('The cloud did not accept this key, so logs cannot be read.');
      await expect(page.locator('logs-panel .notice')).toHaveCount(1);
      await expect(page.locator('[data-connection="connected"]')).toBeVisible();
      await expect(page.locator('[data-machine-state="running"]')).toBeVisible();
    } finally {
      await cloud.restore({ apiKeyId: DEFAULT_API_KEY_ID });
    }
  });

  test('a failing cloud is said in the panel and retried with backoff; a slow one too; the machine goes on', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await cloud.addFault({ method: 'GetRobotPartLogs', errorCode: 14, errorMessage: 'upstream unavailable' });
    await openConnected(page);
    await page.locator('[data-action="toggle-logs"]').click();
    const problem = page.locator('logs-panel [data-log-problem]');
    await expect(problem).toHaveAttribute('data-log-problem', 'unavailable', { timeout: 15_000 });
    await expect(problem).toContainText(/cannot be reached.*Trying again in \d+ s/);
    // The machine, meanwhile, answers as ever.
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
    await expect(page.locator('[data-machine-state="running"]')).toBeVisible();

    await cloud.clearFaults();
    await expect(panel(page).locator('[data-log-state="live"]')).toBeVisible({ timeout: 30_000 });
    await expect(problem).toHaveCount(0);

    // Slow: no answer within the panel's deadline is a failure too.
    await page.locator('logs-panel [data-action="close-logs"]').click();
    await cloud.addFault({ method: 'GetRobotPartLogs', latencyMs: 20_000 });
    await page.locator('[data-action="toggle-logs"]').click();
    await expect(panel(page).locator('[data-log-state="connecting"]')).toContainText(
      /Waiting for the cloud/,
      {
        timeout: 10_000,
      },
    );
    await expect(problem).toHaveAttribute('data-log-problem', 'slow', { timeout: 20_000 });
    await expect(page.locator('[data-machine-state="running"]')).toBeVisible();
  });

  test('no log stream outlives its panel: closed, tab hidden, page left; lines while hidden are filled in', async ({
    page,
  }) => {
    await openConnected(page);
    await expect.poll(() => rover.logStreams()).toBe(0);
    await page.locator('[data-action="toggle-logs"]').click();
    await expect(panel(page).locator('[data-log-state="live"]')).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => rover.logStreams(), { timeout: 5000 }).toBe(1);

    await page.locator('logs-panel [data-action="close-logs"]').click();
    await expect.poll(() => rover.logStreams(), { timeout: 5000 }).toBe(0);

    await page.locator('[data-action="toggle-logs"]').click();
    await expect.poll(() => rover.logStreams(), { timeout: 10_000 }).toBe(1);
    const tag = `hidden-${Date.now()}`;
    await rover.injectLogs({ count: 3, level: 'info', message: `${tag}-before` });
    await expect(rows(page).filter({ hasText: `${tag}-before #3` })).toHaveCount(1, { timeout: 10_000 });

    await setTabHidden(page, true);
    await expect.poll(() => rover.logStreams(), { timeout: 5000 }).toBe(0);
    await rover.injectLogs({ count: 150, level: 'info', message: `${tag}-while` });
    await setTabHidden(page, false);
    await expect.poll(() => rover.logStreams(), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(async () => (await heldMessages(page)).filter((m) => m.startsWith(`${tag}-while`)).length, {
        timeout: 10_000,
      })
      .toBe(150);
    const held = (await heldMessages(page)).filter((m) => m.startsWith(tag));
    expect(new Set(held).size).toBe(held.length);
    expect(held).toHaveLength(153);

    await page.goto('about:blank');
    await expect.poll(() => rover.logStreams(), { timeout: 5000 }).toBe(0);
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`the open panel has no serious or critical accessibility violations (${scheme})`, async ({
      page,
    }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openLogs(page);
      await rover.injectLogs({ count: 8, level: 'mixed', message: 'axe' });
      await expect(rows(page).filter({ hasText: 'axe #8' })).toHaveCount(1, { timeout: 10_000 });
      await rows(page).filter({ hasText: 'axe #8' }).click();
      await page.locator('logs-panel [data-level-filter="debug"]').click();
      await scroller(page).evaluate((el) => el.scrollBy(0, -100));
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  }
});

test.describe('machine logs in the fleet app', () => {
  const armCell = cloud.machine(FLEET_MACHINES.armCell.machineId);

  test.beforeEach(async ({ page }) => {
    await cloud.clearFaults();
    await page.addInitScript(() => localStorage.removeItem('viam-console:logs-open'));
  });

  test.afterEach(async () => {
    await cloud.clearFaults();
  });

  test('an opened machine reads its logs and facts with the user token; another machine or the list ends the stream', async ({
    page,
    watch,
  }) => {
    await page.goto(`/fleet/#/machine/${ROVER.machineId}`);
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    await page.locator('[data-action="toggle-logs"]').click();
    await expect(panel(page).locator('[data-log-state="live"]')).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => rover.logStreams(), { timeout: 5000 }).toBe(1);
    const tag = `fleet-${Date.now()}`;
    await rover.injectLogs({ count: 5, level: 'error', message: tag });
    await expect(rows(page).filter({ hasText: `${tag} #5` })).toHaveCount(1, { timeout: 10_000 });
    await expect(page.locator('[data-header-log-counts]')).toContainText('error');
    await expect(page.locator('cloud-facts [data-cloud-org]')).toHaveText('Acme Robotics');
    await expect(page.locator('cloud-facts [data-cloud-location]')).toHaveText('Warehouse East');

    // Another machine: the rover's stream ends, the arm cell's opens (the panel stays open).
    await page.goto(`/fleet/#/machine/${FLEET_MACHINES.armCell.machineId}`);
    await expect(page.locator('[data-hostname]')).toHaveText(FLEET_MACHINES.armCell.hostname, {
      timeout: 20_000,
    });
    await expect.poll(() => rover.logStreams(), { timeout: 5000 }).toBe(0);
    await expect(panel(page).locator('[data-log-state="live"]')).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => armCell.logStreams(), { timeout: 5000 }).toBe(1);

    // Back to the list: no stream at all.
    await page.getByRole('link', { name: '← Back to fleet' }).first().click();
    await expect(page.locator('machine-console')).toHaveCount(0);
    await expect.poll(() => cloud.logStreams(), { timeout: 5000 }).toBe(0);
    expect(watch.errors).toEqual([]);
    await watch.expectNoSecret(DEFAULT_USER_TOKEN);
  });

  test('a user who may not read the logs gets one calm line; the console goes on', async ({ page }) => {
    for (const method of ['GetRobotPartLogs', 'TailRobotPartLogs']) {
      await cloud.addFault({ method, errorCode: 7, errorMessage: 'you may not read these logs' });
    }
    await page.goto(`/fleet/#/machine/${ROVER.machineId}`);
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    await page.locator('[data-action="toggle-logs"]').click();
    await expect(page.locator('logs-panel [data-log-problem]')).toHaveText(
      'Your account cannot read logs for this machine.',
      { timeout: 15_000 },
    );
    await expect(page.locator('logs-panel .notice')).toHaveCount(1);
    await expect(page.locator('[data-machine-state="running"]')).toBeVisible();
  });
});
