import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { E2E_APP_URL } from './tests/e2e/ports.ts';

/** Debian's Chromium; Playwright's own browser download is never used here. */
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // One retry on CI: a 2-core machine running Chromium and the simulated machine can stall for a
  // moment; a real regression fails twice. Flaky passes show in the report.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  webServer: {
    command: 'npx tsx tests/dev/e2e-server.ts',
    url: `${E2E_APP_URL}/index.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
  use: {
    baseURL: E2E_APP_URL,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      ...(systemChromium ? { executablePath: systemChromium } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
