/**
 * The fleet app in Chromium with the real SDK against the simulated cloud's default fleet (the e2e
 * stack): the list, opening a machine in the console and leaving it, the hash route, machines that
 * cannot be opened, other users, sign-in problems, a failing or slow cloud, the token's secrecy and
 * accessibility. Every change made to the shared cloud is undone in the test that made it.
 */
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import {
  CloudControl,
  cliUserTokenCookie,
  DEFAULT_USER_TOKEN,
  FLEET_MACHINES,
  FLEET_USERS,
  LOCATION_WAREHOUSE,
  platformUserTokenCookie,
} from './cloud-fixture.ts';
import { expect, setTabHidden, test } from './fixtures.ts';
import { E2E_APP_URL } from './ports.ts';

const { rover, armCell, sensorPod, forklift, sensorPod2 } = FLEET_MACHINES;
const cloud = new CloudControl();
const APP = '/viam.app.v1.AppService/';

async function setToken(context: BrowserContext, value: string): Promise<void> {
  await context.addCookies([{ name: 'userToken', value, url: E2E_APP_URL }]);
}

/** The shadow-piercing locator of one machine's row. */
const row = (page: Page, machineId: string): Locator => page.locator(`li[data-machine-id="${machineId}"]`);
const rows = (page: Page): Locator => page.locator('li[data-machine-id]');

async function openFleet(page: Page, count = 6): Promise<void> {
  await page.goto('/fleet/');
  await expect(rows(page)).toHaveCount(count, { timeout: 20_000 });
}

async function appCalls(since: number): Promise<string[]> {
  return (await cloud.calls(since))
    .filter((c) => c.method.startsWith(APP))
    .map((c) => c.method.slice(APP.length));
}

async function livePeers(machineId: string): Promise<number> {
  const listing = await cloud.fleet();
  return listing.machines.find((m) => m.machineId === machineId)?.livePeers ?? -1;
}

async function expectConnected(page: Page, name: string): Promise<void> {
  await expect(page.locator('[data-machine-name]')).toHaveText(name, { timeout: 20_000 });
  await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
}

