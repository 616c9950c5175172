/**
 * `npm run serve`, end to end: the production build served by the self-hosting server (plain `node`,
 * nothing but environment variables), against the e2e stack's simulated machine, opened in Chromium.
 * Checked: the app connects through it; the key is in no file it serves and in none of its logs; the
 * headers (CSP with frame-ancestors, Referrer-Policy, nosniff, cache rules); a non-loopback bind
 * without a gate refuses to start; bad secrets files keep it up and say so; traversal attempts never
 * leave dist/; the password gate and its failed-login limit; the trusted proxy header; the fleet
 * app's API-key cookie.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, relative, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { FLEET_API_KEYS, FLEET_MACHINES } from '../sim/cloud/defaults.ts';
import { DEFAULT_API_KEY, DEFAULT_API_KEY_ID } from '../sim/server.ts';
import { expect, test } from './fixtures.ts';
import { E2E_SIM_URL } from './ports.ts';

const portBase = Number(process.env['E2E_PORT_BASE'] ?? 0);
const root = resolve(import.meta.dirname, '../..');
const work = join(root, `dist-e2e-serve-${portBase}`);
const dist = join(work, 'dist');
const HOST = 'sim-rover-main.local';
/** A file beside dist/ that no request may reach. */
const OUTSIDE_MARKER = 'outside-dist-0b7f3c9e';
let nextPort = 19200 + portBase;

interface Served {
  readonly process: ChildProcess;
  readonly port: number;
  readonly url: string;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** The server as an operator starts it: `node src/server/serve.mjs`, only the given environment. */
function startServer(env: Record<string, string>, args: string[] = []): Served {
  const port = nextPort++;
  const proc = spawn(
    process.execPath,
    ['src/server/serve.mjs', '--port', String(port), '--dist', dist, ...args],
    {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  proc.stdout.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
  return { process: proc, port, url: `http://localhost:${port}`, output: () => output, exited };
}

async function listening(server: Served): Promise<void> {
  await expect.poll(() => server.output(), { timeout: 10_000 }).toContain('listening on');
}

async function stop(server: Served | undefined): Promise<void> {
  if (!server || server.process.exitCode !== null) return;
  server.process.kill('SIGTERM');
  await server.exited;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with its path exactly as given (fetch would normalise `..` away). */
function raw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `localhost:${port}`, ...options.headers },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('latin1')));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [relative(dist, full)];
  });
}

async function expectConnected(page: Page): Promise<void> {
  await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
}

const machineEnv = (keyFile: string): Record<string, string> => ({
  VIAM_MACHINE_HOST: HOST,
  VIAM_API_KEY_ID: DEFAULT_API_KEY_ID,
  VIAM_API_KEY_FILE: keyFile,
});

