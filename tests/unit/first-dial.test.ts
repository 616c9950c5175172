/**
 * The entry's early dial and the status asked the moment a client connects: the dial's settings
 * are the connection controller's, a failed early dial is never an unhandled rejection, and the
 * first status is asked once per client and taken once, fresh.
 */
import type { DialConf, RobotClient } from '@viamrobotics/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dialConf, startEarlyDial } from '../../src/controllers/dial.ts';
import { prefetchStatus, takeStatus } from '../../src/controllers/first-status.ts';

type Status = Awaited<ReturnType<RobotClient['getMachineStatus']>>;

function fakeClient(answers: (() => Promise<Status>)[] = []): { client: RobotClient; asked: () => number } {
  let asked = 0;
  const client = {
    getMachineStatus: () => {
      const n = asked;
      const answer = answers[n] ?? (() => Promise.resolve({ state: n } as unknown as Status));
      asked += 1;
      return answer();
    },
  } as unknown as RobotClient;
  return { client, asked: () => asked };
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

  it('asks the status as soon as the client is there', async () => {
    const { client, asked } = fakeClient();
    const early = startEarlyDial('rover.local', { type: 'access-token', payload: 't' }, 'https://sig', () =>
      Promise.resolve(client),
    );
    await early.client;
    await Promise.resolve();
    expect(asked()).toBe(1);
    await expect(takeStatus(client)).resolves.toEqual({ state: 0 });
    expect(asked()).toBe(1);
  });
});

describe('first status', () => {
  it('is asked once per client and taken once', async () => {
    const { client, asked } = fakeClient();
    prefetchStatus(client);
    prefetchStatus(client);
    expect(asked()).toBe(1);
    await expect(takeStatus(client)).resolves.toEqual({ state: 0 });
    // Later polls ask anew; a second prefetch of the same client does nothing.
    prefetchStatus(client);
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
    prefetchStatus(client);
    vi.advanceTimersByTime(5000);
    await expect(takeStatus(client)).resolves.toEqual({ state: 1 });
    expect(asked()).toBe(2);
  });

  it('a refused prefetch (an older viam-server) reaches the dashboard as its own error, unhandled nowhere', async () => {
    const { client } = fakeClient([() => Promise.reject(new Error('Unimplemented'))]);
    prefetchStatus(client);
    await new Promise((r) => setTimeout(r, 10));
    await expect(takeStatus(client)).rejects.toThrow('Unimplemented');
  });
});
