import { describe, expect, it } from 'vitest';
import {
  classifyCloudError,
  cloudText,
  explainLogsProblem,
  historyItems,
  onlineLabel,
  onlineView,
} from '../../src/lib/cloud.ts';

const KEY = 'api-key-secret-0123456789';
const err = (code: number | undefined, message: string) => Object.assign(new Error(message), { code });

describe('classifyCloudError', () => {
  it('names what retrying can and cannot fix, from the gRPC code or the text', () => {
    expect(classifyCloudError(err(7, 'no'), [])).toMatchObject({ kind: 'denied', retry: false });
    expect(classifyCloudError(err(16, 'expired'), [])).toMatchObject({
      kind: 'unauthenticated',
      retry: false,
    });
    expect(classifyCloudError(err(5, 'no part'), [])).toMatchObject({ kind: 'not-found', retry: false });
    expect(classifyCloudError(err(12, 'x'), [])).toMatchObject({ kind: 'unimplemented', retry: false });
    expect(classifyCloudError(err(14, 'down'), [])).toMatchObject({ kind: 'unavailable', retry: true });
    expect(classifyCloudError(err(4, 'late'), [])).toMatchObject({ kind: 'slow', retry: true });
    expect(classifyCloudError(new TypeError('Failed to fetch'), [])).toMatchObject({ kind: 'unavailable' });
    expect(classifyCloudError(err(2, '[unknown] permission denied'), [])).toMatchObject({ kind: 'denied' });
    expect(classifyCloudError(err(1, 'aborted'), [], true)).toMatchObject({ kind: 'slow', retry: true });
    // SDK errors wrap the cause.
    expect(classifyCloudError({ message: 'outer', cause: [err(7, 'inner')] }, [])).toMatchObject({
      kind: 'denied',
    });
  });

  it('scrubs the credential from the detail and makes it inert', () => {
    const problem = classifyCloudError(err(14, `bad key ${KEY}\x1b[31m`), [KEY]);
    expect(problem.detail).toBe('bad key •••');
  });

  it('explains in one calm sentence, naming the credential', () => {
    const denied = classifyCloudError(err(7, 'x'), []);
    expect(explainLogsProblem(denied, 'api-key')).toBe('This key cannot read logs for this machine.');
    expect(explainLogsProblem(denied, 'access-token')).toBe(
      'Your account cannot read logs for this machine.',
    );
    const down = classifyCloudError(err(14, 'x'), []);
    expect(explainLogsProblem(down, 'api-key', 4200)).toBe(
      'The cloud cannot be reached; the machine itself is unaffected. Trying again in 5 s.',
    );
  });
});

describe('cloud facts', () => {
  const now = 1_780_000_000_000;
  const ts = (ms: number) => ({ seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

  it('reads the online state, with "last online" from lastAccess or secondsSinceOnline', () => {
    expect(onlineView({ onlineState: 1, lastAccess: ts(now - 2000) }, now)).toEqual({
      state: 'online',
      lastOnlineMs: now - 2000,
    });
    expect(onlineView({ onlineState: 2, secondsSinceOnline: 3600n }, now)).toEqual({
      state: 'offline',
      lastOnlineMs: now - 3_600_000,
    });
    expect(onlineView({ onlineState: 3 }, now)).toEqual({ state: 'awaiting-setup' });
    // Unspecified: live when seen in the last 10 s.
    expect(onlineView({ onlineState: 0, lastAccess: ts(now - 5000) }, now).state).toBe('online');
    expect(onlineView({ onlineState: 0, lastAccess: ts(now - 60_000) }, now).state).toBe('offline');
    expect(onlineView({ onlineState: 0 }, now).state).toBe('unknown');
    expect(onlineView(undefined, now).state).toBe('unknown');
    expect(onlineLabel('awaiting-setup')).toBe('Awaiting setup');
  });

  it('lists config history newest first: when, who and how', () => {
    const items = historyItems(
      [
        { when: ts(now - 60_000), editedBy: { type: 1, value: 'ops@example.com' } },
        { when: ts(now - 1000), editedBy: { type: 2, value: `key ${KEY}` } },
        { when: undefined, editedBy: undefined },
      ],
      [KEY],
    );
    expect(items.map((i) => i.who)).toEqual(['key •••', 'ops@example.com', '']);
    expect(items.map((i) => i.how)).toEqual(['API key', 'user', '']);
    expect(items[0]?.when).toBe(now - 1000);
  });

  it('makes cloud names inert and short', () => {
    expect(cloudText('<img src=x onerror=alert(1)>\u202Eevil', [])).toBe(
      '<img src=x onerror=alert(1)><U+202E>evil',
    );
    expect(cloudText('a'.repeat(500), [], 10)).toBe(`${'a'.repeat(9)}…`);
    expect(cloudText(42, [])).toBe('');
  });
});
