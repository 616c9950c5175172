// @ts-check
/**
 * The self-hosting server's requests: the access gate, the app's files as Viam Applications serves
 * them, and the platform's cookies, made from credentials read at the moment a page is requested.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import {
  FailureLimiter,
  MIN_PASSWORD_LENGTH,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  issueSession,
  passwordMatches,
  sessionValid,
  signingKey,
} from './gate.mjs';
import {
  FLEET_PAGE,
  FLEET_PREFIX,
  MACHINE_PAGE,
  cacheControl,
  contentType,
  injectBaseHref,
  metaPolicy,
  route,
} from './files.mjs';
import { readSecret } from './secrets.mjs';

/**
 * @typedef {import('./config.mjs').ServeConfig} ServeConfig
 * @typedef {import('./secrets.mjs').SecretSpec} SecretSpec
 * @typedef {import('node:http').IncomingMessage} Request
 * @typedef {import('node:http').ServerResponse} Response
 */

/** The cookie that carries the fleet app's location- or organization-scoped API key (see README). */
export const FLEET_KEY_COOKIE = 'viamApiKey';
/** The key cookies live as long as a login; every page load renews them from the current secret. */
const KEY_COOKIE_MAX_AGE_S = SESSION_TTL_MS / 1000;
const MAX_LOGIN_BODY = 4096;

/** Headers on every response. */
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()',
};
const FRAME_ANCESTORS = "frame-ancestors 'none'";
const STRICT_POLICY = `default-src 'none'; base-uri 'none'; form-action 'none'; ${FRAME_ANCESTORS}`;
const LOGIN_POLICY = `default-src 'none'; base-uri 'none'; form-action 'self'; ${FRAME_ANCESTORS}`;

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * @param {Request} req
 * @returns {Record<string, string>}
 */
