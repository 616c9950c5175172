/**
 * The simulated link: the conditions' arithmetic on a fake clock and a seeded random source, and the
 * relay carrying real datagrams over loopback, byte for byte.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LinkConditions,
  LinkSettingsError,
  PERFECT,
  parseLinkSettings,
} from '../../../tests/sim/transport/link.ts';
import { prng } from '../../../tests/sim/machine/math.ts';
import { UdpRelay } from '../../../tests/sim/transport/udp-relay.ts';

/** A seeded PRNG (the sim's own), so the statistics below are the same on every run. */
const seeded = prng;

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('link settings', () => {
  const current = { up: PERFECT, down: PERFECT };

  it('applies both, then each direction, over the current settings', () => {
    const s = parseLinkSettings(
      { both: { loss: 0.05, delayMs: 150, jitterMs: 50 }, down: { rateKbps: 1000 } },
      current,
    );
    expect(s.up).toEqual({ ...PERFECT, loss: 0.05, delayMs: 150, jitterMs: 50 });
    expect(s.down).toEqual({ ...PERFECT, loss: 0.05, delayMs: 150, jitterMs: 50, rateKbps: 1000 });
    expect(parseLinkSettings({ up: { loss: 0.2 } }, s).up.delayMs).toBe(150);
  });

  it('refuses anything out of range, unknown or mistyped, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ up: { loss: 1.5 } }, /up\.loss must be a number from 0 to 1/],
      [{ up: { loss: -0.1 } }, /up\.loss/],
      [{ down: { delayMs: 20_000 } }, /down\.delayMs must be a number from 0 to 10000/],
      [{ both: { jitterMs: 100 } }, /jitterMs must not exceed/],
      [{ up: { rateKbps: Number.NaN } }, /up\.rateKbps/],
      [{ up: { loss: '0.1' } }, /up\.loss/],
      [{ up: { queueMs: 0 } }, /up\.queueMs/],
      [{ up: { lossPercent: 5 } }, /not a link setting/],
      [{ sideways: {} }, /not a direction/],
      [{ up: [] }, /must be an object/],
      [null, /the body must be/],
      ['loss=5', /the body must be/],
    ];
    for (const [body, message] of bad)
      expect(() => parseLinkSettings(body, current), JSON.stringify(body)).toThrow(message);
    for (const [body] of bad) expect(() => parseLinkSettings(body, current)).toThrow(LinkSettingsError);
  });

  it('leaves the settings unchanged when an update is refused', () => {
    const link = new LinkConditions();
    link.update({ both: { delayMs: 100 } });
    expect(() => link.update({ both: { delayMs: 50, loss: 3 } })).toThrow(LinkSettingsError);
    expect(link.settings.up.delayMs).toBe(100);
    expect(() => link.blackout(-1)).toThrow(LinkSettingsError);
    expect(() => link.flap(0, 500, 1000)).toThrow(/upMs/);
  });
});

