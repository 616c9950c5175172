import { expect, openConnected, reveal, test } from './fixtures.ts';

test.describe('content security policy', () => {
  test('the built app runs under its CSP: no inline or eval’d script, and a full session violates nothing', async ({
    page,
    watch,
  }) => {
    await watch.recordCspViolations();
    await openConnected(page);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain('worker-src blob:');
    expect(policy).toMatch(/connect-src http:\/\/localhost:\d+(;|$)/);
    // Exercise what needs the policy's exceptions: the session heartbeat Worker (blob:), live video,
    // image frames (blob:), lazily loaded cards and plots.
    await expect(page.locator('[data-session="active"]')).toBeVisible({ timeout: 10_000 });
    await reveal(page.locator('[data-card="cam"]'));
    await reveal(page.locator('[data-card="env-sensor"]'));
    await reveal(page.locator('[data-card="detector"]'));
    await page.waitForTimeout(1500);
    expect(await watch.cspViolations()).toEqual([]);

    // An injected inline script is refused (Playwright's own evaluate is exempt, so probe from a page script).
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.append(script);
      return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => watch.cspViolations()).toEqual([expect.stringContaining('script-src')]);
  });
});

test.describe('vision service', () => {
  test('detections are drawn over the camera frame they came from', async ({ page, sim }) => {
    await openConnected(page);
    const card = page.locator('[data-card="detector"]');
    await reveal(card);
    await expect(card.locator('[data-overlay] rect').first()).toBeAttached({ timeout: 5000 });
    await expect(card.locator('[data-detection]').first()).toContainText('%');
    const calls = (await sim.calls()).filter((c) => c.method.endsWith('VisionService/CaptureAllFromCamera'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0]?.summary).toContain('"cameraName":"cam"');
  });
});
