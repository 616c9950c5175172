/**
 * Fuzzing the first screen: whatever the URL path and the cookie jar hold, reading the credentials
 * never throws, always gives a typed result, and never puts the API key into a failure or into the
 * explanation the operator reads. 10,500 generated cases in all (fast-check, fixed seed so a failure
 * reproduces; set FUZZ_SEED to explore).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readCookieJar } from '../../src/lib/cookie-jar.ts';
import { readCredentials, type CredentialResult } from '../../src/lib/credentials.ts';
import { explainCredentialFailure } from '../../src/lib/explanations.ts';

const seed = Number(process.env['FUZZ_SEED'] ?? 20240611);
const REASONS = new Set([
  'no-machine-in-path',
  'no-cookie',
  'not-json',
  'unsupported-credential-type',
  'bad-fields',
]);
const FIELDS = new Set(['hostname', 'machineId', 'apiKeyId', 'apiKey']);
const PROBLEMS = new Set(['missing', 'empty', 'wrong-type', 'invalid']);

/** A secret that cannot occur by chance in the app's own wording: a fixed marker plus random text. */
const secretArb = fc
  .tuple(
    fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('')),
      minLength: 8,
      maxLength: 40,
    }),
    fc.constantFrom('', 'é', '\u200f', '😀', '%', '"', '\\', '</script>'),
  )
  .map(([body, tail]) => `SeCrEt${body}${tail}`);

/** Strings of every flavour: ASCII, full unicode (with lone surrogates), grapheme clusters, huge ones. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', ' ', '\u200b', '\u202e', 'null', '%', '%E0%A4%A', '%ZZ', '{', '{"', '[]', '\ud800'),
  fc.integer({ min: 1, max: 40_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON-ish value for a field: the right type, the wrong type, or nothing. */
const fieldValue = (good: fc.Arbitrary<string>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: good },
    { weight: 1, arbitrary: anyText },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, 0, -1, 1e308, true, false, [], {}, ['x']) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );

const hostnameArb = fc.oneof(
  fc.domain(),
  fc.constantFrom('rover.local', 'http://localhost:8080', 'a b', 'https://user:pw@host', 'x/y', '-bad'),
  anyText,
);

/** A cookie value that is meant to be the platform's JSON, more or less well formed. */
const credentialJson = (secret: string, machineKey: string) =>
  fc
    .record(
      {
        apiKey: fc.oneof(
          fc.record(
            { id: fieldValue(fc.uuid()), key: fieldValue(fc.constant(secret)) },
            { requiredKeys: [] },
          ),
          fc.constantFrom(undefined, null, 'x', [secret], secret),
        ),
        credentials: fc.oneof(
          fc.record(
            {
              type: fc.oneof(
                fc.constantFrom('api-key', 'robot-secret', '', 'access-token'),
                fc.string(),
                fc.integer(),
              ),
              authEntity: fieldValue(fc.uuid()),
              payload: fieldValue(fc.constant(secret)),
            },
            { requiredKeys: [] },
          ),
          fc.constantFrom(undefined, null, 7, secret),
        ),
        hostname: fieldValue(fc.oneof(fc.constant(machineKey), hostnameArb)),
        machineId: fieldValue(fc.oneof(fc.constant(machineKey), fc.uuid())),
        id: fieldValue(fc.uuid()),
        key: fieldValue(fc.constant(secret)),
        timestamp: fc.oneof(fc.integer(), fc.double(), fc.string()),
        extra: fc.jsonValue({ maxDepth: 4 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o));

/** How the value reaches the reader: as is, encoded once or twice, cut short, padded, wrapped. */
const mangle = (text: string) =>
  fc.oneof(
    fc.constant(text),
    fc.constant(encodeURIComponent(text)),
    fc.constant(encodeURIComponent(encodeURIComponent(text))),
    fc.nat({ max: Math.max(0, text.length) }).map((n) => text.slice(0, n)),
    fc.nat({ max: Math.max(0, text.length) }).map((n) => encodeURIComponent(text).slice(0, n)),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `${text}${' '.repeat(n)}`),
    fc.constant(`[${text}]`),
    fc.constant(`"${text}"`),
    anyText.map((junk) => `${text}${junk}`),
    fc.constant(text.replace(/%/g, '%Z')),
  );

const keyArb = fc.oneof(
  fc.constantFrom('rover.local', 'sim-rover-main.local', '5c1e0a3b-7d2f-4e6a-9b8c-0d1e2f3a4b5c'),
  fc.uuid(),
  fc.domain(),
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
);

/** A page path around a machine key; the secret may sit in the query or the fragment, never the key. */
const pathArb = (machineKey: string, secret: string) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(`/machine/${encodeURIComponent(machineKey)}/`) },
    fc.constant(`/machine/${encodeURIComponent(machineKey)}/index.html?key=${encodeURIComponent(secret)}`),
    fc.constant(`/machine/${encodeURIComponent(machineKey)}#${secret}`),
    fc.constant(`/prefix/machine/${encodeURIComponent(machineKey)}`),
    fc.constant(`/machine/${machineKey}/`),
    fc.constantFrom(
      '/',
      '',
      '/machine',
      '/machine/',
      '/machine//',
      '/machine/%',
      '/machine/%E0%A4%A/',
      '/machine/%20/',
    ),
    anyText,
  );

