import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_KEY_COOKIE, readApiKeyCookie } from '../../src/lib/api-key-cookie.ts';
import { FLEET_KEY_COOKIE } from '../../src/server/handler.mjs';
import { tokenCredential } from '../../src/lib/user-token.ts';

describe('readApiKeyCookie (the self-hosted fleet credential)', () => {
  it('reads the cookie src/server sets, by the name it sets', () => {
    expect(API_KEY_COOKIE).toBe(FLEET_KEY_COOKIE);
    const value = JSON.stringify({
      credentials: { type: 'api-key', authEntity: 'org-key-id', payload: 's3cr3t' },
    });
    expect(readApiKeyCookie(value)).toEqual({
      ok: true,
      credential: { type: 'api-key', authEntity: 'org-key-id', payload: 's3cr3t' },
    });
  });

  it('refuses anything else, naming only the reason', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'no-cookie'],
      ['  ', 'no-cookie'],
      ['{not json', 'unreadable'],
      ['x'.repeat(9000), 'unreadable'],
      ['null', 'bad-fields'],
      ['{"credentials":{"type":"access-token","payload":"t"}}', 'bad-fields'],
      ['{"credentials":{"type":"api-key","authEntity":"id","payload":"two words"}}', 'bad-fields'],
      ['{"credentials":{"type":"api-key","authEntity":"","payload":"k"}}', 'bad-fields'],
      ['{"credentials":{"type":"api-key","authEntity":1,"payload":"k"}}', 'bad-fields'],
    ];
    for (const [value, reason] of cases)
      expect(readApiKeyCookie(value), String(value)).toEqual({ ok: false, reason });
  });

  it('never throws and never echoes the input in a failure (fuzzed)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (value) => {
        const result = readApiKeyCookie(value);
        if (!result.ok) expect(Object.keys(result).sort()).toEqual(['ok', 'reason']);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the fleet’s credential from an API key', () => {
  it('dials with the key where the token carries its id, and with the token otherwise', () => {
    expect(tokenCredential({ ok: true, token: { accessToken: 'k', apiKeyId: 'id' } })).toEqual({
      type: 'api-key',
      authEntity: 'id',
      payload: 'k',
    });
    expect(tokenCredential({ ok: true, token: { accessToken: 't' } })).toEqual({
      type: 'access-token',
      payload: 't',
    });
  });
});
