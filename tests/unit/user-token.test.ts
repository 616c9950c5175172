import { afterEach, describe, expect, it } from 'vitest';
import { readRawCookie } from '../../src/lib/cookie-jar.ts';
import { explainTokenFailure } from '../../src/lib/token-explanations.ts';
import { readUserToken, USER_TOKEN_COOKIE, type UserTokenResult } from '../../src/lib/user-token.ts';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl-_x';
const REFRESH = 'refresh-SeCrEt-9876543210';
const NOW = Date.parse('2026-04-10T11:00:00Z');

/** The platform's cookie: the whole OAuth token as Go's oauth2 marshals it, url-encoded. */
const production = encodeURIComponent(
  JSON.stringify({
    access_token: TOKEN,
    token_type: 'Bearer',
    refresh_token: REFRESH,
    expiry: '2026-04-10T12:00:00Z',
  }),
);
/** `viam module local-app-testing`: `url.QueryEscape` of `{"access_token":"…"}`. */
const cli = encodeURIComponent(JSON.stringify({ access_token: TOKEN }));

/** Reads the token the way the app does: the raw cookie through js-cookie, from `document.cookie`. */
function fromCookieString(cookie: string, now = NOW): UserTokenResult {
  (globalThis as { document?: { cookie: string } }).document = { cookie };
  return readUserToken(readRawCookie(USER_TOKEN_COOKIE), now);
}

afterEach(() => {
  delete (globalThis as { document?: unknown }).document;
});

const expectOk = (result: UserTokenResult) => {
  if (!result.ok) throw new Error(`expected a token, got ${JSON.stringify(result.failure)}`);
  return result.token;
};
const expectFailure = (result: UserTokenResult) => {
  if (result.ok) throw new Error('expected a failure');
  const text = JSON.stringify(result.failure);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(REFRESH);
  const e = explainTokenFailure(result.failure);
  for (const line of [e.title, e.what, ...e.steps]) {
    expect(line).not.toContain(TOKEN);
    expect(line).not.toContain(REFRESH);
  }
  return result.failure;
};

