/**
 * The self-hosting server's pure parts: configuration (what it refuses to start with), secrets (read
 * at request time, trimmed, clear problems), request paths (nothing leaves dist/), the session
 * cookie and the failed-login limit. The server as a whole is tested end to end in
 * tests/e2e/self-host.spec.ts.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isLoopback, loadConfig } from '../../src/server/config.mjs';
import { injectBaseHref, metaPolicy, route } from '../../src/server/files.mjs';
import {
  FailureLimiter,
  SESSION_TTL_MS,
  issueSession,
  passwordMatches,
  sessionValid,
  signingKey,
} from '../../src/server/gate.mjs';
import { safeNext } from '../../src/server/handler.mjs';
import { readSecret, secretSpec } from '../../src/server/secrets.mjs';

const dir = mkdtempSync(join(tmpdir(), 'serve-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MACHINE_ENV = {
  VIAM_MACHINE_HOST: 'rover-main.abc.viam.cloud',
  VIAM_API_KEY_ID: 'key-id',
  VIAM_API_KEY: 'key-secret',
};

describe('configuration', () => {
  it('listens on loopback by default and needs no gate there', () => {
    const config = loadConfig([], MACHINE_ENV);
    expect(config.host).toBe('127.0.0.1');
    expect(config.loopback).toBe(true);
    expect(config.gate.kind).toBe('none');
    expect(config.secureCookies).toBe(false);
    expect(config.allowedHosts?.has('localhost')).toBe(true);
    expect(config.allowedHosts?.has('evil.example')).toBe(false);
  });

  it('refuses any other interface without an access gate', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'rover.example.com', '10.0.0.1']) {
      expect(() => loadConfig(['--host', host], MACHINE_ENV), host).toThrow(/without an access gate/);
    }
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(host), host).toBe(true);
  });

  it('accepts a password or a trusted proxy header (with the proxy’s addresses) as the gate', () => {
    const withPassword = loadConfig(['--host=0.0.0.0'], {
      ...MACHINE_ENV,
      VIAM_SERVE_PASSWORD_FILE: '/run/x',
    });
    expect(withPassword.gate.kind).toBe('password');
    expect(withPassword.secureCookies).toBe(true);
    expect(withPassword.allowedHosts).toBeUndefined();
    const proxied = loadConfig(['--host', '0.0.0.0'], {
      ...MACHINE_ENV,
      VIAM_SERVE_PROXY_USER_HEADER: 'X-Forwarded-User',
      VIAM_SERVE_PROXY_ADDRESSES: '10.0.0.5, 127.0.0.1',
    });
    expect(proxied.gate).toMatchObject({ kind: 'proxy', header: 'x-forwarded-user' });
    expect(proxied.gate.kind === 'proxy' && proxied.gate.addresses.has('::ffff:10.0.0.5')).toBe(true);
    expect(() =>
      loadConfig(['--host', '0.0.0.0'], { ...MACHINE_ENV, VIAM_SERVE_PROXY_USER_HEADER: 'X-Forwarded-User' }),
    ).toThrow(/PROXY_ADDRESSES/);
    expect(() =>
      loadConfig([], {
        ...MACHINE_ENV,
        VIAM_SERVE_PROXY_USER_HEADER: 'X-User',
        VIAM_SERVE_PROXY_ADDRESSES: 'proxy.local',
      }),
    ).toThrow(/not an IP/);
    expect(() =>
      loadConfig([], {
        ...MACHINE_ENV,
        VIAM_SERVE_PASSWORD: 'p'.repeat(20),
        VIAM_SERVE_PROXY_USER_HEADER: 'X-User',
      }),
    ).toThrow(/choose one/);
  });

  it('says what is missing or contradictory', () => {
    expect(() => loadConfig([], {})).toThrow(/nothing to serve/);
    expect(() => loadConfig([], { VIAM_MACHINE_HOST: 'rover-main.abc.viam.cloud' })).toThrow(
      /VIAM_API_KEY_ID/,
    );
    expect(() => loadConfig([], { ...MACHINE_ENV, VIAM_API_KEY_FILE: '/run/secrets/key' })).toThrow(
      /not both/,
    );
    expect(() => loadConfig([], { ...MACHINE_ENV, VIAM_MACHINE_HOST: 'a b' })).toThrow(/machine address/);
    expect(() => loadConfig(['--port', '70000'], MACHINE_ENV)).toThrow(/port/);
    expect(() => loadConfig(['--verbose'], MACHINE_ENV)).toThrow(/unknown argument/);
    expect(() => loadConfig([], { VIAM_FLEET_API_KEY: 'k' })).toThrow(/VIAM_FLEET_API_KEY_ID/);
    expect(loadConfig([], { VIAM_FLEET_API_KEY_ID: 'i', VIAM_FLEET_API_KEY_FILE: '/k' }).fleet).toBeDefined();
  });

  it('never quotes a secret in its refusals', () => {
    const secret = 'very-secret-value-123';
    const attempts = [
      () => loadConfig(['--host', '0.0.0.0'], { ...MACHINE_ENV, VIAM_API_KEY: secret }),
      () => loadConfig([], { ...MACHINE_ENV, VIAM_API_KEY: secret, VIAM_API_KEY_FILE: '/x' }),
    ];
    for (const attempt of attempts) {
      let message = '';
      try {
        attempt();
      } catch (error) {
        message = String(error);
      }
      expect(message).toMatch(/ConfigError/);
      expect(message).not.toContain(secret);
    }
  });
});

describe('secrets', () => {
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('trims surrounding spaces and newlines, from a file or the environment', () => {
    const path = file('key', '  abc123DEF \r\n\n');
    expect(readSecret(secretSpec('VIAM_API_KEY', { VIAM_API_KEY_FILE: path }))).toEqual({
      ok: true,
      value: 'abc123DEF',
    });
    expect(readSecret(secretSpec('VIAM_API_KEY', { VIAM_API_KEY: '\tabc\n' }))).toEqual({
      ok: true,
      value: 'abc',
    });
  });

  it('turns an empty, missing, unreadable or mangled file into a problem that names the file, not the value', () => {
    const cases: [string, RegExp][] = [
      [file('empty', ''), /is empty/],
      [file('blank', ' \n\n \t'), /is empty/],
      [join(dir, 'nope'), /does not exist/],
      [(mkdirSync(join(dir, 'a-dir'), { recursive: true }), join(dir, 'a-dir')), /is a directory/],
      [file('two-lines', 'abc\ndef\n'), /whitespace inside/],
      [file('huge', 'x'.repeat(10_000)), /larger than a secret/],
    ];
    for (const [path, problem] of cases) {
      const result = readSecret(secretSpec('VIAM_API_KEY', { VIAM_API_KEY_FILE: path }));
      expect(result.ok, path).toBe(false);
      const text = result.ok ? '' : result.problem;
      expect(text).toMatch(problem);
      expect(text).toContain('VIAM_API_KEY_FILE');
      expect(text).toContain(path);
      expect(text).not.toContain('def');
    }
    const denied = readSecret(secretSpec('K', { K_FILE: '/x' }), {
      read: () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    });
    expect(denied).toEqual({ ok: false, problem: 'K_FILE (/x) cannot be read (permission denied)' });
  });

  it('lets a password hold spaces, never line breaks', () => {
    const spec = secretSpec('VIAM_SERVE_PASSWORD', {
      VIAM_SERVE_PASSWORD: ' correct horse battery staple \n',
    });
    expect(readSecret(spec, { spacesInside: true })).toEqual({
      ok: true,
      value: 'correct horse battery staple',
    });
    const broken = secretSpec('VIAM_SERVE_PASSWORD', { VIAM_SERVE_PASSWORD: 'one\ntwo' });
    expect(readSecret(broken, { spacesInside: true }).ok).toBe(false);
  });

  it('is read again each time, so a rotated file takes effect', () => {
    const path = file('rotating', 'first');
    const spec = secretSpec('VIAM_API_KEY', { VIAM_API_KEY_FILE: path });
    expect(readSecret(spec)).toEqual({ ok: true, value: 'first' });
    writeFileSync(path, 'second\n');
    expect(readSecret(spec)).toEqual({ ok: true, value: 'second' });
  });
});

describe('request paths', () => {
  it('strips /machine/<key>/ and names files inside dist/', () => {
    expect(route('/machine/rover-main.abc.viam.cloud/')).toEqual({
      kind: 'machine',
      key: 'rover-main.abc.viam.cloud',
      file: 'index.html',
    });
    expect(route('/machine/5c1e0a3b-7d2f-4e6a-9b8c-0d1e2f3a4b5c/assets/index-Ab12.js?v=1')).toEqual({
      kind: 'machine',
      key: '5c1e0a3b-7d2f-4e6a-9b8c-0d1e2f3a4b5c',
      file: 'assets/index-Ab12.js',
    });
    expect(route('/fleet/')).toEqual({ kind: 'fleet', file: 'fleet.html' });
    expect(route('/fleet/assets/a.js')).toEqual({ kind: 'fleet', file: 'assets/a.js' });
    expect(route('/')).toEqual({ kind: 'root' });
  });

  it('refuses every traversal, encoded or not', () => {
    const attempts = [
      '/machine/../../etc/passwd',
      '/machine/x/../../../etc/passwd',
      '/machine/x/assets/../../../../etc/passwd',
      '/machine/x/%2e%2e/%2e%2e/etc/passwd',
      '/machine/x/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      '/machine/x/..%2f..%2fetc%2fpasswd',
      '/machine/x/..%5c..%5cetc%5cpasswd',
      '/machine/x/..\\..\\etc\\passwd',
      '/machine/%2e%2e/etc/passwd',
      '/machine/x/./index.html',
      '/machine/x//etc/passwd',
      '//etc/passwd',
      '/machine/x/%00',
      '/machine/x/assets%00.js',
      '/machine/x/%zz',
      '/machine/x/.env',
      '/machine/x/.git/config',
      '/fleet/../index.html',
      'http://localhost/../etc/passwd',
      '/etc/passwd',
      '/dist/index.html',
    ];
    for (const attempt of attempts) expect(route(attempt).kind, attempt).toBe('bad');
    // Double encoding decodes once: a literal '%2e%2e' is only a strange file name, looked up in dist/.
    const double = route('/machine/x/%252e%252e/etc/passwd');
    expect(double.kind === 'machine' && double.file).toBe('%2e%2e/etc/passwd');
  });

  it('never names a file with a dot segment, whatever the path (fuzzed)', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E.', '.%2e', '%2f', '%5c', '%00', 'assets', 'x', ''),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const r = route(`/machine/key/${segments.join('/')}`);
        if (r.kind !== 'machine') return;
        const parts = r.file.split('/');
        expect(parts.some((p) => p === '..' || p === '.' || p === '' || p.includes('\\'))).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('injects the platform’s <base href> and reads the page’s own CSP', () => {
    const html =
      '<html><head><meta http-equiv="Content-Security-Policy" content="script-src &#39;self&#39;"><base href="/x/"></head></html>';
    const out = injectBaseHref(html, '/machine/a"b/');
    expect(out).toContain('<base href="/machine/a&quot;b/">');
    expect(out.match(/<base/g)).toHaveLength(1);
    expect(metaPolicy(html)).toBe("script-src 'self'");
  });

  it('sends the login form back only to a path on this site', () => {
    expect(safeNext('/machine/x/')).toBe('/machine/x/');
    for (const next of [
      '//evil.example/',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      'x',
      null,
    ])
      expect(safeNext(next)).toBe('/');
  });
});

describe('the access gate', () => {
  const key = signingKey('session-secret', 'operator password');
  const now = Date.UTC(2026, 11, 1);

  it('compares passwords exactly', () => {
    expect(passwordMatches('operator password', 'operator password')).toBe(true);
    expect(passwordMatches('operator passwor', 'operator password')).toBe(false);
    expect(passwordMatches('', 'operator password')).toBe(false);
  });

  it('accepts its own session until it expires, and nothing tampered or signed otherwise', () => {
    const session = issueSession(key, now);
    expect(sessionValid(key, session, now + 1000)).toBe(true);
    expect(sessionValid(key, session, now + SESSION_TTL_MS + 1)).toBe(false);
    const [v, expiry, nonce, signature] = session.split('.');
    expect(sessionValid(key, `${v}.${Number(expiry) + 1000}.${nonce}.${signature}`, now)).toBe(false);
    expect(
      sessionValid(
        key,
        `${v}.${expiry}.${nonce}.${signature?.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
        now,
      ),
    ).toBe(false);
    // A new password (or session secret) ends every session.
    expect(sessionValid(signingKey('session-secret', 'new password!!'), session, now)).toBe(false);
    expect(sessionValid(signingKey('other-secret', 'operator password'), session, now)).toBe(false);
    for (const junk of [undefined, '', 'v1', 'x'.repeat(500), `${session}x`])
      expect(sessionValid(key, junk, now)).toBe(false);
  });

  it('limits failed logins per client and in total, over a sliding window', () => {
    const limiter = new FailureLimiter({ perClient: 3, total: 5, windowMs: 60_000 });
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.retryAfterMs('a', now + i)).toBe(0);
      limiter.fail('a', now + i);
    }
    expect(limiter.retryAfterMs('a', now + 10)).toBe(60_000 - 10);
    expect(limiter.retryAfterMs('b', now + 10)).toBe(0);
    expect(limiter.retryAfterMs('a', now + 60_001)).toBe(0);
    // Many clients: the total limit holds even for a fresh address.
    const flood = new FailureLimiter({ perClient: 3, total: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i += 1) flood.fail(`client-${i}`, now);
    expect(flood.retryAfterMs('fresh', now + 1)).toBeGreaterThan(0);
    // Success clears a client's own record.
    const ok = new FailureLimiter({ perClient: 2, total: 100, windowMs: 60_000 });
    ok.fail('c', now);
    ok.succeed('c');
    ok.fail('c', now + 1);
    expect(ok.retryAfterMs('c', now + 2)).toBe(0);
  });

  it('keeps a bounded table under a flood of addresses', () => {
    const limiter = new FailureLimiter({ perClient: 2, total: 1_000_000, windowMs: 60_000, maxClients: 100 });
    for (let i = 0; i < 10_000; i += 1) limiter.fail(`10.0.${i >> 8}.${i & 255}`, now);
    limiter.fail('last', now);
    limiter.fail('last', now);
    expect(limiter.retryAfterMs('last', now)).toBeGreaterThan(0);
  });
});