describe('link conditions', () => {
  it('loses about the share it is told to, per direction', () => {
    const link = new LinkConditions({ random: seeded(1) });
    link.update({ up: { loss: 0.2 }, down: { loss: 0.05 } });
    for (let i = 0; i < 10_000; i++) {
      link.admit('up', 100);
      link.admit('down', 100);
    }
    expect(link.counters.up.droppedLoss / 10_000).toBeCloseTo(0.2, 1);
    expect(link.counters.down.droppedLoss / 10_000).toBeCloseTo(0.05, 1);
  });

  it('delays by delay ± jitter, and jitter reorders', () => {
    const link = new LinkConditions({ random: seeded(2) });
    link.update({ down: { delayMs: 150, jitterMs: 50 } });
    const delays: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = link.admit('down', 1200);
      if ('afterMs' in v) delays.push(v.afterMs);
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...delays)).toBeLessThanOrEqual(200);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(145);
    expect(mean).toBeLessThan(155);
    // Sent 1 ms apart, a later one often arrives first.
    const overtaken = delays.slice(1).filter((d, i) => d + 1 < (delays[i] ?? 0)).length;
    expect(overtaken).toBeGreaterThan(500);
    // No jitter: order kept.
    const steady = new LinkConditions({ random: seeded(3) });
    steady.update({ down: { delayMs: 80 } });
    for (let i = 0; i < 10; i++) expect(steady.admit('down', 100)).toEqual({ afterMs: 80, reordered: false });
  });

  it('reorder sends a share at once, ahead of the delayed rest', () => {
    const link = new LinkConditions({ random: seeded(4) });
    link.update({ up: { delayMs: 100, reorder: 0.25 } });
    let early = 0;
    for (let i = 0; i < 4000; i++) {
      const v = link.admit('up', 100);
      if ('afterMs' in v && v.afterMs === 0) early += 1;
    }
    expect(early / 4000).toBeCloseTo(0.25, 1);
    expect(link.counters.up.reordered).toBe(early);
  });

  it('caps bandwidth by serialising, and drops what would queue too long', () => {
    const clock = fakeClock();
    const link = new LinkConditions({ now: clock.now });
    link.update({ down: { rateKbps: 1000, queueMs: 100 } });
    // 1250 bytes at 1 Mbit/s: 10 ms each. A burst of 20 fills 200 ms: the queue (100 ms) takes ~11.
    const verdicts = Array.from({ length: 20 }, () => link.admit('down', 1250));
    const sent = verdicts.filter((v) => 'afterMs' in v);
    expect(sent.map((v) => ('afterMs' in v ? v.afterMs : -1)).slice(0, 3)).toEqual([10, 20, 30]);
    expect(sent.length).toBe(11);
    expect(link.counters.down.droppedQueue).toBe(9);
    // Once drained, the next goes straight through; the other direction was never capped.
    clock.advance(1000);
    expect(link.admit('down', 1250)).toEqual({ afterMs: 10, reordered: false });
    expect(link.admit('up', 1250)).toEqual({ afterMs: 0, reordered: false });
    // Sustained: 1 s of 1250-byte datagrams every 5 ms (2 Mbit/s offered) gets about 1 Mbit/s through.
    const sustained = new LinkConditions({ now: clock.now });
    sustained.update({ down: { rateKbps: 1000, queueMs: 50 } });
    let through = 0;
    for (let i = 0; i < 200; i++) {
      if ('afterMs' in sustained.admit('down', 1250)) through += 1;
      clock.advance(5);
    }
    expect((through * 1250 * 8) / 1000).toBeGreaterThan(950);
    expect((through * 1250 * 8) / 1000).toBeLessThan(1150);
  });

  it('blacks out both directions for a while, and flaps on a schedule', () => {
    const clock = fakeClock();
    const link = new LinkConditions({ now: clock.now });
    link.blackout(3000);
    expect(link.admit('up', 10)).toEqual({ drop: 'blackout' });
    expect(link.admit('down', 10)).toEqual({ drop: 'blackout' });
    clock.advance(2999);
    expect(link.isDown()).toBe(true);
    clock.advance(1);
    expect(link.isDown()).toBe(false);
    expect('afterMs' in link.admit('up', 10)).toBe(true);

    link.flap(500, 500, 60_000);
    const states: boolean[] = [];
    for (let t = 0; t < 3000; t += 250) {
      states.push(link.isDown());
      clock.advance(250);
    }
    expect(states).toEqual([false, false, true, true, false, false, true, true, false, false, true, true]);
    clock.advance(60_000);
    expect(link.isDown()).toBe(false);
    // A datagram that waited through the start of a blackout is dropped when released.
    link.blackout(1000);
    expect(link.stillUp('down')).toBe(false);
    link.reset();
    expect(link.isDown()).toBe(false);
  });
});