interface Case {
  secret: string;
  path: string;
  jar: Record<string, string | undefined>;
}

/** A whole jar: maybe the machine's cookie, maybe decoys under other names, maybe junk. */
const jarCase: fc.Arbitrary<Case> = fc.tuple(secretArb, keyArb).chain(([secret, machineKey]) =>
  fc.record({
    secret: fc.constant(secret),
    path: pathArb(machineKey, secret),
    jar: fc
      .tuple(
        fc.option(credentialJson(secret, machineKey).chain(mangle), { nil: undefined }),
        fc.array(fc.tuple(fc.oneof(keyArb, anyText), fc.oneof(credentialJson(secret, machineKey), anyText)), {
          maxLength: 5,
        }),
      )
      .map(([own, others]) => {
        const jar: Record<string, string | undefined> = {};
        for (const [name, value] of others) jar[name] = value;
        if (own !== undefined) jar[machineKey] = own;
        return jar;
      }),
  }),
);

/** Every property of a result is what the types say, and the secret is in no failure or explanation. */
function expectTypedAndSecretFree(result: CredentialResult, secret: string): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    for (const v of Object.values(result.credentials)) expect(typeof v).toBe('string');
    expect(result.credentials.hostname).not.toBe('');
    expect(result.credentials.apiKey).not.toBe('');
    return;
  }
  const failure = result.failure;
  expect(REASONS.has(failure.reason)).toBe(true);
  if (failure.reason === 'bad-fields') {
    expect(failure.fields.length).toBeGreaterThan(0);
    for (const f of failure.fields) {
      expect(FIELDS.has(f.field)).toBe(true);
      expect(PROBLEMS.has(f.problem)).toBe(true);
    }
  }
  expect(JSON.stringify(failure)).not.toContain(secret);
  const explanation = explainCredentialFailure(failure);
  expect(explanation.id).toBe(failure.reason);
  for (const text of [explanation.title, explanation.what, ...explanation.steps]) {
    expect(typeof text).toBe('string');
    expect(text).not.toContain(secret);
  }
}

const setCookie = (cookie: string) => {
  (globalThis as { document?: { cookie: string } }).document = { cookie };
};
afterEach(() => {
  delete (globalThis as { document?: unknown }).document;
});

