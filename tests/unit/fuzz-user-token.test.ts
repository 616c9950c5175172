/**
 * Fuzzing the fleet's first screen: whatever the `userToken` cookie holds, reading it never throws,
 * always gives a typed result, and never puts the access token (or the refresh token beside it) into
 * a failure or into the explanation the user reads. 11,500 generated readings in all (fast-check, fixed
 * seed so a failure reproduces; set FUZZ_SEED to explore).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readRawCookie } from '../../src/lib/cookie-jar.ts';
import { explainTokenFailure } from '../../src/lib/token-explanations.ts';
import { readUserToken, USER_TOKEN_COOKIE, type UserTokenResult } from '../../src/lib/user-token.ts';

const seed = Number(process.env['FUZZ_SEED'] ?? 20260410);
const NOW = Date.parse('2026-04-10T11:00:00Z');
const REASONS = new Set(['no-cookie', 'unreadable', 'no-token', 'expired']);
const PROBLEMS = new Set(['missing', 'empty', 'wrong-type', 'invalid']);

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
/** A secret that cannot occur by chance in the app's wording: a fixed marker plus random text. */
const secretArb = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...alnum, '.', '-', '_'), minLength: 8, maxLength: 60 }),
    fc.constantFrom('', '', '', 'é', '\u200f', '😀', '%', '%25', '"', '\\', '</script>', ' x', '+'),
  )
  .map(([body, tail]) => `SeCrEt${body}${tail}`);

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    ' ',
    '\u200b',
    '\u202e',
    'null',
    '%',
    '%E0%A4%A',
    '%ZZ',
    '{',
    '{"',
    '[]',
    '}',
    '\ud800',
  ),
  fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/** encodeURIComponent throws on a lone surrogate; such a text is used as it is. */
const encode = (text: string): string => {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
};

const expiryArb = fc.oneof(
  fc
    .date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom('0001-01-01T00:00:00Z', '2026-04-10T12:00:00+02:00', 'soon', '', '2026-13-45'),
  fc.integer({ min: -10, max: 3_000_000_000 }),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** The token's JSON: the platform's shape, the CLI's, or something near them. */
const tokenJson = (secret: string, refresh: string) =>
  fc
    .record(
      {
        access_token: fc.oneof(
          { weight: 6, arbitrary: fc.constant(secret) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(undefined, null, '', '  ', 0, true, [secret], { v: secret }),
          },
          { weight: 1, arbitrary: anyText },
        ),
        token_type: fc.oneof(fc.constant('Bearer'), anyText, fc.constant(secret)),
        refresh_token: fc.oneof(fc.constant(refresh), anyText),
        expiry: expiryArb,
        extra: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o));

/** How the value reaches the reader: as is, encoded once or twice, quoted, wrapped, cut, padded. */
const mangle = (text: string) =>
  fc.oneof(
    fc.constant(text),
    fc.constant(encodeURIComponent(text)),
    fc.constant(encodeURIComponent(encodeURIComponent(text))),
    fc.constant(encodeURIComponent(encodeURIComponent(encodeURIComponent(text)))),
    fc.constant(`"${encodeURIComponent(text)}"`),
    fc.constant(JSON.stringify(text)),
    fc.constant(`[${text}]`),
    fc.tuple(anyText, anyText).map(([a, b]) => `${a}${text}${b}`),
    fc.nat({ max: Math.max(0, text.length) }).map((n) => text.slice(0, n)),
    fc.nat({ max: Math.max(0, text.length) }).map((n) => encodeURIComponent(text).slice(0, n)),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `${text}${' '.repeat(n)}`),
    fc.constant(encodeURIComponent(text).replace(/%/g, '%Z')),
  );

function expectTypedAndSecretFree(result: UserTokenResult, secrets: readonly string[]): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    expect(typeof result.token.accessToken).toBe('string');
    expect(result.token.accessToken).toMatch(/^[\x21-\x7e]+$/);
    if (result.token.expiresAt !== undefined) expect(result.token.expiresAt).toBeGreaterThan(NOW);
    return;
  }
  const failure = result.failure;
  expect(REASONS.has(failure.reason)).toBe(true);
  if (failure.reason === 'no-token') expect(PROBLEMS.has(failure.problem)).toBe(true);
  if (failure.reason === 'expired') expect(failure.expiredAt).toBeLessThanOrEqual(NOW);
  const explanation = explainTokenFailure(failure);
  expect(explanation.id).toBe(`token-${failure.reason}`);
  const texts = [JSON.stringify(failure), explanation.title, explanation.what, ...explanation.steps];
  for (const secret of secrets) for (const text of texts) expect(text).not.toContain(secret);
}

const setCookie = (cookie: string) => {
  (globalThis as { document?: { cookie: string } }).document = { cookie };
};
afterEach(() => {
  delete (globalThis as { document?: unknown }).document;
});

