/**
 * The entry's early dial and the first calls asked the moment a client connects: the dial's settings
 * are the connection controller's, a failed early dial is never an unhandled rejection, and the
 * first status and resource list are asked once per client (the status first) and taken once, fresh.
 */
import type { DialConf, RobotClient } from '@viamrobotics/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dialConf, startEarlyDial } from '../../src/controllers/dial.ts';
import { prefetchFirstCalls, takeResourceNames, takeStatus } from '../../src/controllers/first-status.ts';

type Status = Awaited<ReturnType<RobotClient['getMachineStatus']>>;
type Names = Awaited<ReturnType<RobotClient['resourceNames']>>;

function fakeClient(
  answers: (() => Promise<Status>)[] = [],
  nameAnswers: (() => Promise<Names>)[] = [],
): { client: RobotClient; asked: () => number; askedNames: () => number; order: string[] } {
  let asked = 0;
  let askedNames = 0;
  const order: string[] = [];
  const client = {
    getMachineStatus: () => {
      const n = asked;
      const answer = answers[n] ?? (() => Promise.resolve({ state: n } as unknown as Status));
      asked += 1;
      order.push('status');
      return answer();
    },
    resourceNames: () => {
      const n = askedNames;
      const answer = nameAnswers[n] ?? (() => Promise.resolve([{ name: `list ${n}` }] as unknown as Names));
      askedNames += 1;
      order.push('names');
      return answer();
    },
  } as unknown as RobotClient;
  return { client, asked: () => asked, askedNames: () => askedNames, order };
}

afterEach(() => vi.useRealTimers());

describe('early dial', () => {
  it('dials with the same settings as every later dial', async () => {
    const { client } = fakeClient();
    const confs: DialConf[] = [];
    const credential = { type: 'api-key', authEntity: 'id', payload: 'secret' } as const;
    const early = startEarlyDial('rover.local', credential, 'https://sig', (conf) => {
      confs.push(conf);
      return Promise.resolve(client);
    });
    expect(confs).toEqual([dialConf('rover.local', credential, 'https://sig')]);
    expect(confs[0]).toMatchObject({
      noReconnect: true,
      host: 'rover.local',
      signalingAddress: 'https://sig',
    });
    await expect(early.client).resolves.toBe(client);
  });

  it('a failed early dial is not an unhandled rejection until someone reads it', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const early = startEarlyDial('rover.local', { type: 'access-token', payload: 't' }, 'https://sig', () =>
        Promise.reject(new Error('refused')),
      );
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).not.toHaveBeenCalled();
      await expect(early.client).rejects.toThrow('refused');
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('asks the status and the resource list as soon as the client is there', async () => {
    const { client, asked, askedNames } = fakeClient();
    const early = startEarlyDial('rover.local', { type: 'access-token', payload: 't' }, 'https://sig', () =>
      Promise.resolve(client),
    );
    await early.client;
    await Promise.resolve();
    expect(asked()).toBe(1);
    expect(askedNames()).toBe(1);
    await expect(takeStatus(client)).resolves.toEqual({ state: 0 });
    await expect(takeResourceNames(client)).resolves.toEqual([{ name: 'list 0' }]);
    expect(asked()).toBe(1);
    expect(askedNames()).toBe(1);
  });
});

describe('first resource list', () => {
  it('is asked right after the status, once per client, and taken once', async () => {
    const { client, askedNames, order } = fakeClient();
    prefetchFirstCalls(client);
    prefetchFirstCalls(client);
    expect(order).toEqual(['status', 'names']);
    await expect(takeResourceNames(client)).resolves.toEqual([{ name: 'list 0' }]);
    // A later fetch of the list (a reconfiguration) asks anew.
    await expect(takeResourceNames(client)).resolves.toEqual([{ name: 'list 1' }]);
    expect(askedNames()).toBe(2);
  });

  it('a stale prefetch is asked anew; a refused one reaches the dashboard as its own error', async () => {
    vi.useFakeTimers();
    const stale = fakeClient();
    prefetchFirstCalls(stale.client);
    vi.advanceTimersByTime(5000);
    await expect(takeResourceNames(stale.client)).resolves.toEqual([{ name: 'list 1' }]);
    vi.useRealTimers();
    const refused = fakeClient([], [() => Promise.reject(new Error('Unavailable'))]);
    prefetchFirstCalls(refused.client);
    await new Promise((r) => setTimeout(r, 10));
    await expect(takeResourceNames(refused.client)).rejects.toThrow('Unavailable');
  });
});

describe('first status', () => {
  it('is asked once per client and taken once', async () => {
    const { client, asked } = fakeClient();
    prefetchFirstCalls(client);
    prefetchFirstCalls(client);
    expect(asked()).toBe(1);
    await expect(takeStatus(client)).resolves.toEqual({ state: 0 });
    // Later polls ask anew; a second prefetch of the same client does nothing.
    prefetchFirstCalls(client);
    await expect(takeStatus(client)).resolves.toEqual({ state: 1 });
    expect(asked()).toBe(2);
  });

  it('without a prefetch, takeStatus simply asks', async () => {
    const { client, asked } = fakeClient();
    await expect(takeStatus(client)).resolves.toEqual({ state: 0 });
    expect(asked()).toBe(1);
  });

  it('a stale prefetch is not shown as the first status', async () => {
    vi.useFakeTimers();
    const { client, asked } = fakeClient();
    prefetchFirstCalls(client);
    vi.advanceTimersByTime(5000);
    await expect(takeStatus(client)).resolves.toEqual({ state: 1 });
    expect(asked()).toBe(2);
  });

  it('a refused prefetch (an older viam-server) reaches the dashboard as its own error, unhandled nowhere', async () => {
    const { client } = fakeClient([() => Promise.reject(new Error('Unimplemented'))]);
    prefetchFirstCalls(client);
    await new Promise((r) => setTimeout(r, 10));
    await expect(takeStatus(client)).rejects.toThrow('Unimplemented');
  });
});
