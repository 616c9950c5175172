/**
 * The floor page kept open beside a measured console page, connected to the same machine and idle:
 * its main-thread time and heap over the same window are the console's peers.
 */
import type { Browser, BrowserContext, CDPSession } from '@playwright/test';

export interface FloorPeer {
  /** CDP TaskDuration, in seconds. */
  taskDuration(): Promise<number>;
  /** JS heap in use after a forced GC, in MB. */
  heapMB(): Promise<number>;
  close(): Promise<void>;
}

export async function openFloorPeer(browser: Browser, url: string): Promise<FloorPeer> {
  const context: BrowserContext = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('body[data-connection="connected"]').waitFor({ timeout: 20_000 });
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.enable');
  return {
    taskDuration: async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    },
    heapMB: async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20;
    },
    close: () => context.close(),
  };
}
