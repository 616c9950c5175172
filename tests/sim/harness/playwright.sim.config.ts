/**
 * Runs only the transport specs (tests/e2e/sim), without the app's webServer:
 *   npx playwright test -c tests/sim/harness/playwright.sim.config.ts
 * Each spec starts its own sim.
 */
import { defineConfig } from '@playwright/test';
import base from '../../../playwright.config.ts';

export default defineConfig({
  ...base,
  testDir: '../../e2e/sim',
  webServer: undefined,
});
