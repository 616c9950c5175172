import type { BrowserContext } from '@playwright/test';
import { E2E_APP_PORT, E2E_APP_URL, E2E_SIM_PORT } from './ports.ts';
import { expect, test } from './fixtures.ts';

const SIM_HOST = 'sim-rover-main.local';
const SIM_KEY_ID = 'sim-api-key-id';
const SIM_KEY = 'sim-api-key-secret-0123456789';

const cookieValue = (json: unknown) => encodeURIComponent(JSON.stringify(json));
const localShape = (overrides: Record<string, unknown> = {}) => ({
  apiKey: { id: SIM_KEY_ID, key: SIM_KEY },
  credentials: { type: 'api-key', authEntity: SIM_KEY_ID, payload: SIM_KEY },
  hostname: SIM_HOST,
  machineId: 'e2e-machine-id',
  ...overrides,
});

async function setCookie(context: BrowserContext, name: string, value: string) {
  await context.addCookies([{ name, value, url: E2E_APP_URL }]);
}

test.describe('opening the app', () => {
  test('with a good cookie it connects over WebRTC and lists the machine’s resources', async ({
    page,
    sim,
    watch,
  }) => {
    await sim.resetCalls();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));

    // Like local-app-testing: `/` sets the cookies and redirects to /machine/<hostname>/.
    await page.goto('/');
    await expect(page).toHaveURL(new RegExp(`/machine/${SIM_HOST}/$`));
    await expect(page.locator('[data-hostname]')).toHaveText(SIM_HOST, { timeout: 15_000 });
    const cards = page.locator('[data-card]');
    await expect(cards.first()).toBeVisible();
    expect(await cards.count()).toBeGreaterThanOrEqual(15);
    // The module model this app knows nothing about still gets a card.
    await expect(page.locator('[data-card="widget"][data-api="acme:component:widget"]')).toBeVisible();

    // Assets came through the stripped prefix, by relative URL.
    expect(requests.some((p) => new RegExp(`^/machine/${SIM_HOST}/assets/.+\\.js$`).test(p))).toBe(true);
    expect(requests.some((p) => p.startsWith('/assets/'))).toBe(false);

    // Every machine call the app made arrived over the data channel (the cloud's app API is not the machine).
    const calls = (await sim.calls()).filter(
      (c) => c.method.startsWith('/viam.') && !c.method.startsWith('/viam.app.'),
    );
    expect(calls.map((c) => c.method)).toContain('/viam.robot.v1.RobotService/ResourceNames');
    expect(calls.every((c) => c.transport === 'webrtc')).toBe(true);

    expect(watch.errors).toEqual([]);
    await watch.expectNoSecret(SIM_KEY);
  });

  test('composites the sticky parts, not every card (each layer is the main thread’s work in every frame)', async ({
    page,
    context,
  }) => {
    // A window shorter than the status column, which then scrolls on its own beside the cards.
    await page.setViewportSize({ width: 1280, height: 700 });
    await page.goto('/');
    await expect(page.locator('[data-card]').first()).toBeVisible({ timeout: 15_000 });
    await expect(page.locator('resource-card[data-card][data-loaded]').first()).toBeVisible({
      timeout: 15_000,
    });
    await page.waitForTimeout(1000);
    const cards = await page.locator('[data-card]').count();
    const cdp = await context.newCDPSession(page);
    const layers = new Promise<number>((resolve) => {
      cdp.on('LayerTree.layerTreeDidChange', (e) => resolve(e.layers?.length ?? 0));
    });
    await cdp.send('LayerTree.enable');
    const count = await layers;
    await cdp.detach();
    // The sticky status column painted before the cards once made every card a layer of its own
    // ("overlap": 34 layers here for 20 cards, 207 on the 100-sensor machine); now a handful.
    expect(cards).toBeGreaterThanOrEqual(15);
    expect(count).toBeLessThan(cards);
  });

  test('dials before the console’s code loads, and asks the machine’s status before anything else', async ({
    page,
    sim,
  }) => {
    await sim.resetCalls();
    // When each request left the page: the dial's first signaling request against the console's chunks.
    const sent: { path: string; at: number }[] = [];
    const loaded: { path: string; at: number }[] = [];
    page.on('request', (r) => sent.push({ path: new URL(r.url()).pathname, at: Date.now() }));
    page.on('requestfinished', (r) => loaded.push({ path: new URL(r.url()).pathname, at: Date.now() }));
    await page.goto('/');
    await expect(page.locator('[data-machine-state="running"]')).toBeVisible({ timeout: 20_000 });

    const dialAt = sent.find((r) => /AuthService|SignalingService/.test(r.path))?.at;
    const consoleAt = loaded.find((r) => /\/assets\/machine-console-[^/]+\.js$/.test(r.path))?.at;
    expect(dialAt).toBeDefined();
    expect(consoleAt).toBeDefined();
    // The dial is started in the task that asks for the console's code (which request leaves first
    // is the browser's choice), so it never waits for that code to arrive.
    expect(dialAt ?? Infinity).toBeLessThanOrEqual(consoleAt ?? -Infinity);

    const channel = (await sim.calls()).filter((c) => c.transport === 'webrtc');
    expect(channel[0]?.method).toBe('/viam.robot.v1.RobotService/GetMachineStatus');
    // Asked once for the first status, not once by the entry and again by the dashboard.
    const statusCalls = channel.filter((c) => c.method.endsWith('/GetMachineStatus'));
    const firstSecond = statusCalls.filter((c) => c.t - (statusCalls[0]?.t ?? 0) < 500);
    expect(firstSecond).toHaveLength(1);
  });

  test('shows “connecting to <hostname>” while it dials', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('status').filter({ hasText: `Connecting to ${SIM_HOST}` })).toBeVisible();
  });

  test('the production shape under /machine/<machine id>/ connects too', async ({ page, context }) => {
    await setCookie(
      context,
      'prod-machine-id',
      cookieValue({
        ...localShape({ machineId: 'prod-machine-id' }),
        id: SIM_KEY_ID,
        key: SIM_KEY,
        timestamp: 1,
      }),
    );
    await page.goto('/machine/prod-machine-id/');
    await expect(page.locator('[data-hostname]')).toHaveText(SIM_HOST, { timeout: 15_000 });
  });

  test('nothing in the query or fragment can redirect the credentials', async ({ page, sim }) => {
    await sim.resetCalls();
    const hosts = new Set<string>();
    page.on('request', (r) => hosts.add(new URL(r.url()).host));
    await page.goto(
      `/machine/${SIM_HOST}/?signalingAddress=http://localhost:9/&host=evil.local&hostname=evil.local#signalingAddress=http://localhost:9/`,
    );
    await expect(page.locator('[data-hostname]')).toHaveText(SIM_HOST, { timeout: 15_000 });
    expect([...hosts].sort()).toEqual([`localhost:${E2E_APP_PORT}`, `localhost:${E2E_SIM_PORT}`]);
  });

  test('without a cookie it explains how to open the app', async ({ page, watch }) => {
    await page.goto('/machine/some-other-machine/');
    const screen = page.locator('[data-problem="no-cookie"]');
    await expect(screen).toBeVisible();
    await expect(screen).toContainText('some-other-machine');
    await expect(screen).toContainText('npm start');
    expect(watch.errors).toEqual([]);
    expect(watch.console.filter((m) => m.startsWith('error'))).toEqual([]);
  });

  test('with a malformed cookie it says the credentials are unreadable', async ({ page, context, watch }) => {
    await setCookie(context, SIM_HOST, 'not-json%7B%22apiKey');
    await page.goto(`/machine/${SIM_HOST}/`);
    await expect(page.locator('[data-problem="not-json"]')).toBeVisible();
    expect(watch.errors).toEqual([]);
  });

  test('with fields missing it names them, never their values', async ({ page, context, watch }) => {
    await setCookie(context, SIM_HOST, cookieValue({ apiKey: { key: SIM_KEY }, hostname: SIM_HOST }));
    await page.goto(`/machine/${SIM_HOST}/`);
    const screen = page.locator('[data-problem="bad-fields"]');
    await expect(screen).toContainText('API key id is missing');
    await expect(screen).toContainText('machine id (machineId) is missing');
    await watch.expectNoSecret(SIM_KEY);
  });

  test('a path without a machine says no machine is selected', async ({ page, watch }) => {
    await page.goto('/index.html');
    await expect(page.locator('[data-problem="no-machine-in-path"]')).toBeVisible();
    expect(watch.errors).toEqual([]);
  });

  test('a wrong key gets its own explanation and a retry', async ({ page, context, watch }) => {
    const wrong = 'wrong-secret-value-123456';
    await setCookie(
      context,
      SIM_HOST,
      cookieValue(
        localShape({
          apiKey: { id: SIM_KEY_ID, key: wrong },
          credentials: { type: 'api-key', authEntity: SIM_KEY_ID, payload: wrong },
        }),
      ),
    );
    await page.goto(`/machine/${SIM_HOST}/`);
    const screen = page.locator('[data-problem="connection-auth"]');
    await expect(screen).toBeVisible({ timeout: 20_000 });
    const retry = page.getByRole('button', { name: 'Retry' });
    await expect(retry).toBeVisible();
    await retry.click();
    await expect(screen).toBeVisible({ timeout: 20_000 });
    expect(watch.errors).toEqual([]);
    await watch.expectNoSecret(wrong);
  });

  test('an unknown machine host gets a not-found explanation', async ({ page, context }) => {
    await setCookie(
      context,
      'ghost',
      cookieValue(localShape({ hostname: 'ghost-main.local', machineId: 'ghost' })),
    );
    await page.goto('/machine/ghost/');
    await expect(
      page.locator('[data-problem="connection-not-found"], [data-problem="connection-unreachable"]'),
    ).toBeVisible({
      timeout: 30_000,
    });
  });
});
