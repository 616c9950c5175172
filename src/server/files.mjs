// @ts-check
/**
 * Request paths to files in dist/, the way Viam Applications serves an app: `/machine/<key>/` is
 * stripped, HTML gets `<base href="/machine/<key>/">`, HTML is never cached and everything else is
 * cached privately for a day (Vite's hashed names make that safe). Nothing outside dist/ is ever a
 * candidate: a path is decoded once, and any `..`, `.`-file, backslash, NUL or empty segment is
 * refused before the file system is asked.
 */

/**
 * @typedef {{ readonly kind: 'machine', readonly key: string, readonly file: string }
 *   | { readonly kind: 'fleet', readonly file: string }
 *   | { readonly kind: 'root' }
 *   | { readonly kind: 'bad', readonly status: 400 | 404, readonly why: string }} Route
 */

/** The fleet app's page, where self-hosting serves it (see README). */
export const FLEET_PREFIX = '/fleet/';
export const FLEET_PAGE = 'fleet.html';
export const MACHINE_PAGE = 'index.html';

/** Machine keys as the platform uses them: a machine id (UUID) or a hostname. */
const MACHINE_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$/;

/**
 * The file a request path names, relative to dist/ ('' = the app's page), or why it names none.
 * @param {string} target the request target as sent (path and query)
 * @returns {Route}
 */
export function route(target) {
  if (!target.startsWith('/')) return { kind: 'bad', status: 400, why: 'not a path' };
  const rawPath = target.split('?', 1)[0] ?? '';
  if (rawPath === '/') return { kind: 'root' };
  let segments;
  try {
    // Decoded per segment, once: an encoded slash stays inside its segment and is refused below.
    segments = rawPath
      .slice(1)
      .split('/')
      .map((s) => decodeURIComponent(s));
  } catch {
    return { kind: 'bad', status: 400, why: 'malformed percent-encoding' };
  }
  const trailingSlash = segments.at(-1) === '';
  if (trailingSlash) segments.pop();
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..')
      return { kind: 'bad', status: 400, why: 'dot or empty path segment' };
    if (/[/\\]/.test(segment) || hasControlCharacter(segment))
      return { kind: 'bad', status: 400, why: 'forbidden character in path' };
  }
  const [first, second, ...rest] = segments;
  if (first === 'machine') {
    if (second === undefined || !MACHINE_KEY.test(second) || second.includes('..'))
      return { kind: 'bad', status: 404, why: 'no such machine key' };
    return fileRoute({ kind: 'machine', key: second }, rest, trailingSlash, MACHINE_PAGE);
  }
  if (first === FLEET_PREFIX.slice(1, -1)) {
    return fileRoute(
      { kind: 'fleet' },
      second === undefined ? [] : [second, ...rest],
      trailingSlash,
      FLEET_PAGE,
    );
  }
  return { kind: 'bad', status: 404, why: 'outside the app' };
}

/** @param {string} text */
function hasControlCharacter(text) {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * @param {{ kind: 'machine', key: string } | { kind: 'fleet' }} app
 * @param {string[]} rest segments after the app's prefix
 * @param {boolean} trailingSlash
 * @param {string} page the app's HTML page
 * @returns {Route}
 */
function fileRoute(app, rest, trailingSlash, page) {
  if (rest.length === 0 || (rest.length === 1 && rest[0] === 'index.html')) {
    // `/machine/<key>` without its slash would resolve relative URLs one level up.
    if (rest.length === 0 && !trailingSlash)
      return { kind: 'bad', status: 404, why: 'needs a trailing slash' };
    return { ...app, file: page };
  }
  if (trailingSlash) return { kind: 'bad', status: 404, why: 'not a file' };
  // Dot files (a stray .env, .git) and the other app's page are never served from here.
  if (rest.some((s) => s.startsWith('.'))) return { kind: 'bad', status: 404, why: 'hidden file' };
  const file = rest.join('/');
  if (file === MACHINE_PAGE || file === FLEET_PAGE) return { kind: 'bad', status: 404, why: 'another page' };
  return { ...app, file };
}

/** @type {Readonly<Record<string, string>>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Served with nosniff, so a type the browser cannot guess is downloaded, never run.
 * @param {string} file
 */
export function contentType(file) {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 ? TYPES[file.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
}

/**
 * The platform's cache rules.
 * @param {string} file
 */
export function cacheControl(file) {
  return file.endsWith('.html') ? 'no-cache, no-store' : 'private, max-age=86400';
}

/** @param {string} text */
function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Injects `<base href>` first in <head>, replacing any the page had, as the platform does.
 * @param {string} html
 * @param {string} href an absolute path ending in '/'
 */
export function injectBaseHref(html, href) {
  const tag = `<base href="${escapeAttribute(href)}">`;
  const withoutBase = html.replace(/<base\b[^>]*>/gi, '');
  return /<head[^>]*>/i.test(withoutBase)
    ? withoutBase.replace(/<head[^>]*>/i, (head) => `${head}\n    ${tag}`)
    : `${tag}\n${withoutBase}`;
}

/**
 * The page's own CSP, read off its meta tag, so the header policy repeats it and adds what a meta
 * tag cannot carry.
 * @param {string} html
 */
export function metaPolicy(html) {
  const content = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
  return content === undefined
    ? undefined
    : content
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
}
