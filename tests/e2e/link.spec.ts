/**
 * The console on an impaired link. The e2e stack's rover answers every WebRTC connection through
 * the sim's UDP relay (its only ICE candidate), which applies the link conditions set here through
 * the control API: loss, delay and jitter, a bandwidth cap, blackouts, a flapping link. Stop delays
 * are read off the machine's call log. The same measurements make the bench's link rows
 * (tests/bench/phases/link.ts).
 */
import type { Page } from '@playwright/test';
import {
  armedBase,
  around,
  baseMoving,
  drivePresses,
  headerSummary,
  lostWhileConnected,
  medianMax,
  outageWhileDriving,
  type Lab,
} from '../bench/phases/link.ts';
import { expect, openConnected, reveal, test, type SimControl } from './fixtures.ts';

interface LinkStatus {
  settings: { up: Record<string, number>; down: Record<string, number> };
  down: boolean;
  counters: Record<
    'up' | 'down',
    { received: number; forwarded: number; droppedLoss: number; droppedBlackout: number }
  >;
}

/** MotionGuard's LINK_STALE_MS (src/controllers/motion-guard.ts; the card says it in whole seconds). */
const LINK_STALE_MS = 1000;

const lab = (sim: SimControl): Lab => ({
  request: (method, path, body) => sim.request(method, path, body),
  calls: () => sim.calls(),
});

const errorsOf = (page: Page): string[] => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
  return errors;
};

