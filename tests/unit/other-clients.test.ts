import { describe, expect, it } from 'vitest';
import { describeOtherClients, otherClientCount } from '../../src/lib/other-clients.ts';

describe('other clients', () => {
  it('counts every session but this page’s own, once each', () => {
    const sessions = [{ id: 'mine' }, { id: 'a' }, { id: 'b' }, { id: 'a' }, { id: '' }];
    expect(otherClientCount(sessions, 'mine')).toBe(2);
    expect(otherClientCount([{ id: 'mine' }], 'mine')).toBe(0);
    expect(otherClientCount([], 'mine')).toBe(0);
    // Without a session of its own (unsupported, not started yet) every session is another client's.
    expect(otherClientCount([{ id: 'a' }], '')).toBe(1);
  });

  it('says it in the header’s words', () => {
    expect(describeOtherClients(undefined)).toBeUndefined();
    expect(describeOtherClients(0)).toBeUndefined();
    expect(describeOtherClients(1)).toBe('another client connected');
    expect(describeOtherClients(2)).toBe('2 other clients connected');
    expect(describeOtherClients(Number.NaN)).toBeUndefined();
  });
});