function cookiesOf(req) {
  /** @type {Record<string, string>} */
  const jar = {};
  for (const pair of (req.headers.cookie ?? '').split(/;\s*/)) {
    const at = pair.indexOf('=');
    if (at > 0) jar[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return jar;
}

/**
 * Whether a request comes from another site. Browsers say so in Sec-Fetch-Site; Origin is the
 * fallback, except 'null', which a page with no-referrer (this server's own) also sends.
 * @param {Request} req
 */
export function crossSite(req) {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return false;
  return /^https?:\/\/([^/]+)$/.exec(origin)?.[1]?.toLowerCase() !== (req.headers.host ?? '').toLowerCase();
}

/**
 * A same-site redirect target from the login form, or the root.
 * @param {unknown} next
 */
export function safeNext(next) {
  return typeof next === 'string' && /^\/(?![/\\])[^\s\\]*$/.test(next) && next.length < 2048 ? next : '/';
}

/**
 * @param {ServeConfig} config
 * @param {{ log?: (line: string) => void, now?: () => number, limiter?: FailureLimiter }} [options]
 * @returns {(req: Request, res: Response) => void}
 */
export function createHandler(config, options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const now = options.now ?? Date.now;
  const limiter = options.limiter ?? new FailureLimiter();
  const distRoot = realpathSync(config.dist);
  // Without a configured session secret, sessions end when the process does.
  const processSecret = randomBytes(32).toString('base64url');
  /** The last problem logged per secret, so a missing secret is one log line, not one per request. */
  /** @type {Map<string, string>} */
  const lastProblem = new Map();

  /**
   * @param {SecretSpec} spec
   * @param {boolean} [spacesInside]
   */
  const secret = (spec, spacesInside = false) => {
    const result = readSecret(spec, { spacesInside });
    const before = lastProblem.get(spec.name);
    if (!result.ok && before !== result.problem) log(`serve: ${result.problem}`);
    if (result.ok && before !== undefined) log(`serve: ${spec.name} is readable again`);
    if (result.ok) lastProblem.delete(spec.name);
    else lastProblem.set(spec.name, result.problem);
    return result;
  };

  /** The signing key of sessions now, or the problem that keeps the gate shut. */
  const sessionKey = () => {
    if (config.gate.kind !== 'password') return undefined;
    const password = secret(config.gate.password, true);
    if (!password.ok) return { problem: password.problem };
    if (password.value.length < MIN_PASSWORD_LENGTH)
      return { problem: `VIAM_SERVE_PASSWORD is shorter than ${MIN_PASSWORD_LENGTH} characters` };
    let sessionSecret = processSecret;
    if (config.gate.sessionSecret.source !== 'none') {
      const configured = secret(config.gate.sessionSecret);
      if (!configured.ok) return { problem: configured.problem };
      sessionSecret = configured.value;
    }
    return { key: signingKey(sessionSecret, password.value), password: password.value };
  };

  /**
   * @param {string} name
   * @param {string} value
   * @param {string} path
   * @param {{ httpOnly?: boolean, maxAge?: number }} [flags]
   */
  const cookie = (name, value, path, flags = {}) =>
    [
      `${name}=${value}`,
      `Path=${path}`,
      `Max-Age=${flags.maxAge ?? KEY_COOKIE_MAX_AGE_S}`,
      'SameSite=Strict',
      ...(flags.httpOnly ? ['HttpOnly'] : []),
      ...(config.secureCookies ? ['Secure'] : []),
    ].join('; ');

  /**
   * @param {Response} res
   * @param {number} status
   * @param {string} title
   * @param {string} message
   * @param {Record<string, string>} [headers]
   */
  const page = (res, status, title, message, headers = {}) => {
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>\n`;
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': STRICT_POLICY,
      ...headers,
    });
    res.end(body);
  };

  /**
   * @param {Response} res
   * @param {number} status
   * @param {string} next
   * @param {string} [notice]
   */
  const loginPage = (res, status, next, notice) => {
    const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Viam Machine Console</title></head>
<body><main><h1>Viam Machine Console</h1>
${notice ? `<p role="alert">${escapeHtml(notice)}</p>` : ''}
<form method="post" action="/login"><input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="password">Operator password</label> <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button></form></main></body></html>\n`;
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': LOGIN_POLICY,
    });
    res.end(body);
  };

  /**
   * @param {Request} req
   * @param {Response} res
   */
  const login = (req, res) => {
    const client = req.socket.remoteAddress ?? 'unknown';
    const wait = limiter.retryAfterMs(client, now());
    if (wait > 0) {
      req.resume();
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      loginPage(res, 429, '/', `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60_000)} min.`);
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= MAX_LOGIN_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_LOGIN_BODY) {
        page(res, 413, 'Too large', 'The sign-in form was too large.');
        return;
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const next = safeNext(form.get('next'));
      const gate = sessionKey();
      if (!gate || 'problem' in gate) {
        page(res, 503, 'Sign-in unavailable', 'The operator password cannot be read. See the server log.');
        return;
      }
      if (!passwordMatches(form.get('password') ?? '', gate.password)) {
        limiter.fail(client, now());
        log(`serve: failed sign-in from ${client}`);
        loginPage(res, 401, next, 'Wrong password.');
        return;
      }
      limiter.succeed(client);
      res.writeHead(303, {
        Location: next,
        'Cache-Control': 'no-store',
        'Set-Cookie': cookie(SESSION_COOKIE, issueSession(gate.key, now()), '/', { httpOnly: true }),
      });
      res.end();
    });
  };

  /**
   * Whether the request may pass the gate; answers it when not.
   * @param {Request} req
   * @param {Response} res
   * @param {string} path
   */
  const admitted = (req, res, path) => {
    const gate = config.gate;
    if (gate.kind === 'none') return true;
    if (gate.kind === 'proxy') {
      const from = req.socket.remoteAddress ?? '';
      if (!gate.addresses.has(from)) {
        page(res, 403, 'Forbidden', 'Open the console through its authenticating proxy.');
        return false;
      }
      const user = req.headers[gate.header];
      if (typeof user !== 'string' || user.trim() === '') {
        page(res, 401, 'Not signed in', 'The proxy did not say who you are.');
        return false;
      }
      return true;
    }
    const key = sessionKey();
    if (key?.key !== undefined && sessionValid(key.key, cookiesOf(req)[SESSION_COOKIE], now())) return true;
    if (req.method === 'GET' && (path === '/' || path.endsWith('/'))) {
      res.writeHead(302, {
        Location: `/login?next=${encodeURIComponent(path)}`,
        'Cache-Control': 'no-store',
      });
      res.end();
    } else {
      page(res, 401, 'Not signed in', 'Sign in first.');
    }
    return false;
  };

  /**
   * A file under dist/, or undefined. realpath keeps a symlink from pointing out of dist/.
   * @param {string} file
   */
  const readDist = (file) => {
    try {
      const full = realpathSync(join(distRoot, ...file.split('/')));
      if (!full.startsWith(distRoot + sep) || !statSync(full).isFile()) return undefined;
      return readFileSync(full);
    } catch {
      return undefined;
    }
  };

  /**
   * The platform's cookie for this page, made from the secrets as they are now.
   * @param {{ kind: 'machine', key: string } | { kind: 'fleet' }} app
   * @returns {{ cookie?: string, problem?: string }}
   */
  const credentialCookie = (app) => {
    if (app.kind === 'fleet') {
      if (!config.fleet)
        return {
          problem: 'This server has no fleet credentials (VIAM_FLEET_API_KEY_ID, VIAM_FLEET_API_KEY).',
        };
      const id = secret(config.fleet.keyId);
      const key = secret(config.fleet.key);
      if (!id.ok || !key.ok) return { problem: 'The fleet API key cannot be read. See the server log.' };
      const value = encodeURIComponent(
        JSON.stringify({ credentials: { type: 'api-key', authEntity: id.value, payload: key.value } }),
      );
      return { cookie: cookie(FLEET_KEY_COOKIE, value, FLEET_PREFIX.slice(0, -1)) };
    }
    const machine = config.machine;
    // Another machine's page is served as the platform would without access: no cookie, the app says so.
    if (!machine || (app.key !== machine.hostname && app.key !== machine.machineId)) return {};
    const id = secret(machine.keyId);
    const key = secret(machine.key);
    if (!id.ok || !key.ok) return { problem: 'The machine’s API key cannot be read. See the server log.' };
    const value = encodeURIComponent(
      JSON.stringify({
        apiKey: { id: id.value, key: key.value },
        credentials: { type: 'api-key', authEntity: id.value, payload: key.value },
        hostname: machine.hostname,
        machineId: machine.machineId,
      }),
    );
    const name = encodeURIComponent(app.key);
    return { cookie: cookie(name, value, `/machine/${name}`) };
  };

  /**
   * @param {Request} req
   * @param {Response} res
   */
  const handle = (req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const target = req.url ?? '/';
    const path = target.split('?', 1)[0] ?? '/';
    const hostName = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    if (config.allowedHosts && !config.allowedHosts.has(hostName)) {
      page(res, 421, 'Wrong host', 'This server does not answer to that name.');
      return;
    }
    const method = req.method ?? 'GET';
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end('ok\n');
      return;
    }
    if (method === 'POST' && crossSite(req)) {
      // A form posted from another site (login CSRF, forced logout) is refused.
      page(res, 403, 'Forbidden', 'Cross-site form.');
      return;
    }
    if (config.gate.kind === 'password' && path === '/login') {
      if (method === 'POST') login(req, res);
      else if (method === 'GET' || method === 'HEAD')
        loginPage(res, 200, safeNext(new URLSearchParams(target.split('?')[1] ?? '').get('next')));
      else page(res, 405, 'Method not allowed', 'GET or POST.', { Allow: 'GET, POST' });
      return;
    }
    if (config.gate.kind === 'password' && path === '/logout' && method === 'POST') {
      res.writeHead(303, {
        Location: '/login',
        'Cache-Control': 'no-store',
        'Clear-Site-Data': '"cookies", "storage"',
        'Set-Cookie': cookie(SESSION_COOKIE, '', '/', { httpOnly: true, maxAge: 0 }),
      });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      page(res, 405, 'Method not allowed', 'This server only serves files.', { Allow: 'GET, HEAD' });
      return;
    }
    const where = route(target);
    if (where.kind === 'bad') {
      page(res, where.status, where.status === 400 ? 'Bad request' : 'Not found', 'There is nothing here.');
      return;
    }
    if (!admitted(req, res, path)) return;
    if (where.kind === 'root') {
      const fleetBuilt = config.fleet !== undefined && readDist(FLEET_PAGE) !== undefined;
      const location =
        fleetBuilt || !config.machine
          ? FLEET_PREFIX
          : `/machine/${encodeURIComponent(config.machine.hostname)}/`;
      res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const body = readDist(where.file);
    if (body === undefined) {
      page(
        res,
        404,
        'Not found',
        where.file === FLEET_PAGE ? 'This build has no fleet app.' : 'There is nothing here.',
      );
      return;
    }
    if (where.file !== MACHINE_PAGE && where.file !== FLEET_PAGE) {
      res.writeHead(200, {
        'Content-Type': contentType(where.file),
        'Content-Length': body.length,
        'Cache-Control': cacheControl(where.file),
        'Content-Security-Policy': STRICT_POLICY,
      });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }
    const credentials = credentialCookie(where);
    if (credentials.problem !== undefined) {
      page(res, 503, 'Credentials unavailable', credentials.problem);
      return;
    }
    const html = body.toString('utf8');
    const base = where.kind === 'fleet' ? FLEET_PREFIX : `/machine/${encodeURIComponent(where.key)}/`;
    const out = Buffer.from(injectBaseHref(html, base));
    const policy = metaPolicy(html);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': out.length,
      'Cache-Control': cacheControl(where.file),
      'Content-Security-Policy': policy === undefined ? STRICT_POLICY : `${policy}; ${FRAME_ANCESTORS}`,
      ...(credentials.cookie === undefined ? {} : { 'Set-Cookie': credentials.cookie }),
    });
    res.end(method === 'HEAD' ? undefined : out);
  };

  return (req, res) => {
    const started = now();
    res.on('finish', () => {
      // Method, path without its query, status: never a header, a cookie or a form field.
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      log(`${req.method ?? '?'} ${path.slice(0, 200)} ${res.statusCode} ${now() - started}ms`);
    });
    try {
      handle(req, res);
    } catch (error) {
      log(`serve: request failed: ${error instanceof Error ? error.name : 'error'}`);
      if (!res.headersSent) page(res, 500, 'Server error', 'Something went wrong. See the server log.');
      else res.destroy();
    }
  };
}
