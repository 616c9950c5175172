import { describe, expect, it } from 'vitest';
import { describeConnection } from '../../src/console/app-header.ts';
import { backoffDelay, withTimeout } from '../../src/lib/backoff.ts';
import { machineNameFromHostname } from '../../src/lib/connection-state.ts';
import { CommandLog } from '../../src/lib/command-log.ts';
import {
  EMPTY_LAYOUT,
  loadLayout,
  moveKey,
  orderKeys,
  parseLayout,
  saveLayout,
  toggle,
} from '../../src/lib/layout.ts';

describe('layout', () => {
  it('orders known keys as arranged and appends new ones', () => {
    expect(orderKeys(['a', 'b', 'c', 'd'], { ...EMPTY_LAYOUT, order: ['c', 'x', 'a'] })).toEqual([
      'c',
      'a',
      'b',
      'd',
    ]);
  });

  it('moves a key and keeps absent keys remembered', () => {
    const prefs = moveKey({ ...EMPTY_LAYOUT, order: ['gone'] }, ['a', 'b', 'c'], 'c', -1);
    expect(orderKeys(['a', 'b', 'c'], prefs)).toEqual(['a', 'c', 'b']);
    expect(prefs.order).toContain('gone');
    expect(moveKey(prefs, ['a', 'b', 'c'], 'a', -1)).toBe(prefs);
  });

  it('parses only what it wrote, and survives garbage or blocked storage', () => {
    expect(parseLayout('{"order":["a",1],"hidden":"x"}')).toEqual({
      order: ['a'],
      collapsed: [],
      hidden: [],
    });
    expect(parseLayout('not json')).toEqual(EMPTY_LAYOUT);
    expect(parseLayout('null')).toEqual(EMPTY_LAYOUT);
    const throwing = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(loadLayout(throwing, 'm')).toEqual(EMPTY_LAYOUT);
    expect(() => saveLayout(throwing, 'm', EMPTY_LAYOUT)).not.toThrow();
  });

  it('round-trips through storage per machine', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    saveLayout(storage, 'm1', { order: ['a'], collapsed: ['b'], hidden: toggle([], 'c', true) });
    expect(loadLayout(storage, 'm1')).toEqual({ order: ['a'], collapsed: ['b'], hidden: ['c'] });
    expect(loadLayout(storage, 'm2')).toEqual(EMPTY_LAYOUT);
  });
});

describe('command log', () => {
  it('logs newest first with latency and outcome, bounded, scrubbed', async () => {
    const log = new CommandLog({ limit: 3, secrets: ['topsecret'] });
    await log.run('base', 'SetPower', { linear: 0.5 }, () => Promise.resolve());
    await expect(
      log.run('base', 'Stop', undefined, () => Promise.reject(new Error('bad topsecret'))),
    ).rejects.toThrow();
    await log.run('motor', 'GoFor', { rpm: 10, note: 'topsecret' }, () => Promise.resolve({ ok: true }));
    await log.run('motor', 'Stop', undefined, () => Promise.resolve());
    expect(log.entries).toHaveLength(3);
    expect(log.entries.map((e) => e.method)).toEqual(['Stop', 'GoFor', 'Stop']);
    expect(log.entries[1]?.args).toBe('{"rpm":10,"note":"•••"}');
    expect(log.entries[2]).toMatchObject({ status: 'error', error: 'bad •••' });
    expect(log.toText()).not.toContain('topsecret');
    expect(log.entries.every((e) => typeof e.latencyMs === 'number')).toBe(true);
  });
});

describe('connection helpers', () => {
  it('backs off exponentially up to the cap', () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 250, 10_000, none))).toEqual([
      250, 500, 1000, 2000, 10_000,
    ]);
    expect(backoffDelay(50, 250, 10_000, () => 1)).toBe(10_000);
  });

  it('times out slow promises', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, 'ping')).rejects.toThrow('ping timed out');
    await expect(withTimeout(Promise.resolve(3), 10)).resolves.toBe(3);
  });

  it('names machines from hostnames', () => {
    expect(machineNameFromHostname('rover-main.abc123.viam.cloud')).toBe('rover');
    expect(machineNameFromHostname('http://localhost:8080')).toBe('localhost');
  });

  it('describes every connection phase', () => {
    expect(describeConnection({ phase: 'connected', hostname: 'h', transport: 'webrtc', rttMs: 3.2 })).toBe(
      'Connected over WebRTC · 3 ms',
    );
    expect(
      describeConnection({ phase: 'reconnecting', hostname: 'h', attempt: 3, nextAttemptAt: 5_000 }, 3_100),
    ).toBe('Reconnecting · attempt 3 · next try in 2 s');
    expect(describeConnection({ phase: 'connecting', hostname: 'h', attempt: 2 })).toBe(
      'Dialing over WebRTC (attempt 2)…',
    );
  });
});
