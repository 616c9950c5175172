import Cookies from 'js-cookie';

/**
 * Every cookie visible to this page, name -> percent-decoded value. js-cookie skips a cookie it cannot
 * decode instead of throwing, so one broken cookie never hides the machine's.
 */
export function readCookieJar(): Record<string, string> {
  return Cookies.get();
}
