/**
 * A Vite plugin that makes the dev and preview servers behave like Viam's application hosting (and
 * like `viam module local-app-testing`): the single-machine app lives under `/machine/<key>/`, the
 * prefix is stripped before a file is served, `<base href="/machine/<key>/">` is injected into the
 * HTML, and the machine cookie is set before the first page load. The fleet app lives under
 * `/fleet/` (on the platform it has an origin of its own; no base href is injected there either),
 * with the `userToken` cookie set the way `local-app-testing` sets it.
 *
 * Dev/test tooling only: it runs inside the Vite server process and never reaches the app bundle.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';

export interface MockMachine {
  hostname: string;
  machineId: string;
  apiKeyId: string;
  apiKey: string;
}

const MACHINE_PREFIX = /^\/machine\/([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/;
const FLEET_PREFIX = /^\/fleet(\/[^?#]*)?(\?[^#]*)?$/;
/** The fleet's page in the build (and in the project root, for the dev server). */
const FLEET_PAGE = '/fleet.html';
const USER_TOKEN_COOKIE = 'userToken';

/**
 * The `userToken` value exactly as `viam module local-app-testing` writes it for a multi-machine app:
 * `url.QueryEscape` of `{"access_token":"…"}` (no other fields).
 */
export function userTokenCookieValue(accessToken: string): string {
  return encodeURIComponent(JSON.stringify({ access_token: accessToken }));
}

/** The cookie value exactly as the local CLI writes it: url-encoded JSON, local-app-testing shape. */
export function machineCookieValue(machine: MockMachine): string {
  return encodeURIComponent(
    JSON.stringify({
      apiKey: { id: machine.apiKeyId, key: machine.apiKey },
      credentials: { type: 'api-key', authEntity: machine.apiKeyId, payload: machine.apiKey },
      hostname: machine.hostname,
      machineId: machine.machineId,
    }),
  );
}

function setCookieHeaders(machine: MockMachine): string[] {
  const value = machineCookieValue(machine);
  // Like the CLI: one cookie named by machine id, one by hostname; host-only, path /.
  return [machine.machineId, machine.hostname].map(
    (name) => `${encodeURIComponent(name)}=${value}; Path=/; SameSite=Lax; Max-Age=2592000`,
  );
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Injects `<base href>` as the platform does: first thing in <head>. */
export function injectBaseHref(html: string, key: string): string {
  const tag = `<base href="/machine/${escapeAttribute(encodeURIComponent(key))}/">`;
  const withoutBase = html.replace(/<base\b[^>]*>/gi, '');
  return /<head[^>]*>/i.test(withoutBase)
    ? withoutBase.replace(/<head[^>]*>/i, (head) => `${head}\n    ${tag}`)
    : `${tag}\n${withoutBase}`;
}

type HostingRequest = IncomingMessage & { viamMachineKey?: string };

function middleware(
  machine: MockMachine | undefined,
  userToken: string | undefined,
): Connect.NextHandleFunction {
  return (req: HostingRequest, res: ServerResponse, next: Connect.NextFunction) => {
    const url = req.url ?? '/';
    const fleet = FLEET_PREFIX.exec(url);
    if (fleet) {
      const rest = fleet[1] ?? '';
      if (rest === '') {
        // Relative asset URLs need the trailing slash.
        res.statusCode = 302;
        res.setHeader('Location', `/fleet/${fleet[2] ?? ''}`);
        res.end();
        return;
      }
      if (rest === '/' || rest === '/index.html' || rest === FLEET_PAGE) {
        // The CLI's /start writes the cookie with no attributes; Path=/ here so /fleet/ sees it. Never
        // over a cookie the browser has (tests set malformed ones; the platform owns a real one).
        if (userToken && !hasCookie(req, USER_TOKEN_COOKIE)) {
          res.setHeader(
            'Set-Cookie',
            `${USER_TOKEN_COOKIE}=${userTokenCookieValue(userToken)}; Path=/; SameSite=Lax`,
          );
        }
        res.setHeader('Cache-Control', 'no-cache, no-store');
        req.url = `${FLEET_PAGE}${fleet[2] ?? ''}`;
      } else {
        req.url = `${rest}${fleet[2] ?? ''}`;
      }
      next();
      return;
    }
    if (machine && (url === '/' || url === '/start' || url.startsWith('/?'))) {
      // Like local-app-testing's /start: set the cookies, then open the machine's page.
      res.statusCode = 302;
      res.setHeader('Set-Cookie', setCookieHeaders(machine));
      res.setHeader('Location', `/machine/${encodeURIComponent(machine.hostname)}/`);
      res.setHeader('Cache-Control', 'no-store');
      res.end();
      return;
    }
    const match = MACHINE_PREFIX.exec(url);
    if (!match) {
      next();
      return;
    }
    const key = decodeURIComponentSafe(match[1] ?? '');
    const rest = match[2] ?? '/';
    if (rest === '' || rest === '/' || rest === '/index.html') {
      // Set before the first page load, but never over a cookie the browser already has (tests set
      // malformed ones on purpose, and the platform never overwrites a fresh credential either).
      if (machine && !hasCookie(req, key)) res.setHeader('Set-Cookie', setCookieHeaders(machine));
      res.setHeader('Cache-Control', 'no-cache, no-store');
      req.viamMachineKey = key;
      // The preview server compresses; the <base href> injector needs the HTML as text.
      delete req.headers['accept-encoding'];
    }
    req.url = `${rest === '' ? '/' : rest}${match[3] ?? ''}`;
    next();
  };
}

function hasCookie(req: IncomingMessage, name: string): boolean {
  const header = req.headers.cookie ?? '';
  return header.split(/;\s*/).some((pair) => decodeURIComponentSafe(pair.split('=', 1)[0] ?? '') === name);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Wraps a built index.html response (preview server) so `<base href>` is injected, since the preview
 * server serves the file as is.
 */
function previewHtmlInjector(): Connect.NextHandleFunction {
  return (req: HostingRequest, res: ServerResponse, next: Connect.NextFunction) => {
    const key = req.viamMachineKey;
    if (key === undefined) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown) => {
      if (chunk !== undefined && chunk !== null) chunks.push(Buffer.from(chunk as Uint8Array));
      return true;
    }) as typeof res.write;
    res.end = ((chunk?: unknown) => {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
      let body = Buffer.concat(chunks);
      const type = String(res.getHeader('Content-Type') ?? '');
      if (type.includes('text/html')) {
        body = Buffer.from(injectBaseHref(body.toString('utf8'), key));
        res.setHeader('Content-Length', body.length);
      }
      write(body);
      return end();
    }) as typeof res.end;
    next();
  };
}

/**
 * @param machine the mocked machine cookie's values; undefined serves the app without setting a
 *   cookie (as when the real platform or local-app-testing sits in front).
 * @param userToken the access token for the fleet's `userToken` cookie; undefined sets none.
 */
export function viamHostingProxy(machine: MockMachine | undefined, userToken?: string): Plugin {
  return {
    name: 'viam-hosting-proxy',
    configureServer(server) {
      server.middlewares.use(middleware(machine, userToken));
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware(machine, userToken));
      server.middlewares.use(previewHtmlInjector());
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        // Dev server only: the preview server never runs this hook.
        const key = (ctx.originalUrl ?? ctx.path).match(/^\/machine\/([^/?#]+)/)?.[1];
        return key === undefined ? html : injectBaseHref(html, decodeURIComponentSafe(key));
      },
    },
  };
}
