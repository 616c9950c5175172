/**
 * Secrets: after a whole working session (connect, drive, DoCommand, injected errors, a reconnect) the
 * API key is nowhere the page can show or keep: DOM (shadow roots included), console, uncaught
 * errors, localStorage, sessionStorage, IndexedDB, URL, and the command log (as copied). Plus the
 * production dependencies' audit.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, openConnected, reveal, test } from './fixtures.ts';

const run = promisify(execFile);

test('after a full session the API key is nowhere in the page, its storage, its URL or the command log', async ({
  page,
  sim,
  watch,
}) => {
  test.setTimeout(60_000);
  // The browser's own clipboard, as the Copy button fills it.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await sim.request('DELETE', 'faults');
  await openConnected(page);

  // The key, as the platform handed it over (the cookie is the one place it may live).
  const cookies = await page.context().cookies();
  const parsed = cookies
    .map((c) => {
      try {
        return JSON.parse(decodeURIComponent(c.value)) as { apiKey?: { key?: string } };
      } catch {
        return undefined;
      }
    })
    .find((v) => typeof v?.apiKey?.key === 'string');
  const secret = parsed?.apiKey?.key ?? '';
  expect(secret.length).toBeGreaterThanOrEqual(8);

  try {
    // Drive: arm, hold forward, release.
    const base = page.locator('[data-card="base"]');
    await base.scrollIntoViewIfNeeded();
    await base.getByRole('button', { name: 'Arm keyboard' }).click();
    await page.keyboard.down('w');
    await page.waitForTimeout(400);
    await page.keyboard.up('w');

    // DoCommand, remembered in history (localStorage).
    const env = page.locator('[data-card="env-sensor"]');
    await reveal(env);
    await env.getByText('DoCommand', { exact: true }).click();
    await env.getByRole('textbox', { name: /DoCommand/ }).fill('{"command": "echo", "n": 7}');
    await env.getByRole('button', { name: 'Send' }).click();
    await expect(env.locator('[data-result="ok"]')).toContainText('"n": 7');

    // Errors on a poll and on a command.
    await sim.request('POST', 'faults', {
      method: '/viam.component.sensor.v1.SensorService/GetReadings',
      errorCode: 16,
      errorMessage: 'unauthenticated: token expired',
    });
    await expect(env.locator('[data-poll-error]')).toBeVisible({ timeout: 5000 });
    await sim.request('POST', 'faults', {
      method: 'DoCommand',
      errorCode: 7,
      errorMessage: 'permission denied',
    });
    await env.getByRole('button', { name: 'Send' }).click();
    await expect(env.locator('[data-result="error"], [data-result]').last()).toBeVisible();
    await sim.request('DELETE', 'faults');

    // A reconnect.
    await sim.request('POST', 'offline', { ms: 1500 });
    await expect(page.locator('[data-connection="connected"]')).toHaveCount(0, { timeout: 5000 });
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });

    // The command log, as copied.
    const copy = page.locator('[data-action="copy-log"]');
    await copy.scrollIntoViewIfNeeded();
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await copy.click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).not.toBe('');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('SetPower');
    expect(copied).not.toContain(secret);
    expect(await page.locator('command-log-panel').innerText()).not.toContain(secret);

    // Everywhere else.
    await watch.expectNoSecret(secret);
    const indexedDb = await page.evaluate(async () => {
      const dump: string[] = [];
      for (const info of await indexedDB.databases()) {
        if (!info.name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(info.name ?? '');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error ?? new Error('open failed'));
        });
        for (const store of db.objectStoreNames) {
          const all = await new Promise<unknown[]>((resolve) => {
            const req = db.transaction(store).objectStore(store).getAll();
            req.onsuccess = () => resolve(req.result as unknown[]);
            req.onerror = () => resolve([]);
          });
          dump.push(`${info.name}/${store}: ${JSON.stringify(all)}`);
        }
        db.close();
      }
      return dump.join('\n');
    });
    expect(indexedDb).not.toContain(secret);
    const storage = await watch.storage();
    expect(storage).not.toContain(secret);
    console.log(
      `secret checked against DOM, ${watch.console.length} console lines, ${watch.errors.length} page errors, ` +
        `storage (${storage.length} chars), IndexedDB (${indexedDb.length} chars), URL, copied log (${copied.length} chars)`,
    );
  } finally {
    await page.keyboard.up('w').catch(() => undefined);
    await sim.request('DELETE', 'faults');
    await sim.request('POST', 'online').catch(() => undefined);
    await sim.request('POST', 'stop-all');
  }
});

test('npm audit --omit=dev: no high or critical advisory in what ships', async () => {
  test.setTimeout(90_000);
  let stdout: string;
  try {
    ({ stdout } = await run('npm', ['audit', '--omit=dev', '--json'], { timeout: 60_000 }));
  } catch (err) {
    // npm exits non-zero both for findings and for an unreachable audit endpoint.
    stdout = (err as { stdout?: string }).stdout ?? '';
  }
  let report: { metadata?: { vulnerabilities?: Record<string, number> }; message?: string; error?: unknown };
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    report = {};
  }
  const counts = report.metadata?.vulnerabilities;
  test.skip(
    counts === undefined,
    `the registry's audit endpoint did not answer (${report.message ?? 'no report'}); run \`npm audit --omit=dev\` where it does`,
  );
  expect({ high: counts?.['high'] ?? 0, critical: counts?.['critical'] ?? 0 }).toEqual({
    high: 0,
    critical: 0,
  });
});
