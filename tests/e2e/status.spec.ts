import AxeBuilder from '@axe-core/playwright';
import { expect, openConnected, setTabHidden, test } from './fixtures.ts';

test.describe('connection and machine status', () => {
  test.afterEach(async ({ sim }) => {
    await sim.request('POST', 'online').catch(() => undefined);
    await sim.request('DELETE', 'faults').catch(() => undefined);
  });

  test('a machine that goes away is shown within 3 s, and live data resumes when it returns', async ({
    page,
    sim,
  }) => {
    await openConnected(page);
    await expect(page.locator('[data-machine-state="running"]')).toBeVisible({ timeout: 10_000 });

    const wentAway = Date.now();
    await sim.request('POST', 'offline', { ms: 4000 });
    const banner = page.locator('[data-banner="connection-lost"]');
    await expect(banner).toBeVisible({ timeout: 3000 });
    const shownAfter = Date.now() - wentAway;
    expect(shownAfter).toBeLessThan(3000);
    await expect(banner.getByRole('button', { name: 'Retry now' })).toBeVisible();
    await expect(page.locator('machine-status [data-stale="true"]')).toBeVisible();

    // Back by itself: connected again and the status is fresh.
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 15_000 });
    await expect(banner).toBeHidden();
    await expect(page.locator('machine-status [data-stale="false"]')).toBeVisible({ timeout: 5000 });
  });

  test('on connecting, the machine status is painted before the cards are made', async ({ page }) => {
    // At every animation frame (its callbacks run before that frame is drawn): is the status shown,
    // and how many cards are there. The cards' first render is the start-up's longest task; made
    // between the status's DOM change and its frame, they held the status off the screen.
    await page.addInitScript(() => {
      const frames: { status: boolean; cards: number }[] = [];
      (window as unknown as { frames_: typeof frames }).frames_ = frames;
      const all = (root: Document | ShadowRoot, selector: string): Element[] => {
        const found = [...root.querySelectorAll(selector)];
        for (const el of root.querySelectorAll('*'))
          if (el.shadowRoot) found.push(...all(el.shadowRoot, selector));
        return found;
      };
      const tick = () => {
        const status = all(document, '[data-machine-state]').some(
          (el) => !['unknown', '…'].includes(el.getAttribute('data-machine-state') ?? ''),
        );
        frames.push({ status, cards: all(document, 'resource-card').length });
        if (!status) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await openConnected(page);
    const frames = await page.evaluate(
      () => (window as unknown as { frames_: { status: boolean; cards: number }[] }).frames_,
    );
    const first = frames.find((f) => f.status);
    expect(first, 'a frame showed the status').toBeDefined();
    expect(first?.cards, 'cards made before the status was painted').toBe(0);
    await expect(page.locator('[data-card]').first()).toBeVisible();
  });

  test('reconfiguring the machine adds and removes cards without a reload', async ({ page, sim }) => {
    await openConnected(page);
    const marker = await page.evaluate(
      () => ((window as unknown as { marker: number }).marker = Math.random()),
    );
    await expect(page.locator('[data-card="beeper"]')).toBeVisible();
    await sim.request('POST', 'reconfigure', {
      add: [{ name: 'extra-sensor', api: 'rdk:component:sensor', model: 'rdk:builtin:fake' }],
      remove: ['beeper'],
    });
    await expect(page.locator('[data-card="extra-sensor"]')).toBeVisible({ timeout: 5000 });
    await expect(page.locator('[data-card="beeper"]')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
    await sim.request('POST', 'reconfigure', {
      add: [{ name: 'beeper', api: 'rdk:component:generic', model: 'rdk:builtin:fake' }],
      remove: ['extra-sensor'],
    });
    await expect(page.locator('[data-card="beeper"]')).toBeVisible({ timeout: 5000 });
  });

  test('an unhealthy resource shows its error, and recovers', async ({ page, sim }) => {
    await openConnected(page);
    await sim.request('POST', 'resources/unhealthy', {
      name: 'env-sensor',
      error: 'i2c bus timeout at 0x40',
    });
    const row = page.locator('[data-status-resource="env-sensor"]');
    await expect(row).toHaveAttribute('data-state', 'unhealthy', { timeout: 5000 });
    await expect(row).toContainText('i2c bus timeout at 0x40');
    await expect(page.locator('[data-card="env-sensor"] [data-health="unhealthy"]')).toBeVisible();
    await sim.request('POST', 'resources/healthy', { name: 'env-sensor' });
    await expect(row).toHaveAttribute('data-state', 'ready', { timeout: 5000 });
  });

  test('the status filter narrows resources by name', async ({ page }) => {
    await openConnected(page);
    await page.getByRole('searchbox', { name: 'Filter resources by name' }).fill('motor');
    await expect(page.locator('[data-status-resource]')).toHaveCount(2);
  });

  test('a hidden tab does not poll', async ({ page, sim }) => {
    await openConnected(page);
    await expect(page.locator('[data-machine-state="running"]')).toBeVisible({ timeout: 10_000 });
    await setTabHidden(page, true);
    await page.waitForTimeout(300); // a poll already in flight may land
    await sim.resetCalls();
    await page.waitForTimeout(3000);
    // RPCs only (not the sim's own session-expiry entries for earlier tests' pages), and not the
    // SDK's session heartbeats, which must go on while hidden.
    const polls = (await sim.calls()).filter((c) => c.method.startsWith('/') && !/Session/.test(c.method));
    expect(polls.map((c) => c.method)).toEqual([]);
    await setTabHidden(page, false);
    await expect
      .poll(async () => (await sim.calls()).some((c) => c.method.endsWith('/GetMachineStatus')), {
        timeout: 3000,
      })
      .toBe(true);
  });

  test('Escape inside a text field stops everything', async ({ page, sim }) => {
    await openConnected(page);
    const field = page.getByRole('searchbox', { name: 'Filter resources by name' });
    await field.fill('mot');
    await sim.resetCalls();
    await field.press('Escape');
    await expect
      .poll(async () => (await sim.calls()).map((c) => c.method))
      .toContain('/viam.robot.v1.RobotService/StopAll');
    await expect(page.locator('[data-stop-outcome="ok"]')).toBeVisible();
    await expect(page.locator('[data-command-log] [data-command="StopAll"]')).toBeVisible();
  });

  test('the STOP button is always on screen', async ({ page, sim }) => {
    await openConnected(page);
    await page.mouse.wheel(0, 4000);
    const stop = page.getByRole('button', { name: /STOP/ });
    await expect(stop).toBeInViewport();
    await sim.resetCalls();
    await stop.click();
    await expect
      .poll(async () => (await sim.calls()).map((c) => c.method))
      .toContain('/viam.robot.v1.RobotService/StopAll');
  });

  test('the page starts a machine session and keeps it alive', async ({ page, sim }) => {
    await sim.resetCalls();
    await openConnected(page);
    await expect(page.locator('[data-session="active"]')).toBeVisible({ timeout: 10_000 });
    await page.waitForTimeout(2500);
    const methods = (await sim.calls()).map((c) => c.method);
    expect(methods).toContain('/viam.robot.v1.RobotService/StartSession');
    expect(methods.filter((m) => m.endsWith('/SendSessionHeartbeat')).length).toBeGreaterThanOrEqual(3);
  });

  test('a slow session check never puts off the machine check that tells a stalled link', async ({
    page,
    sim,
  }) => {
    await openConnected(page);
    await expect(page.locator('[data-session="active"]')).toBeVisible({ timeout: 10_000 });
    // The machine answers the session list (checked every fifth pulse) after 3 s: past the check's
    // own timeout. The pulse (GetOperations, every second) must keep its pace meanwhile: were it to
    // wait for the session check, a link that stalled as the check left would be shown 1.2 s late.
    await sim.request('POST', 'faults', { method: 'GetSessions', latencyMs: 3000 });
    await sim.resetCalls();
    await page.waitForTimeout(9000);
    const calls = await sim.calls();
    const arrivals = (name: string) =>
      calls
        .filter((c) => c.method.endsWith(`/${name}`))
        .map((c) => c.t - c.durationMs)
        .sort((a, b) => a - b);
    const pulses = arrivals('GetOperations');
    const gaps = pulses.slice(1).map((t, i) => Math.round(t - (pulses[i] ?? t)));
    console.log(`session checks ${arrivals('GetSessions').length}, pulse gaps ${gaps.join(' ')} ms`);
    expect(arrivals('GetSessions').length, 'session checks asked meanwhile').toBeGreaterThanOrEqual(1);
    // 1 s apart; one held behind a session check would be 2.2 s from the last.
    expect(gaps.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...gaps), 'the longest wait between two pulses (ms)').toBeLessThan(1900);
    // A slow answer to a session check is not a lost link.
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
  });

  test('cards can be collapsed, hidden and reordered, remembered after a reload', async ({ page }) => {
    await openConnected(page);
    const names = () =>
      page.locator('[data-card]').evaluateAll((els) => els.map((e) => e.getAttribute('data-card')));
    const before = await names();
    const second = before[1] ?? '';
    await page.getByRole('button', { name: `Move ${second} earlier` }).click();
    await page.getByRole('button', { name: `Collapse ${before[2] ?? ''}` }).click();
    await page.getByRole('button', { name: `Hide ${before[3] ?? ''}` }).click();
    const after = await names();
    expect(after[0]).toBe(second);
    expect(after).not.toContain(before[3]);

    await page.reload();
    await expect(page.locator('[data-card]').first()).toBeVisible({ timeout: 20_000 });
    expect(await names()).toEqual(after);
    await expect(page.getByRole('button', { name: `Expand ${before[2] ?? ''}` })).toBeVisible();
    await page.locator('[data-hidden-cards] summary').click();
    await page.locator(`[data-show-card="${before[3] ?? ''}"]`).click();
    await expect(page.locator(`[data-card="${before[3] ?? ''}"]`)).toBeVisible();
  });

  test('DoCommand from the generic card round-trips, and lands in the command log', async ({ page }) => {
    await openConnected(page);
    const card = page.locator('[data-card="widget"]');
    await card.getByRole('textbox').fill('{"command": "echo", "n": 7}');
    await card.getByRole('button', { name: 'Send' }).click();
    await expect(card.locator('[data-result="ok"]')).toContainText('7');
    await expect(page.locator('[data-command-log] [data-command="DoCommand"]').first()).toHaveAttribute(
      'data-status',
      'ok',
    );
    await card.getByRole('textbox').fill('[1, 2');
    await expect(card.getByRole('button', { name: 'Send' })).toBeDisabled();
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`no serious or critical accessibility violations (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openConnected(page);
      await expect(page.locator('[data-machine-state="running"]')).toBeVisible({ timeout: 10_000 });
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  }

  test('no serious or critical accessibility violations on a problem screen', async ({ page }) => {
    await page.goto('/machine/nobody/');
    await expect(page.locator('[data-problem="no-cookie"]')).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);
  });
});
