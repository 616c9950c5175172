import { afterEach, describe, expect, it } from 'vitest';
import { readCookieJar } from '../../src/lib/cookie-jar.ts';
import { machineKeyFromPath, readCredentials, type CredentialResult } from '../../src/lib/credentials.ts';

const SECRET = 'sEcReT-key-0123456789abcdef';

/** Reads credentials the way the app does: through js-cookie, from a literal `document.cookie`. */
function fromCookieString(path: string, cookie: string): CredentialResult {
  (globalThis as { document?: { cookie: string } }).document = { cookie };
  return readCredentials(path, readCookieJar());
}

afterEach(() => {
  delete (globalThis as { document?: unknown }).document;
});

const production = encodeURIComponent(
  JSON.stringify({
    apiKey: { id: 'key-id-1', key: SECRET },
    credentials: { type: 'api-key', authEntity: 'key-id-1', payload: SECRET },
    hostname: 'rover-main.abc123.viam.cloud',
    machineId: 'f0e1d2c3-0000-4000-8000-000000000001',
    id: 'key-id-1',
    key: SECRET,
    timestamp: 1764120000,
  }),
);
const localTesting = encodeURIComponent(
  JSON.stringify({
    apiKey: { id: 'key-id-2', key: SECRET },
    credentials: { type: 'api-key', authEntity: 'key-id-2', payload: SECRET },
    hostname: 'rover-main.abc123.viam.cloud',
    machineId: 'machine-2',
  }),
);

const expectOk = (result: CredentialResult) => {
  if (!result.ok) throw new Error(`expected credentials, got ${JSON.stringify(result.failure)}`);
  return result.credentials;
};
const expectFailure = (result: CredentialResult) => {
  if (result.ok) throw new Error('expected a failure');
  expect(JSON.stringify(result.failure)).not.toContain(SECRET);
  return result.failure;
};

describe('machineKeyFromPath', () => {
  it.each([
    ['/machine/k', 'k'],
    ['/machine/k/', 'k'],
    ['/machine/k/index.html', 'k'],
    ['/machine/k/?x=1', 'k'],
    ['/machine/k?x=1#frag', 'k'],
    ['/machine/k#/deep/link', 'k'],
    ['/prefix/machine/rover.local/', 'rover.local'],
    ['/machine/a%20b/', 'a b'],
  ])('%s -> %s', (path, key) => {
    expect(machineKeyFromPath(path)).toBe(key);
  });

  it.each([
    '/',
    '',
    '/machine',
    '/machine/',
    '/machines/k',
    '/machine//x',
    '/machine/%E0%A4/',
    '/machine/%20/',
  ])('no key in %j', (path) => {
    expect(machineKeyFromPath(path)).toBeUndefined();
  });
});