test.describe('self-hosting (npm run serve)', () => {
  let server: Served | undefined;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    // The production build, signaling at the e2e stack's simulated machine.
    const built = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--outDir', dist, '--logLevel', 'warn'],
      {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'production', VIAM_SIGNALING_ADDRESS: E2E_SIM_URL },
        encoding: 'utf8',
      },
    );
    expect(built.status, built.stderr).toBe(0);
    writeFileSync(join(work, 'outside.txt'), OUTSIDE_MARKER);
    symlinkSync(join(work, 'outside.txt'), join(dist, 'assets', 'leak.txt'));
    await Promise.resolve();
  });

  test.afterEach(async () => {
    await stop(server);
    server = undefined;
  });

  test.afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('serves the app from a secrets file; Chromium connects through it; the key is in no file served', async ({
    page,
    csp,
  }) => {
    // As a Kubernetes secret or `echo` leaves it: spaces and a newline around the key.
    const keyFile = join(work, 'api-key');
    writeFileSync(keyFile, `  ${DEFAULT_API_KEY} \n\n`);
    server = startServer(machineEnv(keyFile));
    await listening(server);

    const response = await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe(`/machine/${HOST}/`);
    await expectConnected(page);
    await expect(page.locator('[data-session="active"]')).toBeVisible({ timeout: 10_000 });

    // The page's headers: the platform's caching, plus what a meta tag cannot say.
    const headers = response?.headers() ?? {};
    expect(headers['cache-control']).toBe('no-cache, no-store');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("require-trusted-types-for 'script'");
    expect(headers['content-security-policy']).toContain(`connect-src ${E2E_SIM_URL}`);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    const html = await raw(server.port, `/machine/${HOST}/`);
    expect(html.body).toContain(`<base href="/machine/${HOST}/">`);
    const setCookie = String(html.headers['set-cookie']);
    expect(setCookie).toContain(`Path=/machine/${HOST}`);
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain('HttpOnly'); // the app reads it, as it reads the platform's

    // Every file in dist/, fetched through the server: none holds the key (trimmed or not).
    // The fleet's page is served at /fleet/, never under a machine's prefix.
    const files = filesUnder(dist).filter((f) => !f.endsWith('leak.txt') && f !== 'fleet.html');
    const fleetPage = await raw(server.port, '/fleet/');
    expect(fleetPage.body).not.toContain(DEFAULT_API_KEY);
    expect((await raw(server.port, `/machine/${HOST}/fleet.html`)).status).toBe(404);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const served = await raw(server.port, `/machine/${HOST}/${file}`);
      expect(served.status, file).toBe(200);
      expect(served.body, file).not.toContain(DEFAULT_API_KEY);
      expect(served.body, file).not.toContain(encodeURIComponent(DEFAULT_API_KEY));
      if (file.startsWith('assets/'))
        expect(served.headers['cache-control'], file).toBe('private, max-age=86400');
    }
    expect(server.output()).not.toContain(DEFAULT_API_KEY);
    expect(server.output()).toContain('VIAM_API_KEY: set (from ');

    // Another site cannot frame the console (the header's frame-ancestors; a meta tag cannot say it).
    // The control: the same page frames a URL that allows it, and that one loads.
    const consoleUrl = `${server.url}/machine/${HOST}/`;
    const controlUrl = 'http://localhost:9/frameable.html';
    await page
      .context()
      .route(controlUrl, (route) => route.fulfill({ contentType: 'text/html', body: '<p>ok</p>' }));
    // Another origin on this computer (a public one would meet Private Network Access first).
    const framerUrl = 'http://127.0.0.1:9/framer.html';
    await page.context().route(framerUrl, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<iframe id="console" src="${consoleUrl}"></iframe><iframe id="control" src="${controlUrl}"></iframe>`,
      }),
    );
    const framer = await page.context().newPage();
    await framer.goto(framerUrl);
    const frameUrl = async (id: string) => {
      const frame = await (await framer.locator(`#${id}`).elementHandle()).contentFrame();
      return frame?.url();
    };
    await expect.poll(() => frameUrl('control')).toBe(controlUrl);
    await expect.poll(() => frameUrl('console')).toBe('chrome-error://chromewebdata/');
    await framer.close();
    csp.take(); // Chromium may log the refusal it was told to make
  });

  test('without an access gate, a non-loopback bind refuses to start', async () => {
    const keyFile = join(work, 'api-key');
    writeFileSync(keyFile, DEFAULT_API_KEY);
    for (const host of ['0.0.0.0', '::']) {
      const refused = startServer(machineEnv(keyFile), ['--host', host]);
      expect(await refused.exited).toBe(2);
      expect(refused.output()).toContain('without an access gate');
      expect(refused.output()).not.toContain('listening');
      expect(refused.output()).not.toContain(DEFAULT_API_KEY);
    }
    // A proxy header without the proxy's addresses is no gate either.
    const proxyOnly = startServer(
      { ...machineEnv(keyFile), VIAM_SERVE_PROXY_USER_HEADER: 'X-Forwarded-User' },
      ['--host', '0.0.0.0'],
    );
    expect(await proxyOnly.exited).toBe(2);
    expect(proxyOnly.output()).toContain('VIAM_SERVE_PROXY_ADDRESSES');
  });

  test('a missing, empty, unreadable or broken secrets file: the server stays up, says so, and recovers', async ({
    page,
  }) => {
    const keyFile = join(work, 'rotating-key');
    rmSync(keyFile, { recursive: true, force: true });
    server = startServer(machineEnv(keyFile));
    await listening(server);
    expect(server.output()).toContain(`VIAM_API_KEY_FILE (${keyFile}) does not exist`);
    const expectUnavailable = async (problem: string) => {
      const r = await raw(server?.port ?? 0, `/machine/${HOST}/`);
      expect(r.status).toBe(503);
      expect(r.body).toContain('Credentials unavailable');
      expect(r.headers['set-cookie']).toBeUndefined();
      await expect.poll(() => server?.output() ?? '').toContain(problem);
    };
    await expectUnavailable('does not exist');
    writeFileSync(keyFile, ' \n');
    await expectUnavailable(`VIAM_API_KEY_FILE (${keyFile}) is empty`);
    writeFileSync(keyFile, `${DEFAULT_API_KEY.slice(0, 8)}\n${DEFAULT_API_KEY.slice(8)}\n`);
    await expectUnavailable('whitespace inside');
    rmSync(keyFile);
    mkdirSync(keyFile);
    await expectUnavailable('is a directory');
    expect((await raw(server.port, '/healthz')).status).toBe(200);
    expect(server.process.exitCode).toBeNull();

    // Fixed (rotated in place): the next page load works, no restart.
    rmSync(keyFile, { recursive: true });
    writeFileSync(keyFile, `${DEFAULT_API_KEY}\n`);
    await page.goto(`${server.url}/machine/${HOST}/`);
    await expectConnected(page);
    expect(server.output()).toContain('VIAM_API_KEY is readable again');
    expect(server.output()).not.toContain(DEFAULT_API_KEY.slice(8));
  });

  test('traversal attempts, encoded or not, never leave dist/', async () => {
    const keyFile = join(work, 'api-key');
    writeFileSync(keyFile, DEFAULT_API_KEY);
    server = startServer(machineEnv(keyFile));
    await listening(server);
    const attempts = [
      '/machine/../../etc/passwd',
      `/machine/${HOST}/../../../etc/passwd`,
      `/machine/${HOST}/../outside.txt`,
      `/machine/${HOST}/../../outside.txt`,
      `/machine/${HOST}/assets/../../outside.txt`,
      `/machine/${HOST}/%2e%2e/outside.txt`,
      `/machine/${HOST}/%2e%2e%2foutside.txt`,
      `/machine/${HOST}/..%2F..%2Fetc%2Fpasswd`,
      `/machine/${HOST}/%252e%252e/outside.txt`,
      `/machine/${HOST}/..%5coutside.txt`,
      `/machine/${HOST}/..\\outside.txt`,
      `/machine/${HOST}/assets/leak.txt`,
      `/machine/${HOST}/outside.txt%00.js`,
      `/machine/${HOST}//etc/passwd`,
      `/machine/%2e%2e/outside.txt`,
      '/machine/..%2f..%2fetc/passwd',
      '//etc/passwd',
      '/etc/passwd',
      '/../outside.txt',
      '/fleet/../outside.txt',
      `/machine/${HOST}/.env`,
    ];
    for (const attempt of attempts) {
      const r = await raw(server.port, attempt);
      expect([400, 404], `${attempt} -> ${r.status}`).toContain(r.status);
      expect(r.body, attempt).not.toContain(OUTSIDE_MARKER);
      expect(r.body, attempt).not.toContain('root:x:0:0');
    }
    expect(server.process.exitCode).toBeNull();
    expect((await raw(server.port, `/machine/${HOST}/favicon.svg`)).status).toBe(200);
  });

  test('the password gate: login form, signed HttpOnly session, failed logins limited per client', async ({
    page,
  }) => {
    const keyFile = join(work, 'api-key');
    const passwordFile = join(work, 'password');
    const password = 'correct horse battery staple';
    writeFileSync(keyFile, DEFAULT_API_KEY);
    writeFileSync(passwordFile, `${password}\n`);
    server = startServer({ ...machineEnv(keyFile), VIAM_SERVE_PASSWORD_FILE: passwordFile }, [
      '--host',
      '0.0.0.0',
    ]);
    await listening(server);

    // Nothing without a session: pages send to the login form, files are refused.
    const page0 = await raw(server.port, `/machine/${HOST}/`);
    expect(page0.status).toBe(302);
    expect(page0.headers['location']).toBe(`/login?next=${encodeURIComponent(`/machine/${HOST}/`)}`);
    expect(page0.headers['set-cookie']).toBeUndefined();
    expect((await raw(server.port, `/machine/${HOST}/favicon.svg`)).status).toBe(401);

    // Another client guessing: five failures, then refused even with the right password.
    const guess = (candidate: string) =>
      raw(server?.port ?? 0, '/login', {
        method: 'POST',
        localAddress: '127.0.0.2',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ password: candidate, next: '/' }).toString(),
      });
    for (let i = 0; i < 5; i += 1) expect((await guess(`wrong-${i}-password`)).status).toBe(401);
    const limited = await guess(password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['set-cookie']).toBeUndefined();

    // The operator (another address) is not locked out by it.
    await page.goto(`${server.url}/`);
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel('Operator password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong password.');
    await page.getByLabel('Operator password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`/machine/${HOST}/$`));
    await expectConnected(page);
    const session = (await page.context().cookies()).find((c) => c.name === 'mc_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    // A tampered session is no session.
    const forged = `${session?.value.slice(0, -2) ?? ''}AA`;
    const withForged = await raw(server.port, `/machine/${HOST}/`, {
      headers: { cookie: `mc_session=${forged}` },
    });
    expect(withForged.status).toBe(302);
    const withReal = await raw(server.port, `/machine/${HOST}/`, {
      headers: { cookie: `mc_session=${session?.value ?? ''}` },
    });
    expect(withReal.status).toBe(200);

    // A cross-site form cannot sign in or out.
    const crossSite = await raw(server.port, '/logout', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);

    // Nothing secret in the log: not the password, the key or the session.
    const log = server.output();
    expect(log).toContain('failed sign-in from');
    for (const secret of [password, DEFAULT_API_KEY, session?.value ?? 'x'.repeat(30)])
      expect(log).not.toContain(secret);
  });

  test('behind an authenticating proxy: only the proxy, and only with its user header', async () => {
    const keyFile = join(work, 'api-key');
    writeFileSync(keyFile, DEFAULT_API_KEY);
    server = startServer(
      {
        ...machineEnv(keyFile),
        VIAM_SERVE_PROXY_USER_HEADER: 'X-Forwarded-User',
        VIAM_SERVE_PROXY_ADDRESSES: '127.0.0.1',
      },
      ['--host', '0.0.0.0'],
    );
    await listening(server);
    const path = `/machine/${HOST}/`;
    expect((await raw(server.port, path)).status).toBe(401);
    const viaProxy = await raw(server.port, path, { headers: { 'x-forwarded-user': 'ana@example.com' } });
    expect(viaProxy.status).toBe(200);
    expect(String(viaProxy.headers['set-cookie'])).toContain(`${HOST}=`);
    const direct = await raw(server.port, path, {
      localAddress: '127.0.0.2',
      headers: { 'x-forwarded-user': 'mallory' },
    });
    expect(direct.status).toBe(403);
  });

  test('the fleet app with a location-scoped API key: its cookie, its machines, and a console opened from it', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const keyFile = join(work, 'api-key');
    writeFileSync(keyFile, DEFAULT_API_KEY);
    const lab = FLEET_API_KEYS.lab;
    const fleetKeyFile = join(work, 'fleet-key');
    writeFileSync(fleetKeyFile, `${lab.key}\n`);
    server = startServer({
      ...machineEnv(keyFile),
      VIAM_FLEET_API_KEY_ID: lab.id,
      VIAM_FLEET_API_KEY_FILE: fleetKeyFile,
    });
    await listening(server);
    const rootRedirect = await raw(server.port, '/');
    expect(rootRedirect.headers['location']).toBe('/fleet/');
    const fleet = await raw(server.port, '/fleet/');
    expect(fleet.status).toBe(200);
    expect(fleet.body).toContain('<base href="/fleet/">');
    expect(fleet.body).not.toContain(lab.key);
    const cookie = String(fleet.headers['set-cookie']);
    expect(cookie).toMatch(/^viamApiKey=/);
    expect(cookie).toContain('Path=/fleet;');
    const value = JSON.parse(decodeURIComponent(cookie.split(';')[0]?.split('=')[1] ?? '')) as unknown;
    expect(value).toEqual({ credentials: { type: 'api-key', authEntity: lab.id, payload: lab.key } });
    // The machine's page never carries the fleet's key, and the fleet's never the machine's.
    const machinePage = await raw(server.port, `/machine/${HOST}/`);
    expect(String(machinePage.headers['set-cookie'])).not.toContain(encodeURIComponent(lab.key));
    expect(cookie).not.toContain(encodeURIComponent(DEFAULT_API_KEY));

    // In Chromium: the fleet lists the lab location's machines only, and opens one with the same key.
    await page.goto(`${server.url}/`);
    await expect(page).toHaveURL(/\/fleet\/$/);
    const armCell = FLEET_MACHINES.armCell.machineId;
    await expect(page.locator(`li[data-machine-id="${armCell}"]`)).toBeVisible({ timeout: 20_000 });
    await expect(page.locator(`li[data-machine-id="${FLEET_MACHINES.rover.machineId}"]`)).toHaveCount(0);
    await page.locator(`li[data-machine-id="${armCell}"] a`).click();
    await expect(page.locator('[data-connection="connected"]')).toBeVisible({ timeout: 20_000 });
    expect(server.output()).not.toContain(lab.key);
  });
});
