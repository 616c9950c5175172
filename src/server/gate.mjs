// @ts-check
/**
 * The access gate's pieces: the operator password check, the signed session cookie, and the limit on
 * failed logins. No I/O; the clock and secrets are passed in.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'mc_session';
/** A login lasts a working day; the cookies with the key are renewed on every page load within it. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Shorter passwords are refused at login time (a guessable one would make the gate decorative). */
export const MIN_PASSWORD_LENGTH = 12;

/** @param {string} text */
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares in constant time (over digests, so the length of the password is not told either).
 * @param {string} given
 * @param {string} expected
 */
export function passwordMatches(given, expected) {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/**
 * The key sessions are signed with: the session secret and the password together, so changing the
 * password (or the secret) ends every session.
 * @param {string} sessionSecret
 * @param {string} password
 */
export function signingKey(sessionSecret, password) {
  return createHmac('sha256', sessionSecret).update(sha256(password)).digest();
}

/**
 * @param {Buffer} key
 * @param {number} now epoch ms
 * @returns {string} the cookie value: version, expiry, nonce, signature
 */
export function issueSession(key, now) {
  const body = `v1.${now + SESSION_TTL_MS}.${randomBytes(16).toString('base64url')}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/**
 * @param {Buffer} key
 * @param {string | undefined} value the cookie
 * @param {number} now epoch ms
 */
export function sessionValid(key, value, now) {
  if (value === undefined || value.length > 200) return false;
  const match = /^(v1\.(\d{1,15})\.[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return false;
  const [, body = '', expiry = '0', signature = ''] = match;
  const expected = createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const expiresAt = Number(expiry);
  return expiresAt > now && expiresAt <= now + SESSION_TTL_MS;
}

/**
 * Failed logins, per client address and in total, over a sliding window. Past the limit a client
 * waits until its oldest failure leaves the window; the total limit slows guessing from many
 * addresses. The table is bounded, so a flood of addresses cannot grow it without end.
 */
export class FailureLimiter {
  /** @type {Map<string, number[]>} */
  #failures = new Map();
  /** @type {number[]} */
  #all = [];

  /** @param {{ perClient?: number, total?: number, windowMs?: number, maxClients?: number }} [limits] */
  constructor(limits = {}) {
    this.perClient = limits.perClient ?? 5;
    this.total = limits.total ?? 100;
    this.windowMs = limits.windowMs ?? 15 * 60 * 1000;
    this.maxClients = limits.maxClients ?? 10_000;
  }

  /**
   * How long `client` must wait before it may try again (0: it may try now).
   * @param {string} client
   * @param {number} now
   */
  retryAfterMs(client, now) {
    const since = now - this.windowMs;
    this.#all = this.#all.filter((t) => t > since);
    const mine = (this.#failures.get(client) ?? []).filter((t) => t > since);
    if (mine.length === 0) this.#failures.delete(client);
    else this.#failures.set(client, mine);
    const waits = [0];
    if (mine.length >= this.perClient)
      waits.push((mine[mine.length - this.perClient] ?? now) + this.windowMs - now);
    if (this.#all.length >= this.total)
      waits.push((this.#all[this.#all.length - this.total] ?? now) + this.windowMs - now);
    return Math.max(...waits);
  }

  /**
   * @param {string} client
   * @param {number} now
   */
  fail(client, now) {
    this.#all.push(now);
    const mine = this.#failures.get(client) ?? [];
    mine.push(now);
    this.#failures.delete(client);
    this.#failures.set(client, mine);
    while (this.#failures.size > this.maxClients) {
      const oldest = this.#failures.keys().next().value;
      if (oldest === undefined) break;
      this.#failures.delete(oldest);
    }
  }

  /** @param {string} client */
  succeed(client) {
    this.#failures.delete(client);
  }
}
