/**
 * The page's Trusted Types policies, by name. The CSP (vite.config.ts) allows exactly these names and
 * no duplicates, so no other script can mint trusted values, and nothing re-creates one of these.
 * Pure: no DOM.
 */

/** Lit's own policy: it turns its compiled templates into a <template>'s innerHTML. */
export const LIT_POLICY = 'lit-html';
/** The app's: only the SDK's heartbeat Workers, loaded from blob: URLs the page itself made. */
export const WORKER_POLICY = 'mc-worker';

export const TRUSTED_TYPES_POLICIES: readonly string[] = [LIT_POLICY, WORKER_POLICY];

/**
 * Whether `url` is a blob: URL minted by `origin` (URL.createObjectURL in this page). A blob URL
 * names a Blob this page's scripts built, so it carries no script an attacker could inject as text;
 * anything else (http:, data:, javascript:, another origin's blob) is refused.
 */
export function isOwnBlobUrl(url: string, origin: string): boolean {
  if (origin === 'null' || origin === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'blob:') return false;
  let inner: URL;
  try {
    inner = new URL(parsed.pathname);
  } catch {
    return false;
  }
  return (inner.protocol === 'https:' || inner.protocol === 'http:') && inner.origin === origin;
}
