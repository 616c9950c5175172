import { expect, openConnected, reveal, test } from './fixtures.ts';

test.describe('content security policy', () => {
  test('the built app runs under its CSP and Trusted Types: a full session violates nothing', async ({
    page,
    csp,
  }) => {
    await openConnected(page);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain('worker-src blob:');
    expect(policy).toMatch(/connect-src http:\/\/localhost:\d+ blob:(;|$)/);
    expect(policy).toContain("require-trusted-types-for 'script'");
    // Exactly Lit's policy and the app's, each once (no 'allow-duplicates', no 'default').
    expect(
      policy
        ?.match(/trusted-types ([^;]*)/)?.[1]
        ?.trim()
        .split(/\s+/)
        .sort(),
    ).toEqual(['lit-html', 'mc-worker']);
    // Exercise what needs the policy's exceptions: the SDK's heartbeat Workers (blob:, through the
    // app's policy), live video, image frames (blob:), lazily loaded cards, plots, Lit templates.
    await expect(page.locator('[data-session="active"]')).toBeVisible({ timeout: 10_000 });
    await reveal(page.locator('[data-card="cam"]'));
    await reveal(page.locator('[data-card="env-sensor"]'));
    await reveal(page.locator('[data-card="detector"]'));
    await page.waitForTimeout(1500);
    expect(csp.take()).toEqual([]);
  });

  test('script and HTML sinks refuse strings, and no other policy can be made', async ({ page, csp }) => {
    await openConnected(page);
    csp.take();
    // Playwright's evaluate is exempt from script-src but not from Trusted Types: the sinks are the DOM's.
    const outcome = await page.evaluate(async () => {
      const refused = (f: () => unknown): string => {
        try {
          f();
          return 'allowed';
        } catch (e) {
          return e instanceof Error ? e.name : 'thrown';
        }
      };
      const tt = (window as unknown as { trustedTypes: { createPolicy: (n: string, r: object) => unknown } })
        .trustedTypes;
      const blobWorker = await new Promise<string>((resolve) => {
        const url = URL.createObjectURL(new Blob(['postMessage("up")'], { type: 'text/javascript' }));
        const w = new Worker(url);
        w.onmessage = (e) => resolve(String(e.data));
        w.onerror = () => resolve('error');
        setTimeout(() => resolve('timeout'), 3000);
      });
      return {
        innerHTML: refused(() => (document.createElement('div').innerHTML = '<img src=x onerror=alert(1)>')),
        inlineScript: refused(() => {
          const script = document.createElement('script');
          script.textContent = 'window.inlineRan = true';
          document.head.append(script);
        }),
        inlineRan: (window as unknown as { inlineRan?: boolean }).inlineRan === true,
        otherPolicy: refused(() => tt.createPolicy('evil', { createHTML: (s: string) => s })),
        defaultPolicy: refused(() => tt.createPolicy('default', { createHTML: (s: string) => s })),
        litAgain: refused(() => tt.createPolicy('lit-html', { createHTML: (s: string) => s })),
        workerPolicyAgain: refused(() => tt.createPolicy('mc-worker', { createScriptURL: (s: string) => s })),
        httpWorker: refused(() => new Worker('https://example.com/evil.js')),
        dataWorker: refused(() => new Worker('data:text/javascript,postMessage(1)')),
        blobWorker,
        evalCall: refused(() => (0, eval)('1 + 1')),
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the probe: the page must refuse it
        functionCall: refused(() => Function('return 1')),
      };
    });
    expect(outcome).toEqual({
      innerHTML: 'TypeError',
      inlineScript: 'TypeError',
      inlineRan: false,
      otherPolicy: 'TypeError',
      defaultPolicy: 'TypeError',
      litAgain: 'TypeError',
      workerPolicyAgain: 'TypeError',
      httpWorker: 'TypeError',
      dataWorker: 'TypeError',
      blobWorker: 'up',
      evalCall: 'EvalError',
      functionCall: 'EvalError',
    });
    // Each refusal was reported as a violation (claimed here, so the suite's check stays clean).
    await expect
      .poll(() => csp.pending.filter((v) => v.startsWith('require-trusted-types-for')).length)
      .toBeGreaterThanOrEqual(2);
    const reported = csp.take();
    expect(reported.filter((v) => v.startsWith('trusted-types')).length).toBeGreaterThanOrEqual(4);
    // The page is still working afterwards.
    await expect(page.locator('[data-connection="connected"]')).toBeVisible();
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