describe('fuzz: the userToken cookie', () => {
  it('5,000 generated cookie values: typed result, no throw, no token in any message', () => {
    const seen = new Map<string, number>();
    const cases = fc.tuple(secretArb, secretArb).chain(([secret, refresh]) =>
      fc.record({
        secrets: fc.constant([secret, refresh]),
        raw: fc.option(tokenJson(secret, refresh).chain(mangle), { nil: undefined, freq: 20 }),
      }),
    );
    fc.assert(
      fc.property(cases, ({ secrets, raw }) => {
        const result = readUserToken(raw, NOW);
        expectTypedAndSecretFree(result, secrets);
        const outcome = result.ok ? 'ok' : result.failure.reason;
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 5000, seed },
    );
    // The generator reaches every outcome, success included, so the property says something.
    expect([...seen.keys()].sort()).toEqual(['ok', ...REASONS].sort());
    for (const count of seen.values()) expect(count).toBeGreaterThan(25);
  });

  it('2,500 raw document.cookie strings through the raw cookie reader (several cookies, broken ones)', () => {
    const raw = fc.tuple(secretArb, secretArb).chain(([secret, refresh]) =>
      fc.record({
        secrets: fc.constant([secret, refresh]),
        cookie: fc
          .array(
            fc.oneof(
              tokenJson(secret, refresh)
                .chain(mangle)
                .map((v) => `${USER_TOKEN_COOKIE}=${v.replace(/;/g, '%3B')}`),
              fc.tuple(anyText, anyText).map(([n, v]) => `${n}=${v}`),
              anyText,
              fc.constantFrom('=', ';', '=;=', 'userToken', 'userToken=', 'userToken=%', 'userToken="x'),
            ),
            { maxLength: 5 },
          )
          .map((parts) => parts.join('; ')),
      }),
    );
    fc.assert(
      fc.property(raw, ({ secrets, cookie }) => {
        setCookie(cookie);
        expectTypedAndSecretFree(readUserToken(readRawCookie(USER_TOKEN_COOKIE), NOW), secrets);
      }),
      { numRuns: 2500, seed },
    );
  });

  it('1,500 arbitrary strings (anything a browser could hold)', () => {
    fc.assert(
      fc.property(secretArb, fc.oneof(anyText, anyText.map(encode)), (secret, raw) => {
        expectTypedAndSecretFree(readUserToken(raw, NOW), [secret]);
        expectTypedAndSecretFree(readUserToken(`${raw}${secret}`, NOW), [secret]);
      }),
      { numRuns: 1500, seed },
    );
  });

  it('a secret in ANY field of the cookie (even the wrong one) never reaches a message', () => {
    const fields = ['access_token', 'token_type', 'refresh_token', 'expiry', 'scope', 'id_token'] as const;
    fc.assert(
      fc.property(
        secretArb,
        fc.subarray([...fields], { minLength: 1 }),
        fc.constantFrom(0, 1, 2),
        fc.boolean(),
        (secret, where, encodings, expired) => {
          const json: Record<string, unknown> = {
            access_token: 'tok',
            token_type: 'Bearer',
            expiry: expired ? '2020-01-01T00:00:00Z' : '2030-01-01T00:00:00Z',
          };
          for (const field of where) json[field] = secret;
          let value = JSON.stringify(json);
          for (let i = 0; i < encodings; i += 1) value = encodeURIComponent(value);
          expectTypedAndSecretFree(readUserToken(value, NOW), [secret]);
        },
      ),
      { numRuns: 500, seed },
    );
  });

  it('a well-formed token is always read, encoded 0-2 times, quoted or wrapped, among other cookies', () => {
    const token = fc
      .string({
        unit: fc.constantFrom(...alnum, '.', '-', '_', '~', '+', '/', '='),
        minLength: 1,
        maxLength: 900,
      })
      .map((t) => `T${t}`);
    fc.assert(
      fc.property(
        token,
        fc.constantFrom('plain', 'once', 'twice', 'quoted', 'wrapped'),
        fc.boolean(),
        fc.dictionary(fc.string({ unit: fc.constantFrom(...alnum), minLength: 1, maxLength: 8 }), anyText, {
          maxKeys: 3,
        }),
        (accessToken, how, full, others) => {
          const json = JSON.stringify(
            full
              ? {
                  access_token: accessToken,
                  token_type: 'Bearer',
                  refresh_token: 'r',
                  expiry: '2030-01-01T00:00:00Z',
                }
              : { access_token: accessToken },
          );
          const value =
            how === 'plain'
              ? json
              : how === 'once'
                ? encodeURIComponent(json)
                : how === 'twice'
                  ? encodeURIComponent(encodeURIComponent(json))
                  : how === 'quoted'
                    ? `"${encodeURIComponent(json)}"`
                    : encodeURIComponent(`wrap(${json})`);
          const jar = Object.entries(others)
            .filter(([name]) => name !== USER_TOKEN_COOKIE)
            .map(([name, v]) => `${name}=${encode(v)}`);
          setCookie([...jar, `${USER_TOKEN_COOKIE}=${value}`].join('; '));
          const result = readUserToken(readRawCookie(USER_TOKEN_COOKIE), NOW);
          expect(result.ok && result.token.accessToken === accessToken).toBe(true);
        },
      ),
      { numRuns: 500, seed },
    );
  });
});