describe('fuzz: credentials from the cookie jar', () => {
  it('5,000 generated jars and paths: typed result, no throw, no secret in any message', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(jarCase, ({ secret, path, jar }) => {
        const result = readCredentials(path, jar);
        expectTypedAndSecretFree(result, secret);
        const outcome = result.ok ? 'ok' : result.failure.reason;
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 5000, seed },
    );
    // The generator reaches every outcome, success included, so the property says something.
    expect([...seen.keys()].sort()).toEqual(['ok', ...REASONS].sort());
    for (const count of seen.values()) expect(count).toBeGreaterThan(25);
  });

  it('3,000 raw document.cookie strings through js-cookie (broken percent-encoding, several cookies)', () => {
    const raw = fc.tuple(secretArb, keyArb).chain(([secret, machineKey]) =>
      fc.record({
        secret: fc.constant(secret),
        path: pathArb(machineKey, secret),
        cookie: fc
          .array(
            fc.oneof(
              credentialJson(secret, machineKey)
                .chain(mangle)
                .map((v) => `${encodeURIComponent(machineKey)}=${v}`),
              fc.tuple(anyText, anyText).map(([n, v]) => `${n}=${v}`),
              anyText,
              fc.constantFrom('=', ';', '=;=', 'a=%', 'b=%E0%A4%A', 'c=%ZZ%', 'd="quoted"', '%FF=1'),
            ),
            { maxLength: 6 },
          )
          .map((parts) => parts.join('; ')),
      }),
    );
    fc.assert(
      fc.property(raw, ({ secret, path, cookie }) => {
        setCookie(cookie);
        const jar = readCookieJar();
        expect(typeof jar).toBe('object');
        expectTypedAndSecretFree(readCredentials(path, jar), secret);
      }),
      { numRuns: 3000, seed },
    );
  });

  it('2,500 jars of arbitrary names and values (anything a browser could hold)', () => {
    fc.assert(
      fc.property(
        secretArb,
        anyText,
        fc.dictionary(anyText, fc.oneof(anyText, fc.constant(undefined)), { maxKeys: 6 }),
        (secret, path, jar) => {
          expectTypedAndSecretFree(readCredentials(path, jar), secret);
        },
      ),
      { numRuns: 2500, seed },
    );
  });

  it('a secret in ANY string field of the cookie (even the wrong one) never reaches a message', () => {
    const paths = [
      ['apiKey', 'id'],
      ['apiKey', 'key'],
      ['credentials', 'type'],
      ['credentials', 'authEntity'],
      ['credentials', 'payload'],
      ['hostname'],
      ['id'],
      ['key'],
      ['timestamp'],
    ] as const;
    fc.assert(
      fc.property(
        secretArb,
        fc.uuid(),
        fc.subarray([...paths], { minLength: 1 }),
        fc.boolean(),
        (secret, machineId, where, encoded) => {
          const cookie: Record<string, Record<string, string> | string> = {
            apiKey: { id: 'key-id', key: 'k' },
            credentials: { type: 'api-key', authEntity: 'key-id', payload: 'k' },
            hostname: 'rover-main.abc123.viam.cloud',
            machineId,
          };
          for (const [first, second] of where) {
            const parent = cookie[first];
            if (second === undefined) cookie[first] = secret;
            else if (typeof parent === 'object') parent[second] = secret;
          }
          const text = JSON.stringify(cookie);
          const jar = { [machineId]: encoded ? encodeURIComponent(text) : text };
          expectTypedAndSecretFree(readCredentials(`/machine/${machineId}/`, jar), secret);
        },
      ),
      { numRuns: 500, seed },
    );
  });

  it('a well-formed cookie is always read, whatever else the jar holds', () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.uuid(),
        fc.dictionary(anyText, anyText, { maxKeys: 4 }),
        (secret, machineId, others) => {
          const value = JSON.stringify({
            apiKey: { id: 'key-id', key: secret },
            credentials: { type: 'api-key', authEntity: 'key-id', payload: secret },
            hostname: 'rover-main.abc123.viam.cloud',
            machineId,
          });
          const jar = { ...others, [machineId]: value };
          const result = readCredentials(`/machine/${machineId}/`, jar);
          expect(result.ok && result.credentials.apiKey === secret).toBe(true);
        },
      ),
      { numRuns: 500, seed },
    );
  });
});