describe('the UDP relay', () => {
  const sockets: Socket[] = [];
  const relays: UdpRelay[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
    for (const r of relays.splice(0)) r.close();
  });

  async function bound(): Promise<Socket> {
    const s = createSocket('udp4');
    sockets.push(s);
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
    return s;
  }

  /** A machine that echoes every datagram back, reversed, so each direction is seen. */
  async function echoMachine(): Promise<{ socket: Socket; seen: { from: string; data: Buffer }[] }> {
    const socket = await bound();
    const seen: { from: string; data: Buffer }[] = [];
    socket.on('message', (msg, from) => {
      seen.push({ from: `${from.address}:${from.port}`, data: msg });
      socket.send(Buffer.from(msg).reverse(), from.port, from.address);
    });
    return { socket, seen };
  }

  function collect(socket: Socket): Buffer[] {
    const got: Buffer[] = [];
    socket.on('message', (msg) => got.push(msg));
    return got;
  }

  it('carries datagrams both ways untouched, and the machine sees the relay, not the browser', async () => {
    const machine = await echoMachine();
    const link = new LinkConditions();
    const relay = await UdpRelay.open({ address: '127.0.0.1', port: machine.socket.address().port }, link);
    relays.push(relay);
    const browser = await bound();
    const got = collect(browser);
    const payloads = Array.from({ length: 50 }, (_, i) =>
      Buffer.from(Array.from({ length: 1 + i * 20 }, (_, j) => (i * 31 + j) & 255)),
    );
    for (const p of payloads) browser.send(p, relay.address.port, relay.address.address);
    await expect.poll(() => got.length).toBe(50);
    expect(machine.seen.map((s) => s.data)).toEqual(payloads);
    expect(got).toEqual(payloads.map((p) => Buffer.from(p).reverse()));
    const browserAddress = `127.0.0.1:${browser.address().port}`;
    expect(new Set(machine.seen.map((s) => s.from)).has(browserAddress)).toBe(false);
    expect(link.counters.up).toMatchObject({ received: 50, forwarded: 50 });
    expect(link.counters.down).toMatchObject({ received: 50, forwarded: 50 });
  });

  it('gives each browser address its own way in, as a NAT does', async () => {
    const machine = await echoMachine();
    const relay = await UdpRelay.open(
      { address: '127.0.0.1', port: machine.socket.address().port },
      new LinkConditions(),
    );
    relays.push(relay);
    const a = await bound();
    const b = await bound();
    const gotA = collect(a);
    const gotB = collect(b);
    a.send(Buffer.from('from-a'), relay.address.port, '127.0.0.1');
    b.send(Buffer.from('from-b'), relay.address.port, '127.0.0.1');
    await expect.poll(() => gotA.length + gotB.length).toBe(2);
    expect(gotA.map(String)).toEqual(['a-morf']);
    expect(gotB.map(String)).toEqual(['b-morf']);
    expect(new Set(machine.seen.map((s) => s.from)).size).toBe(2);
    expect(relay.clients).toBe(2);
  });

  it('applies delay on the real path, and a blackout stops everything until it ends', async () => {
    const machine = await echoMachine();
    const link = new LinkConditions();
    link.update({ up: { delayMs: 60 }, down: { delayMs: 40 } });
    const relay = await UdpRelay.open({ address: '127.0.0.1', port: machine.socket.address().port }, link);
    relays.push(relay);
    const browser = await bound();
    const times: number[] = [];
    browser.on('message', () => times.push(performance.now()));
    const sent = performance.now();
    browser.send(Buffer.from('ping'), relay.address.port, '127.0.0.1');
    await expect.poll(() => times.length).toBe(1);
    expect((times[0] ?? 0) - sent).toBeGreaterThanOrEqual(95);

    link.update({ both: { delayMs: 0 } });
    link.blackout(300);
    browser.send(Buffer.from('lost'), relay.address.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 150));
    expect(times).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    browser.send(Buffer.from('back'), relay.address.port, '127.0.0.1');
    await expect.poll(() => times.length).toBe(2);
    // The datagram sent during the blackout never arrives later: nothing is replayed.
    expect(machine.seen.map((s) => String(s.data))).toEqual(['ping', 'back']);
    expect(link.counters.up.droppedBlackout).toBe(1);
  });

  it('closes cleanly with datagrams still waiting', async () => {
    const machine = await echoMachine();
    const link = new LinkConditions();
    link.update({ up: { delayMs: 200 } });
    const relay = await UdpRelay.open({ address: '127.0.0.1', port: machine.socket.address().port }, link);
    const browser = await bound();
    browser.send(Buffer.from('late'), relay.address.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 50));
    relay.close();
    relay.close();
    await new Promise((r) => setTimeout(r, 250));
    expect(machine.seen).toEqual([]);
  });
});