describe('readCredentials', () => {
  it('reads the production shape', () => {
    const c = expectOk(fromCookieString('/machine/f0e1/', `f0e1=${production}`));
    expect(c).toEqual({
      machineKey: 'f0e1',
      hostname: 'rover-main.abc123.viam.cloud',
      machineId: 'f0e1d2c3-0000-4000-8000-000000000001',
      apiKeyId: 'key-id-1',
      apiKey: SECRET,
    });
  });

  it('reads the local-app-testing shape (apiKey + credentials only)', () => {
    const c = expectOk(
      fromCookieString(
        '/machine/rover-main.abc123.viam.cloud',
        `other=1; rover-main.abc123.viam.cloud=${localTesting}`,
      ),
    );
    expect(c.apiKeyId).toBe('key-id-2');
    expect(c.apiKey).toBe(SECRET);
    expect(c.machineId).toBe('machine-2');
  });

  it('reads credentials-only cookies (no apiKey object)', () => {
    const value = encodeURIComponent(
      JSON.stringify({
        credentials: { type: 'api-key', authEntity: 'e', payload: SECRET },
        hostname: 'h.local',
        machineId: 'm',
      }),
    );
    const c = expectOk(fromCookieString('/machine/m/', `m=${value}`));
    expect(c.apiKeyId).toBe('e');
    expect(c.apiKey).toBe(SECRET);
  });

  it('reads the legacy top-level id/key', () => {
    const value = encodeURIComponent(
      JSON.stringify({ id: 'legacy-id', key: SECRET, hostname: 'h.viam.cloud', machineId: 'm' }),
    );
    const c = expectOk(fromCookieString('/machine/m', `m=${value}`));
    expect(c.apiKeyId).toBe('legacy-id');
    expect(c.apiKey).toBe(SECRET);
  });

  it('accepts a value that is percent-encoded twice', () => {
    const c = expectOk(fromCookieString('/machine/m/', `m=${encodeURIComponent(localTesting)}`));
    expect(c.hostname).toBe('rover-main.abc123.viam.cloud');
  });

  it('accepts a value that is not percent-encoded at all', () => {
    const raw = JSON.stringify({ apiKey: { id: 'i', key: SECRET }, hostname: 'h.local', machineId: 'm' });
    const c = expectOk(fromCookieString('/machine/m/', `m=${raw}`));
    expect(c.apiKeyId).toBe('i');
  });

  it('accepts a quoted cookie value', () => {
    const c = expectOk(fromCookieString('/machine/m/', `m="${localTesting}"`));
    expect(c.apiKeyId).toBe('key-id-2');
  });

  it('finds the cookie by machineId when the path key names no cookie', () => {
    const c = expectOk(fromCookieString('/machine/machine-2/', `unrelated=%7B%7D; rover=${localTesting}`));
    expect(c.machineKey).toBe('machine-2');
    expect(c.hostname).toBe('rover-main.abc123.viam.cloud');
  });

  it('finds the cookie by hostname when the path key names no cookie', () => {
    const c = expectOk(
      fromCookieString('/machine/rover-main.abc123.viam.cloud/index.html?x#y', `some-id=${localTesting}`),
    );
    expect(c.apiKeyId).toBe('key-id-2');
  });

  it('works with the key path under query and fragment', () => {
    expectOk(
      fromCookieString(
        '/machine/f0e1/index.html?signaling=https://evil.example#host=evil',
        `f0e1=${production}`,
      ),
    );
  });

  it('fails: no machine in the path', () => {
    expect(expectFailure(fromCookieString('/', `f0e1=${production}`))).toEqual({
      reason: 'no-machine-in-path',
    });
  });

  it('fails: no cookie for the machine', () => {
    expect(expectFailure(fromCookieString('/machine/nope/', `f0e1=${production}`))).toEqual({
      reason: 'no-cookie',
      machineKey: 'nope',
    });
    expect(expectFailure(fromCookieString('/machine/nope/', ''))).toEqual({
      reason: 'no-cookie',
      machineKey: 'nope',
    });
  });

  it('fails: not JSON', () => {
    expect(expectFailure(fromCookieString('/machine/m/', 'm=not-json'))).toEqual({
      reason: 'not-json',
      machineKey: 'm',
    });
    expect(expectFailure(fromCookieString('/machine/m/', `m=${encodeURIComponent('{"apiKey":')}`))).toEqual({
      reason: 'not-json',
      machineKey: 'm',
    });
    expect(expectFailure(fromCookieString('/machine/m/', `m=${encodeURIComponent('[1,2]')}`))).toEqual({
      reason: 'not-json',
      machineKey: 'm',
    });
  });

  it('fails: missing fields, named', () => {
    const value = encodeURIComponent(JSON.stringify({ apiKey: { key: SECRET } }));
    const failure = expectFailure(fromCookieString('/machine/m/', `m=${value}`));
    expect(failure).toEqual({
      reason: 'bad-fields',
      machineKey: 'm',
      fields: [
        { field: 'apiKeyId', problem: 'missing' },
        { field: 'hostname', problem: 'missing' },
        { field: 'machineId', problem: 'missing' },
      ],
    });
  });

  it('fails: empty and wrong-typed fields, named, values never shown', () => {
    const value = encodeURIComponent(
      JSON.stringify({ apiKey: { id: '  ', key: 42 }, hostname: '', machineId: { x: SECRET } }),
    );
    const failure = expectFailure(fromCookieString('/machine/m/', `m=${value}`));
    expect(failure).toEqual({
      reason: 'bad-fields',
      machineKey: 'm',
      fields: [
        { field: 'apiKeyId', problem: 'empty' },
        { field: 'apiKey', problem: 'wrong-type' },
        { field: 'hostname', problem: 'empty' },
        { field: 'machineId', problem: 'wrong-type' },
      ],
    });
  });

  it('fails: a hostname that is not a host', () => {
    const value = encodeURIComponent(
      JSON.stringify({ apiKey: { id: 'i', key: SECRET }, hostname: 'evil.example/path?x', machineId: 'm' }),
    );
    expect(expectFailure(fromCookieString('/machine/m/', `m=${value}`))).toEqual({
      reason: 'bad-fields',
      machineKey: 'm',
      fields: [{ field: 'hostname', problem: 'invalid' }],
    });
  });

  it('fails: a credential type other than api-key', () => {
    const value = encodeURIComponent(
      JSON.stringify({
        credentials: { type: 'robot-secret', authEntity: 'h', payload: SECRET },
        hostname: 'h.local',
        machineId: 'm',
      }),
    );
    expect(expectFailure(fromCookieString('/machine/m/', `m=${value}`))).toEqual({
      reason: 'unsupported-credential-type',
      machineKey: 'm',
      credentialType: 'robot-secret',
    });
  });

  it('skips a cookie with broken percent-encoding instead of throwing', () => {
    expect(expectFailure(fromCookieString('/machine/m/', 'm=%E0%A4%A'))).toMatchObject({ machineKey: 'm' });
    expectOk(fromCookieString('/machine/f0e1/', `bad=%E0%A4; f0e1=${production}`));
  });

  it('ignores prototype keys as cookie names', () => {
    expect(expectFailure(fromCookieString('/machine/__proto__/', 'a=b'))).toEqual({
      reason: 'no-cookie',
      machineKey: '__proto__',
    });
    expect(expectFailure(fromCookieString('/machine/constructor/', 'a=b'))).toEqual({
      reason: 'no-cookie',
      machineKey: 'constructor',
    });
  });
});
