import Cookies from 'js-cookie';

/**
 * Every cookie visible to this page, name -> percent-decoded value. js-cookie skips a cookie it cannot
 * decode instead of throwing, so one broken cookie never hides the machine's.
 */
export function readCookieJar(): Record<string, string> {
  return Cookies.get();
}

/** Hands values over untouched, so a reader can tell a missing cookie from a mangled one. */
const raw = Cookies.withConverter({ read: (value) => value });

/** One cookie's value exactly as the browser holds it (not decoded, quotes kept), if there is one. */
export function readRawCookie(name: string): string | undefined {
  return raw.get(name);
}