test.describe('an impaired link', () => {
  test.describe.configure({ retries: 0 });

  test.beforeEach(async ({ sim }) => {
    await sim.request('DELETE', 'link');
    await sim.request('DELETE', 'faults');
  });

  test.afterEach(async ({ page, sim }) => {
    await page.keyboard.up('w').catch(() => undefined);
    await sim.request('DELETE', 'link');
    await sim.request('POST', 'stop-all');
  });

  test('every datagram of the console’s connection takes the relay', async ({ page, sim }) => {
    const before = await sim.request<LinkStatus>('GET', 'link');
    await openConnected(page);
    const after = await sim.request<LinkStatus>('GET', 'link');
    const peers = await sim.request<{ peers: { relay?: string; connectionState: string }[] }>('GET', 'peers');
    const live = peers.peers.filter((p) => p.connectionState === 'connected');
    expect(live.length).toBeGreaterThan(0);
    for (const p of live) expect(p.relay).toMatch(/^127\.0\.0\.1:\d+$/);
    // ICE, DTLS, SCTP (and the status the dashboard shows) all crossed it, both ways.
    expect(after.counters.up.forwarded - before.counters.up.forwarded).toBeGreaterThan(20);
    expect(after.counters.down.forwarded - before.counters.down.forwarded).toBeGreaterThan(20);
    // And nothing gets around it: with the link down, the console loses the machine.
    await sim.request('POST', 'link/blackout', { ms: 4000 });
    await expect(page.locator('[data-connection="connected"]')).toHaveCount(0, { timeout: 3500 });
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 15_000 });
  });

  test('on a perfect link the header says nothing of its quality', async ({ page }) => {
    await openConnected(page);
    await expect(page.locator('[data-connection]').first()).toHaveAttribute('data-link-quality', 'good', {
      timeout: 5000,
    });
    await expect(page.locator('[data-connection]').first()).not.toContainText('slow');
  });

  test('relay settings out of range or unknown are refused with 400, changing nothing', async ({ sim }) => {
    await sim.request('POST', 'link', { both: { delayMs: 20 } });
    const refusals: [string, unknown][] = [
      ['link', { up: { loss: 1.5 } }],
      ['link', { down: { delayMs: -1 } }],
      ['link', { both: { jitterMs: 500 } }],
      ['link', { up: { rateKbps: 'fast' } }],
      ['link', { up: { lossPct: 5 } }],
      ['link', { left: {} }],
      ['link', [1, 2]],
      ['link/blackout', { ms: -5 }],
      ['link/blackout', { ms: 1e9 }],
      ['link/blackout', {}],
      ['link/flap', { upMs: 0, downMs: 500, forMs: 1000 }],
    ];
    for (const [path, body] of refusals) {
      await expect(sim.request('POST', path, body), JSON.stringify(body)).rejects.toThrow(/: 400 /);
    }
    const status = await sim.request<LinkStatus>('GET', 'link');
    expect(status.settings.up['delayMs']).toBe(20);
    expect(status.settings.up['loss']).toBe(0);
    expect(status.down).toBe(false);
  });

  /**
   * Bounds are for a busy 2-core machine: the medians a quiet run gives are in the bench. A stop
   * held behind a retransmission shows in the max (one retransmission timeout is about 1 s).
   */
  const lossy: {
    name: string;
    link: unknown;
    video?: boolean;
    stopMedianMs: number;
    slow: 'never' | 'shown';
    maxNotConnected: number;
  }[] = [
    {
      name: '5 % loss',
      link: { both: { loss: 0.05 } },
      stopMedianMs: 300,
      slow: 'never',
      maxNotConnected: 0,
    },
    {
      name: '20 % loss',
      link: { both: { loss: 0.2 } },
      stopMedianMs: 600,
      slow: 'never',
      // At 20 % loss each way SCTP's retransmissions sometimes stall the whole association for
      // seconds (timers doubling from 1 s; 5 of 24 runs here: 1.2-12.6 s of a 19 s run). The
      // header then says "reconnecting", truthfully: what is held to account is that it says so
      // within 3 s of an input that did not get through (below), not how long the stall lasts.
      maxNotConnected: Number.POSITIVE_INFINITY,
    },
    {
      name: '150 ± 50 ms delay',
      link: { both: { delayMs: 150, jitterMs: 50 } },
      stopMedianMs: 500,
      slow: 'shown',
      maxNotConnected: 0,
    },
    {
      name: '1 Mbit/s with live video',
      link: { both: { rateKbps: 1000, queueMs: 200 } },
      video: true,
      stopMedianMs: 300,
      slow: 'never',
      maxNotConnected: 0,
    },
  ];
  for (const scenario of lossy) {
    test(`${scenario.name}: after every key release the base stops at the machine, and the header stays truthful`, async ({
      page,
      sim,
    }) => {
      test.setTimeout(120_000);
      const errors = errorsOf(page);
      // Tall enough that the camera stays on screen (and streaming) while the base card is driven.
      if (scenario.video) await page.setViewportSize({ width: 1280, height: 3000 });
      await openConnected(page);
      const frames = () =>
        page
          .locator('[data-card="cam"] video')
          .evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
      let framesBefore = 0;
      if (scenario.video) {
        await reveal(page.locator('[data-card="cam"]'));
        await expect(page.locator('[data-card="cam"] video')).toBeVisible({ timeout: 10_000 });
        framesBefore = await frames();
      }
      await sim.request('POST', 'link', scenario.link);
      await page.waitForTimeout(1500);
      const r = await drivePresses(page, lab(sim), { presses: 15 });
      // Figures of the releases that had a drive to stop (a refused press owes no Stop).
      const due = (_: number, i: number) => r.stopDue[i] === true;
      const stop = medianMax(r.stop.filter(due));
      // Presses the page took (connected, armed, no session start under way as the key went down).
      const taken = (_: number, i: number) => r.refused[i] !== true;
      const setPower = medianMax(r.setPower.filter(taken));
      const header = headerSummary(r.header);
      console.log(
        `${scenario.name}: release -> Stop median ${stop.median.toFixed(0)} ms, max ${stop.max.toFixed(0)} ms, lost ${stop.lost}; ` +
          `keydown -> SetPower median ${setPower.median.toFixed(0)}, max ${setPower.max.toFixed(0)}; ` +
          `header RTT median ${header.medianRtt} max ${header.maxRtt}, phases ${header.phases.join('/')}, ` +
          `${header.notConnected}/${r.header.length} samples not connected, ${r.refused.filter(Boolean).length} presses refused`,
      );
      // The safety properties, read off the machine. Every release of a drive made while the page was
      // connected has its Stop arrive (see below). Should the page judge the link lost and redial (two machine
      // checks in a row unanswered and nothing heard for 2 s); a key that comes up between connections cannot
      // send a Stop, and the machine's session (2 s window) is what stops the base then: so after
      // every release of a drive the base is stopped, by a Stop, a StopAll or the session, within 3 s,
      // and after the drive's own motion (a Stop that overtook it would stop nothing).
      expect(r.movingAtEnd, 'the base ended stopped at the machine').toBe(false);
      const stoppedLate = r.stopped.filter((ms, i) => r.stopDue[i] === true && !(ms < 3000));
      expect(stoppedLate, 'releases of a drive the machine did not stop within 3 s').toEqual([]);
      // Every input made while connected reached the machine, unless the link stalled right after
      // it (SCTP's retransmission timers double at 20 % loss): the page must then say so, the header
      // leaving "connected" within 3 s (the next 1 s check, unanswered for 1.2 s, shows it).
      const lostStops = r.ups.filter(
        (t, i) => due(t, i) && lostWhileConnected([r.stop[i] ?? Number.NaN], [t], r.header, 500, 3000) > 0,
      );
      expect(
        lostStops.map((t) => around(t, r.calls, r.header)),
        'a Stop arrived for every release of a drive, made while connected (around each release that lost it)',
      ).toEqual([]);
      // A press the page refuses after a redial is not lost: while motion waits for the new
      // connection's session (no motion goes out without its safety net), or before the keys are
      // armed again (the drop disarmed them). The card says which.
      expect(
        lostWhileConnected(r.setPower.filter(taken), r.downs.filter(taken), r.header, 500, 3000, true),
        'a SetPower arrived for every press made while connected and ready to drive',
      ).toBe(0);
      // Most presses the page took drove (a stall is the exception, not the rule); on a link that
      // never stalls, the page took every press.
      expect(setPower.lost, 'presses taken whose SetPower never reached the machine').toBeLessThanOrEqual(
        Math.floor(r.refused.filter((x) => !x).length / 2),
      );
      if (scenario.maxNotConnected === 0) expect(r.refused.filter(Boolean)).toEqual([]);
      expect(stop.median).toBeLessThan(scenario.stopMedianMs);
      // A Stop held back by a stall of the link arrives late, and the machine's session has stopped
      // the base by then (checked above, within 3 s): only a link that never stalls bounds the Stop.
      if (scenario.maxNotConnected === 0) expect(stop.max).toBeLessThan(2500);
      expect(r.failed).toBe(0);
      // The header: connected throughout (a lossy link is not a lost one), with the round trip shown,
      // and 'slow link' exactly where the round trip is long.
      expect(header.notConnected).toBeLessThanOrEqual(scenario.maxNotConnected);
      expect(Number.isFinite(header.medianRtt)).toBe(true);
      const slowSamples = (header.qualities['degraded'] ?? 0) + (header.qualities['poor'] ?? 0);
      if (scenario.slow === 'shown') {
        expect(header.medianRtt).toBeGreaterThanOrEqual(250);
        expect(slowSamples).toBeGreaterThan(r.header.length / 2);
        await expect(page.locator('[data-connection]').first()).toContainText('slow link');
      }
      if (scenario.video) {
        // Live video kept playing through the cap, while driving (15 fps for ~10 s).
        await expect(page.locator('[data-card="cam"] video')).toBeVisible();
        expect((await frames()) - framesBefore).toBeGreaterThan(50);
      }
      expect(errors).toEqual([]);
    });
  }

  for (const blackoutMs of [3000, 30_000]) {
    test(`a ${blackoutMs / 1000} s blackout while driving: reconnecting shown, the machine stops the base, back within 2 s, nothing replayed`, async ({
      page,
      sim,
    }) => {
      test.setTimeout(120_000);
      const errors = errorsOf(page);
      await openConnected(page);
      await expect(page.locator('[data-session="active"]')).toBeVisible({ timeout: 10_000 });
      const r = await outageWhileDriving(page, lab(sim), { blackoutMs });
      console.log(
        `${blackoutMs} ms blackout: reconnecting after ${r.toReconnecting} ms, machine stop after ${r.toMachineStop} ms, ` +
          `connected ${r.toConnectedAfter} ms after the link came back, SetPower after the outage began: ${r.motionAfter}, ` +
          `moved after: ${r.movedAfter}, new press -> SetPower ${r.newPress} ms, live peers ${r.livePeers}`,
      );
      expect(r.toReconnecting, '"reconnecting" within 3 s').toBeLessThan(3000);
      // The machine's session (2 s window, heartbeats every 0.4 s) stops the base, not the page.
      expect(r.toMachineStop).toBeLessThan(3000);
      expect(r.toConnectedAfter, 'back within 2 s of the link').toBeLessThan(2000);
      expect(r.motionAfter, 'no motion sent after the outage began (W held throughout)').toBe(0);
      expect(r.movedAfter).toBe(false);
      expect(r.newPress, 'a new press drives').toBeLessThan(1000);
      expect(r.livePeers).toBeLessThanOrEqual(2);
      expect(errors).toEqual([]);
    });
  }

  test('replies cut while driving: the page calls the link stale after LINK_STALE_MS, the base stops within 3 s, a new press drives', async ({
    page,
    sim,
  }) => {
    test.setTimeout(60_000);
    const errors = errorsOf(page);
    await openConnected(page);
    const base = await armedBase(page);
    await page.keyboard.down('w');
    await expect.poll(() => baseMoving(lab(sim)), { timeout: 5000 }).toBe(true);
    // Every datagram machine -> browser is dropped; browser -> machine still goes through.
    const t0 = Date.now();
    await sim.request('POST', 'link', { down: { loss: 1 } });
    let toMachineStop = Number.POSITIVE_INFINITY;
    let toStale = Number.POSITIVE_INFINITY;
    while (Date.now() - t0 < 4000 && !Number.isFinite(toMachineStop)) {
      if (!Number.isFinite(toStale) && (await base.getByText('did not answer').count()) > 0)
        toStale = Date.now() - t0;
      if (!(await baseMoving(lab(sim)))) toMachineStop = Date.now() - t0;
      await page.waitForTimeout(50);
    }
    const stoppedBy = (await sim.calls())
      .filter(
        (c) => /BaseService\/Stop$|StopAll$|^session-expired/.test(c.method) && c.t - c.durationMs >= t0,
      )
      .map((c) => c.method.split('/').at(-1) ?? c.method);
    await sim.request('DELETE', 'link');
    console.log(
      `replies cut: the card said stale after ${toStale} ms, machine stop after ${toMachineStop} ms by ${stoppedBy.join(', ') || 'nothing'} (LINK_STALE_MS ${LINK_STALE_MS})`,
    );
    // The page judges the link stale once the held drive's check has waited LINK_STALE_MS, and sends
    // a Stop; whether that Stop can leave depends on SCTP (with no acknowledgement coming back, its
    // congestion window closes); where it cannot, the machine's session, whose heartbeats are held
    // back with it, stops the base. Either way it is stopped within 3 s, W held. (Bounds with room for
    // a busy 2-core machine: the check goes out within 0.1 s, the stale test runs every 0.1 s.)
    await expect(base.getByText('did not answer')).toBeVisible();
    if (!Number.isFinite(toStale)) toStale = Date.now() - t0;
    expect(toStale).toBeGreaterThanOrEqual(LINK_STALE_MS - 100);
    expect(toStale).toBeLessThan(LINK_STALE_MS + 1000);
    expect(toMachineStop).toBeLessThan(3000);
    // W is still held: nothing moves again without a new press once the replies are back.
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 15_000 });
    await page.waitForTimeout(1000);
    expect(await baseMoving(lab(sim))).toBe(false);
    await page.keyboard.up('w');
    // A new press drives: on the same connection (whose session lapsed on the machine, so the page
    // starts a new one when the machine refuses the press) or on a new one (the page heard nothing for
    // over 2 s and redialled, which disarms the keyboard).
    if ((await base.locator('[data-armed]').count()) === 0) await base.locator('[data-action="arm"]').click();
    await page.keyboard.down('w');
    await expect.poll(() => baseMoving(lab(sim)), { timeout: 5000 }).toBe(true);
    await page.keyboard.up('w');
    await expect.poll(() => baseMoving(lab(sim)), { timeout: 5000 }).toBe(false);
    expect(errors).toEqual([]);
  });

  test('STOP while the header says reconnecting: StopAll still leaves on the connection the page has', async ({
    page,
    sim,
  }) => {
    const errors = errorsOf(page);
    await openConnected(page);
    // A link so slow (1 s each way) that the page's 1.2 s check goes unanswered and the header says
    // "reconnecting", while what the page sends still reaches the machine, late.
    await sim.request('POST', 'link', { both: { delayMs: 1000 } });
    await expect(page.locator('[data-connection="reconnecting"]').first()).toBeVisible({ timeout: 5000 });
    const t0 = Date.now();
    await page.keyboard.press('Escape');
    const stopAllSince = async () =>
      (await sim.calls()).some((c) => c.method.endsWith('/StopAll') && c.t - c.durationMs >= t0 - 5);
    await expect.poll(stopAllSince, { timeout: 5000 }).toBe(true);
    await sim.request('DELETE', 'link');
    await expect(page.locator('[data-connection="connected"]').first()).toBeVisible({ timeout: 15_000 });
    expect(errors).toEqual([]);
  });

  test('a link that flaps every second for a minute: nothing moves unasked, nothing breaks, back at the end', async ({
    page,
    sim,
  }) => {
    test.setTimeout(180_000);
    const errors = errorsOf(page);
    await openConnected(page);
    const r = await outageWhileDriving(page, lab(sim), { flap: { upMs: 500, downMs: 500, forMs: 60_000 } });
    console.log(
      `flap: reconnecting after ${r.toReconnecting} ms, machine stop after ${r.toMachineStop} ms, connected ${r.toConnectedAfter} ms after, ` +
        `SetPower after: ${r.motionAfter}, moved after: ${r.movedAfter}, new press ${r.newPress} ms, live peers ${r.livePeers}, ` +
        `phases ${headerSummary(r.header).phases.join('/')}`,
    );
    // A link that answers every second, however late, is a slow link, not a lost one: the page keeps
    // its connection (and the way a release's Stop reaches the machine). It is too poor to drive by:
    // when a held drive's check waits over LINK_STALE_MS the page stops it (W held or not), and when
    // the ordered channel is stuck behind retransmissions the machine's session does. How soon
    // depends on how SCTP's retransmission timers (whole seconds, doubling) fall against the 1 s
    // flap: 2.6 s and 13.5 s in runs here, 8.5 s in one CI run. The deterministic case (replies cut, the
    // page's calls still arriving) is the next test; here the drive must end while W is still held,
    // and what must hold after: nothing is replayed or moves unasked, the page is back at once, a new
    // press drives, no connection is left behind.
    expect(r.toMachineStop, 'the held drive stopped while the link flapped, W held').toBeLessThan(60_000);
    expect(r.motionAfter).toBe(0);
    expect(r.movedAfter).toBe(false);
    expect(r.toConnectedAfter, 'back within 2 s of the flapping ending').toBeLessThan(2000);
    expect(r.newPress).toBeLessThan(1000);
    // Every connection it went through was released.
    expect(r.livePeers).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
  });
});