describe('readUserToken', () => {
  it('reads the production shape, with its expiry', () => {
    expect(expectOk(fromCookieString(`userToken=${production}`))).toEqual({
      accessToken: TOKEN,
      expiresAt: Date.parse('2026-04-10T12:00:00Z'),
    });
  });

  it('never keeps the refresh token', () => {
    expect(JSON.stringify(fromCookieString(`userToken=${production}`))).not.toContain(REFRESH);
  });

  it('reads the CLI shape (access_token only, no expiry)', () => {
    expect(expectOk(fromCookieString(`other=1; userToken=${cli}`))).toEqual({ accessToken: TOKEN });
  });

  it.each([
    ['not encoded', JSON.stringify({ access_token: TOKEN })],
    ['encoded once', cli],
    ['encoded twice', encodeURIComponent(cli)],
    ['quoted', `"${cli}"`],
    ['quoted, not encoded', `"${JSON.stringify({ access_token: TOKEN }).replace(/"/g, '\\"')}"`],
    ['a JSON string holding the JSON', JSON.stringify(JSON.stringify({ access_token: TOKEN }))],
    ['wrapped in other text', `j:${JSON.stringify({ access_token: TOKEN })};v=1`],
    ['wrapped and encoded', encodeURIComponent(`[${JSON.stringify({ access_token: TOKEN, n: { a: 1 } })}]`)],
    ['padded', `  ${cli}  `],
    ['with a stray percent elsewhere', encodeURIComponent(JSON.stringify({ access_token: TOKEN })) + '%'],
  ])('reads a value %s', (_label, value) => {
    expect(readUserToken(value, NOW)).toEqual({ ok: true, token: { accessToken: TOKEN } });
  });

  it('takes the outermost object, nested objects included', () => {
    const value = `prefix ${JSON.stringify({ meta: { x: '}' }, access_token: TOKEN })} suffix`;
    expect(expectOk(readUserToken(value, NOW)).accessToken).toBe(TOKEN);
  });

  it('accepts camelCase accessToken', () => {
    expect(expectOk(readUserToken(JSON.stringify({ accessToken: TOKEN }), NOW)).accessToken).toBe(TOKEN);
  });

  it.each([
    ['RFC 3339 with an offset', '2026-04-10T14:00:00+02:00', Date.parse('2026-04-10T12:00:00Z')],
    ['RFC 3339 with nanoseconds', '2026-04-10T12:00:00.123456789Z', Date.parse('2026-04-10T12:00:00.123Z')],
    ['epoch seconds', Date.parse('2026-04-10T12:00:00Z') / 1000, Date.parse('2026-04-10T12:00:00Z')],
    ['epoch ms', Date.parse('2026-04-10T12:00:00Z'), Date.parse('2026-04-10T12:00:00Z')],
  ])('reads expiry as %s', (_label, expiry, expected) => {
    expect(expectOk(readUserToken(JSON.stringify({ access_token: TOKEN, expiry }), NOW)).expiresAt).toBe(
      expected,
    );
  });

  it.each([['0001-01-01T00:00:00Z'], ['soon'], [''], [null], [true], [-5], [{}]])(
    'an expiry of %j says nothing (Go zero time, unreadable): the cloud decides',
    (expiry) => {
      expect(expectOk(readUserToken(JSON.stringify({ access_token: TOKEN, expiry }), NOW))).toEqual({
        accessToken: TOKEN,
      });
    },
  );

  it('fails: no cookie', () => {
    expect(expectFailure(fromCookieString(''))).toEqual({ reason: 'no-cookie' });
    expect(expectFailure(fromCookieString('usertoken=x; userToken2=y'))).toEqual({ reason: 'no-cookie' });
    expect(expectFailure(readUserToken('   ', NOW))).toEqual({ reason: 'no-cookie' });
  });

  it.each([
    ['not JSON', 'not-json'],
    ['cut short', cli.slice(0, 20)],
    ['an array', encodeURIComponent('[1,2]')],
    ['a bare string', encodeURIComponent(JSON.stringify(TOKEN))],
    ['broken percent-encoding', '%E0%A4%A%7B%22access_token%22%3A'],
    ['encoded three times', encodeURIComponent(encodeURIComponent(cli))],
    ['huge', `{"access_token":"${'x'.repeat(20_000)}"}`],
  ])('fails: unreadable when %s', (_label, value) => {
    expect(expectFailure(readUserToken(value, NOW))).toEqual({ reason: 'unreadable' });
  });

  it('a cookie js-cookie itself could not decode is unreadable, not missing', () => {
    expect(expectFailure(fromCookieString('userToken=%E0%A4%A%7B'))).toEqual({ reason: 'unreadable' });
  });

  it('a broken escape beside a good value does not hide the token', () => {
    expect(expectOk(fromCookieString(`userToken=%E0%A4%A${cli}`)).accessToken).toBe(TOKEN);
  });

  it.each([
    ['missing', { token_type: 'Bearer', refresh_token: REFRESH }],
    ['missing', { access_token: null }],
    ['empty', { access_token: '' }],
    ['empty', { access_token: '   ' }],
    ['wrong-type', { access_token: 42 }],
    ['wrong-type', { access_token: [TOKEN] }],
    ['wrong-type', { access_token: { value: TOKEN } }],
    ['invalid', { access_token: `${TOKEN} more` }],
    ['invalid', { access_token: `${TOKEN}\n` }],
    ['invalid', { access_token: `${TOKEN}é` }],
  ])('fails: no token (%s)', (problem, json) => {
    expect(expectFailure(readUserToken(encodeURIComponent(JSON.stringify(json)), NOW))).toEqual({
      reason: 'no-token',
      problem,
    });
  });

  it('fails: expired, with when', () => {
    const expiry = '2026-04-10T10:59:59Z';
    const value = encodeURIComponent(JSON.stringify({ access_token: TOKEN, refresh_token: REFRESH, expiry }));
    expect(expectFailure(readUserToken(value, NOW))).toEqual({
      reason: 'expired',
      expiredAt: Date.parse(expiry),
    });
    expect(explainTokenFailure({ reason: 'expired', expiredAt: Date.parse(expiry) }).what).toContain(
      '2026-04-10 10:59 UTC',
    );
  });

  it('the same cookie is good before its expiry and expired after it', () => {
    const expiry = Date.parse('2026-04-10T12:00:00Z');
    expect(readUserToken(production, expiry - 1).ok).toBe(true);
    expect(readUserToken(production, expiry).ok).toBe(false);
  });

  it('every failure has its own explanation', () => {
    const ids = new Set(
      [
        { reason: 'no-cookie' } as const,
        { reason: 'unreadable' } as const,
        { reason: 'no-token', problem: 'missing' } as const,
        { reason: 'expired', expiredAt: NOW } as const,
      ].map((f) => explainTokenFailure(f).id),
    );
    expect([...ids].sort()).toEqual([
      'token-expired',
      'token-no-cookie',
      'token-no-token',
      'token-unreadable',
    ]);
  });
});