test.describe('the fleet list', () => {
  test('groups by organization and location, counts states, and asks the cloud once per refresh', async ({
    page,
    watch,
  }) => {
    const since = Date.now();
    await openFleet(page);
    await expect(page.locator('[data-count="total"]')).toHaveText('6 machines');
    await expect(page.locator('[data-count="online"]')).toHaveText('3 online');
    await expect(page.locator('[data-count="offline"]')).toHaveText('2 offline');
    await expect(page.locator('[data-count="awaiting-setup"]')).toHaveText('1 awaiting setup');

    const orgs = page.locator('section.org > h2');
    await expect(orgs).toHaveText(['Acme Robotics', 'Beta Farms']);
    await expect(page.locator('section.location > h3')).toHaveText([
      /Lab North · 2 machines/,
      /Warehouse East · 2 machines/,
      /Greenhouse · 2 machines/,
    ]);

    const r = row(page, rover.machineId);
    await expect(r).toHaveAttribute('data-state', 'online');
    await expect(r.locator('[data-state-text]')).toHaveText('Online');
    await expect(r.locator('[data-main-part]')).toHaveText('sim-rover-main');
    await expect(r.locator('[data-platform]')).toHaveText('linux/arm64');
    await expect(r.locator('[data-version]')).not.toHaveText('unknown');
    await expect(r.locator('[data-fragments]')).toHaveText('rover-base');
    await expect(row(page, armCell.machineId).locator('[data-version]')).toHaveText('v0.88.1');
    await expect(row(page, forklift.machineId).locator('[data-state-text]')).toHaveText(
      'Offline · last online 3 h ago',
    );
    await expect(row(page, sensorPod2.machineId).locator('[data-state-text]')).toHaveText('Awaiting setup');
    await expect(page.locator('[data-updated]')).toContainText('Updated');

    // One list call for the whole fleet; organization names once; nothing per machine.
    const calls = await appCalls(since);
    expect(calls.filter((m) => m === 'ListMachineSummaries')).toHaveLength(1);
    expect(calls.filter((m) => m === 'ListOrganizations')).toHaveLength(1);
    expect(calls.filter((m) => /^(ListRobots|GetRobot|GetRobotParts|GetRobotPart)$/.test(m))).toEqual([]);
    expect(watch.errors).toEqual([]);
  });

  test('the organizations are asked for only once the list is painted', async ({ page }) => {
    // Each animation frame: does it have machine rows in it? (Its callbacks run before it is painted.)
    await page.addInitScript(() => {
      const seen = { rowsFrame: undefined as number | undefined };
      (window as unknown as { __rowsFrame: typeof seen }).__rowsFrame = seen;
      const frame = (at: number) => {
        const list = document.querySelector('fleet-app')?.shadowRoot?.querySelector('fleet-list')?.shadowRoot;
        if (list?.querySelector('li.machine')) seen.rowsFrame = at;
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await openFleet(page);
    await expect(page.locator('section.org > h2')).toHaveText(['Acme Robotics', 'Beta Farms']);
    const { rowsFrame, list, orgs } = await page.evaluate(() => {
      const call = (method: string) =>
        performance
          .getEntriesByType('resource')
          .find((e) => e.name.endsWith(`/viam.app.v1.AppService/${method}`)) as PerformanceResourceTiming;
      return {
        rowsFrame: (window as unknown as { __rowsFrame: { rowsFrame?: number } }).__rowsFrame.rowsFrame,
        list: call('ListMachineSummaries').responseEnd,
        orgs: call('ListOrganizations').startTime,
      };
    });
    expect(rowsFrame).toBeGreaterThan(list);
    // The lookup's calls (and the cloud's work on them) came after the frame that painted the rows.
    expect(orgs).toBeGreaterThanOrEqual(rowsFrame ?? Number.POSITIVE_INFINITY);
  });

  test('slow organization lookups do not hold the list: machines first, by location, headings after', async ({
    page,
  }) => {
    await cloud.addFault({ method: 'ListLocations', latencyMs: 8000 });
    try {
      await openFleet(page);
      // The list came while the lookup was still out: no organization heading yet, none guessed.
      await expect(page.locator('section.location > h3')).toHaveCount(3);
      await expect(page.locator('section.org > h2')).toHaveCount(0);
      await expect(page.getByText('Organization unknown')).toHaveCount(0);
      // A refresh asked meanwhile is not swallowed by the lookup still out.
      const before = await page.locator('[data-updated]').getAttribute('data-updated');
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(page.locator('[data-updated]')).not.toHaveAttribute('data-updated', before ?? '');
      await expect(page.locator('section.org > h2')).toHaveCount(0);
      await expect(page.getByText('Organization unknown')).toHaveCount(0);
      // Then the organizations' headings, over the same rows.
      await expect(page.locator('section.org > h2')).toHaveText(['Acme Robotics', 'Beta Farms'], {
        timeout: 20_000,
      });
      await expect(rows(page)).toHaveCount(6);
    } finally {
      await cloud.clearFaults();
    }
  });

  test('search by name and filters by location, state and fragment, combined and cleared', async ({
    page,
  }) => {
    await openFleet(page);
    const search = page.getByRole('searchbox', { name: 'Search by name' });
    await search.fill('ARM');
    await expect(rows(page)).toHaveCount(2);
    await expect(page.locator('[data-showing]')).toHaveText('Showing 2 of 6');
    await page.getByRole('combobox', { name: 'State' }).selectOption('online');
    await expect(rows(page)).toHaveCount(1);
    await expect(row(page, armCell.machineId)).toBeVisible();

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(rows(page)).toHaveCount(6);
    await expect(search).toHaveValue('');

    await page.getByRole('combobox', { name: 'Location' }).selectOption(LOCATION_WAREHOUSE);
    await expect(rows(page)).toHaveCount(2);
    await expect(page.locator('section.org > h2')).toHaveText(['Acme Robotics']);
    await page.getByRole('combobox', { name: 'Location' }).selectOption('');
    await page.getByRole('combobox', { name: 'Fragment' }).selectOption({ label: 'sensor-pod' });
    await expect(rows(page)).toHaveCount(2);
    await page.getByRole('combobox', { name: 'State' }).selectOption('awaiting-setup');
    await expect(rows(page)).toHaveCount(1);
    await expect(row(page, sensorPod2.machineId)).toBeVisible();
    await search.fill('no such machine');
    await expect(page.locator('[data-empty="filter"]')).toBeVisible();
  });

  test('a change shows on the next refresh, keeping the filter; nothing is asked while the tab is hidden', async ({
    page,
  }) => {
    const arm = cloud.machine(armCell.machineId);
    try {
      await openFleet(page);
      await page.getByRole('searchbox', { name: 'Search by name' }).fill('arm-cell');
      await expect(rows(page)).toHaveCount(2);
      await arm.setState('offline');
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(row(page, armCell.machineId)).toHaveAttribute('data-state', 'offline');
      await expect(page.getByRole('searchbox', { name: 'Search by name' })).toHaveValue('arm-cell');
      await expect(rows(page)).toHaveCount(2);

      await setTabHidden(page, true);
      const hiddenSince = Date.now();
      await page.waitForTimeout(11_000); // longer than the 10 s refresh
      expect(await appCalls(hiddenSince)).toEqual([]);
      await arm.setState('online');
      const shownAt = Date.now();
      await setTabHidden(page, false);
      // Shown again: refreshed at once, not 10 s later.
      await expect(row(page, armCell.machineId)).toHaveAttribute('data-state', 'online', { timeout: 3000 });
      expect(Date.now() - shownAt).toBeLessThan(3000);
    } finally {
      await arm.setState('online');
    }
  });

  test('refreshes every 10 s while visible, one request at a time', async ({ page }) => {
    await openFleet(page);
    const since = Date.now();
    await page.waitForTimeout(21_500);
    const lists = (await cloud.calls(since)).filter((c) => c.method === `${APP}ListMachineSummaries`);
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists.length).toBeLessThanOrEqual(3);
    // Never overlapping: each started after the one before had answered.
    for (let i = 1; i < lists.length; i++) {
      const [before, after] = [lists[i - 1], lists[i]];
      if (before && after) expect(after.t - after.durationMs).toBeGreaterThanOrEqual(before.t - 1);
    }
  });
});

test.describe('opening a machine', () => {
  test('the rover opens in the full console; back to the fleet closes its connection', async ({
    page,
    watch,
  }) => {
    await openFleet(page);
    await row(page, rover.machineId).getByRole('link', { name: 'sim-rover' }).click();
    await expect(page).toHaveURL(new RegExp(`/fleet/#/machine/${rover.machineId}$`));
    await expectConnected(page, 'sim-rover');
    await expect(page.locator('[data-hostname]')).toHaveText(rover.hostname);
    await expect(page.locator('[data-machine-state="running"]')).toBeVisible({ timeout: 15_000 });
    await expect(page.locator('[data-card="base"]')).toBeVisible();
    expect(await page.locator('[data-card]').count()).toBeGreaterThanOrEqual(15);
    await expect(page.getByRole('button', { name: /STOP/ })).toBeVisible();
    await expect.poll(() => livePeers(rover.machineId), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.getByRole('link', { name: '← Back to fleet' }).first().click();
    await expect(rows(page)).toHaveCount(6);
    await expect(page.locator('machine-console')).toHaveCount(0);
    // The machine's link has the focus again, where the operator left the list.
    await expect(row(page, rover.machineId).getByRole('link')).toBeFocused();
    // The peer is gone, and nothing reaches the machine any more (heartbeats included: > 10 s).
    await expect.poll(() => livePeers(rover.machineId), { timeout: 10_000 }).toBe(0);
    const machine = cloud.machine(rover.machineId);
    await machine.resetCalls();
    await page.waitForTimeout(12_000);
    // (The machine's own events, such as the session it let expire, are not calls.)
    expect((await machine.calls()).map((c) => c.method).filter((m) => m.startsWith('/'))).toEqual([]);
    expect(watch.errors).toEqual([]);
    await watch.expectNoSecret(DEFAULT_USER_TOKEN);
  });

  test('the hash names the machine: a link or a reload opens it again', async ({ page }) => {
    await page.goto(`/fleet/#/machine/${sensorPod.machineId}`);
    await expectConnected(page, 'sensor-pod-1');
    await page.reload();
    await expectConnected(page, 'sensor-pod-1');
    await expect(page.locator('[data-hostname]')).toHaveText(sensorPod.hostname);
  });

  test('a list that comes while a machine is open is whole when the operator goes back to it', async ({
    page,
  }) => {
    // The list's answer comes after the machine has opened: the list is drawn hidden, behind it.
    await cloud.addFault({ method: 'ListMachineSummaries', latencyMs: 2500 });
    try {
      await page.goto(`/fleet/#/machine/${sensorPod.machineId}`);
      await expectConnected(page, 'sensor-pod-1');
      await expect(page.locator('fleet-list')).toHaveAttribute('hidden', '');
      await expect(page.locator('fleet-list li[data-machine-id]').first()).toBeAttached({ timeout: 10_000 });
    } finally {
      await cloud.clearFaults();
    }
    await page.locator('[data-action="back"]').click();
    await expect(page.locator('fleet-list[data-complete]')).toHaveCount(1, { timeout: 10_000 });
    await expect(rows(page)).toHaveCount(6);
  });

  test('an offline or awaiting-setup machine cannot be opened and says why', async ({ page }) => {
    const since = Date.now();
    await openFleet(page);
    await expect(row(page, forklift.machineId).getByRole('link')).toHaveCount(0);
    await row(page, forklift.machineId).getByRole('button').click();
    await expect(page.locator('[data-notice]')).toContainText('forklift-7 is offline (last online 3 h ago)');

    await page.goto(`/fleet/#/machine/${sensorPod2.machineId}`);
    await expect(page.locator('[data-notice]')).toContainText('sensor-pod-2 is awaiting setup');
    await expect(page).toHaveURL(/\/fleet\/#\/$/);
    await expect(page.locator('machine-console')).toHaveCount(0);
    // Neither was looked up nor dialled.
    const calls = await cloud.calls(since);
    expect(calls.filter((c) => c.method === `${APP}GetRobotParts`)).toEqual([]);
    expect(calls.filter((c) => c.method.includes('Signaling'))).toEqual([]);
  });

  test('a machine that goes away while open says so; an unknown machine in the hash too', async ({
    page,
  }) => {
    const arm = cloud.machine(armCell.machineId);
    try {
      await page.goto(`/fleet/#/machine/${armCell.machineId}`);
      await expectConnected(page, 'arm-cell-1');
      await arm.setRemoved(true);
      await expect(page.locator('[data-banner="vanished"]')).toContainText(
        'arm-cell-1 is no longer in your fleet list',
        { timeout: 15_000 },
      );
      await arm.setRemoved(false);
      await expect(page.locator('[data-banner="vanished"]')).toHaveCount(0, { timeout: 15_000 });
    } finally {
      await arm.setRemoved(false);
    }
    await page.goto('/fleet/#/machine/no-such-machine');
    await expect(page.locator('[data-notice]')).toContainText(
      'No machine “no-such-machine” is in your fleet list',
    );
  });

  test('PermissionDenied on one machine is said on that machine only', async ({ page }) => {
    const arm = cloud.machine(armCell.machineId);
    try {
      await arm.request('POST', 'faults', {
        method: '/proto.rpc.webrtc.v1.SignalingService/OptionalWebRTCConfig',
        errorCode: 7,
        errorMessage: 'user may not reach this machine',
      });
      await openFleet(page);
      await row(page, armCell.machineId).getByRole('link').click();
      await expect(page.locator('[data-problem="connection-forbidden"]')).toBeVisible({ timeout: 20_000 });
      await expect(page.locator('[data-problem="connection-forbidden"]')).toContainText('arm-cell-1');
      // Not retried: it waits for the user.
      await expect(page.getByText('Trying again automatically')).toHaveCount(0);
      await page.getByRole('link', { name: '← Back to fleet' }).click();
      await expect(rows(page)).toHaveCount(6);
      await row(page, rover.machineId).getByRole('link').click();
      await expectConnected(page, 'sim-rover');
    } finally {
      await arm.request('DELETE', 'faults');
    }
  });
});

test.describe('who is signed in', () => {
  test('each user sees their own machines', async ({ page, context }) => {
    await setToken(context, cliUserTokenCookie(FLEET_USERS.warehouse.token));
    await openFleet(page, 2);
    await expect(page.locator('section.location > h3')).toHaveText([/Warehouse East/]);
    await context.clearCookies();
    await setToken(context, platformUserTokenCookie(FLEET_USERS.farms.token));
    await openFleet(page, 2);
    await expect(page.locator('section.org > h2')).toHaveText(['Beta Farms']);
    await context.clearCookies();
    await setToken(context, cliUserTokenCookie(FLEET_USERS.nobody.token));
    await page.goto('/fleet/');
    await expect(page.locator('[data-empty="fleet"]')).toBeVisible({ timeout: 20_000 });
  });

  test('the token is read again for every refresh and every dial: a refreshed cookie is used at once', async ({
    page,
    context,
  }) => {
    await openFleet(page);
    // The platform rewrites the cookie (here: another user's token): the next refresh uses it.
    await setToken(context, platformUserTokenCookie(FLEET_USERS.warehouse.token));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(rows(page)).toHaveCount(2);
    await row(page, rover.machineId).getByRole('link').click();
    await expectConnected(page, 'sim-rover');
  });

  test('a sign-in revoked while a machine is open: its next dial says "Sign in again" and does not retry', async ({
    page,
    context,
  }) => {
    const warehouse = FLEET_USERS.warehouse.token;
    await setToken(context, cliUserTokenCookie(warehouse));
    try {
      await page.goto(`/fleet/#/machine/${rover.machineId}`);
      await expectConnected(page, 'sim-rover');
      await cloud.revoke({ token: warehouse });
      // The machine drops the connection; the console dials again with the (now refused) token.
      await cloud.machine(rover.machineId).request('POST', 'drop-peers');
      const screen = page.locator('[data-problem="signed-out"]');
      await expect(screen).toContainText('Sign in again', { timeout: 20_000 });
      await expect(page.getByText('Trying again automatically')).toHaveCount(0);
      const since = Date.now();
      await page.waitForTimeout(5000);
      const dials = (await cloud.calls(since)).filter((c) => c.method.includes('SignalingService'));
      expect(dials).toEqual([]);
      // Back is still there.
      await expect(page.getByRole('link', { name: '← Back to fleet' })).toBeVisible();
    } finally {
      await cloud.restore({ token: warehouse });
    }
  });

  test('an unknown or expired token, or one revoked while the list is open, asks to sign in again', async ({
    page,
    context,
    watch,
  }) => {
    const unknown = 'sim-user-token-nobody-knows-0000';
    await setToken(context, cliUserTokenCookie(unknown));
    await page.goto('/fleet/');
    await expect(page.locator('[data-problem="signed-out"]')).toContainText('Sign in again', {
      timeout: 20_000,
    });
    await watch.expectNoSecret(unknown);

    await context.clearCookies();
    await setToken(context, cliUserTokenCookie(FLEET_USERS.expired.token));
    await page.goto('/fleet/');
    await expect(page.locator('[data-problem="signed-out"]')).toBeVisible({ timeout: 20_000 });

    await context.clearCookies();
    const warehouse = FLEET_USERS.warehouse.token;
    await setToken(context, cliUserTokenCookie(warehouse));
    try {
      await openFleet(page, 2);
      await cloud.revoke({ token: warehouse });
      const since = Date.now();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(page.locator('[data-problem="signed-out"]')).toBeVisible({ timeout: 15_000 });
      // No retry loop: once told, the page stops asking.
      await page.waitForTimeout(11_000);
      expect((await appCalls(since)).filter((m) => m === 'ListMachineSummaries')).toHaveLength(1);
      await cloud.restore({ token: warehouse });
      await page.getByRole('button', { name: 'Try again' }).click();
      await expect(rows(page)).toHaveCount(2, { timeout: 15_000 });
      await watch.expectNoSecret(warehouse);
    } finally {
      await cloud.restore({ token: warehouse });
    }
  });

  test('missing, unreadable, empty and expired cookies each get their own screen', async ({
    page,
    context,
  }) => {
    // /fleet.html is the page without the dev proxy's cookie: as if opened outside Viam.
    await page.goto('/fleet.html');
    await expect(page.locator('[data-problem="token-no-cookie"]')).toContainText('You are not signed in');

    await setToken(context, 'not-json%7B%22access_token');
    await page.goto('/fleet/');
    await expect(page.locator('[data-problem="token-unreadable"]')).toBeVisible();

    await context.clearCookies();
    await setToken(context, encodeURIComponent(JSON.stringify({ access_token: '', token_type: 'Bearer' })));
    await page.goto('/fleet/');
    await expect(page.locator('[data-problem="token-no-token"]')).toBeVisible();

    await context.clearCookies();
    await setToken(context, platformUserTokenCookie(DEFAULT_USER_TOKEN, new Date(Date.now() - 60_000)));
    const since = Date.now();
    await page.goto('/fleet/');
    await expect(page.locator('[data-problem="token-expired"]')).toContainText('Your sign-in has expired');
    // An expired token is not even sent.
    expect(await appCalls(since)).toEqual([]);
  });
});

test.describe('when the cloud fails', () => {
  test('a failing, then slow ListMachineSummaries keeps the last list with its age and the error', async ({
    page,
    watch,
  }) => {
    try {
      await openFleet(page);
      await cloud.addFault({ method: 'ListMachineSummaries', errorCode: 14, errorMessage: 'cloud is down' });
      await page.waitForTimeout(1500);
      await page.getByRole('button', { name: 'Refresh' }).click();
      const error = page.locator('[data-refresh-error]');
      await expect(error).toContainText('could not be refreshed');
      await expect(error).toContainText('cloud is down');
      await expect(error).toContainText('It shows Viam’s last answer, from');
      await expect(rows(page)).toHaveCount(6);
      await expect(page.locator('[data-updated]')).not.toHaveText('Updated just now');

      await cloud.clearFaults();
      await cloud.addFault({ method: 'ListMachineSummaries', latencyMs: 8000 });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(page.locator('[data-slow]')).toContainText('Waiting for Viam’s cloud', { timeout: 8000 });
      await expect(rows(page)).toHaveCount(6);
      // The slow answer arrives: the error and the wait are gone.
      await expect(error).toHaveCount(0, { timeout: 15_000 });
      await expect(page.locator('[data-slow]')).toHaveCount(0);
      await watch.expectNoSecret(DEFAULT_USER_TOKEN);
    } finally {
      await cloud.clearFaults();
    }
  });
});

test.describe('secrets and accessibility', () => {
  test('the token is in no DOM, console, storage or URL, through the list, a machine and back', async ({
    page,
    watch,
  }) => {
    await openFleet(page);
    await row(page, rover.machineId).getByRole('link').click();
    await expectConnected(page, 'sim-rover');
    await page.locator('[data-card="beeper"]').getByRole('button', { name: 'Send' }).click();
    await page.getByRole('link', { name: '← Back to fleet' }).first().click();
    await expect(rows(page)).toHaveCount(6);
    await watch.expectNoSecret(DEFAULT_USER_TOKEN);
    expect(watch.errors).toEqual([]);
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`no serious or critical accessibility violations on the list (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openFleet(page);
      await row(page, forklift.machineId).getByRole('button').click();
      await expect(page.locator('[data-notice]')).toBeVisible();
      await expectNoSeriousViolations(page);
    });
  }

  test('no serious or critical accessibility violations on a phone, keyboard only', async ({
    page,
    watch,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openFleet(page);
    await expectNoSeriousViolations(page);
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Keyboard: Tab passes the search and the filters and reaches a machine's link; Enter opens it.
    const focused = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        if (!el) return '';
        return `${el.tagName.toLowerCase()}:${el.getAttribute('data-open') ?? el.getAttribute('data-filter') ?? ''}`;
      });
    const reached: string[] = [];
    for (let i = 0; i < 30 && !reached.at(-1)?.startsWith('a:'); i++) {
      await page.keyboard.press('Tab');
      reached.push(await focused());
    }
    expect(reached).toContain('input:query');
    expect(reached).toContain('select:location');
    expect(reached.at(-1)).toMatch(/^a:.+/);
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    expect(watch.errors).toEqual([]);
  });
});

test('the list asked for before its code loads: that code failing to load is said in plain words', async ({
  page,
  watch,
}) => {
  // The entry asks for the list, then imports the interface (src/apps/fleet/mount.ts): that chunk
  // does not come.
  await page.route('**/assets/mount-*.js', (route) => route.abort());
  const since = Date.now();
  await page.goto('/fleet/');
  await expect(page.getByRole('alert')).toContainText('Part of the app failed to load');
  // The request had left already: the entry does not wait for the interface to ask.
  await expect.poll(() => appCalls(since), { timeout: 10_000 }).toContain('ListMachineSummaries');
  await watch.expectNoSecret(DEFAULT_USER_TOKEN);
});

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
