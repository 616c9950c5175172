// @ts-check
/**
 * Secrets of the self-hosting server, read when a request needs them (so a rotated Kubernetes or
 * Docker secret takes effect on the next page load, and a secret that is missing at startup is a
 * clear error page rather than a crash loop). A secret comes from the variable NAME, or from the file
 * named by NAME_FILE; never from a .env file. Problems name the variable and the file, never the value.
 */
import { readFileSync } from 'node:fs';

/**
 * @typedef {{ readonly name: string, readonly source: 'env' | 'file' | 'none', readonly file?: string,
 *   readonly value?: string }} SecretSpec
 * @typedef {{ readonly ok: true, readonly value: string } | { readonly ok: false, readonly problem: string }} SecretRead
 */

/** Longer than any key or password here; a mounted file this size is not the secret. */
const MAX_SECRET_BYTES = 4096;

/**
 * Where the secret NAME comes from. Both NAME and NAME_FILE set is a configuration error: which one
 * wins would be a guess.
 * @param {string} name
 * @param {NodeJS.ProcessEnv} env
 * @returns {SecretSpec}
 */
export function secretSpec(name, env) {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  const hasDirect = direct !== undefined && direct !== '';
  const hasFile = file !== undefined && file !== '';
  if (hasDirect && hasFile) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
  if (hasFile) return { name, source: 'file', file };
  if (hasDirect) return { name, source: 'env', value: direct };
  return { name, source: 'none' };
}

/**
 * The secret's value now: surrounding whitespace and newlines trimmed (editors and `echo` add them);
 * empty, unreadable or oversized is a problem, never a value, and so is whitespace inside a key
 * (a pasted line break), while a password may hold spaces.
 * @param {SecretSpec} spec
 * @param {{ spacesInside?: boolean, read?: (path: string) => Buffer }} [options]
 * @returns {SecretRead}
 */
export function readSecret(spec, options = {}) {
  const read = options.read ?? ((path) => readFileSync(path));
  if (spec.source === 'none') return { ok: false, problem: `${spec.name} is not set` };
  const where = spec.source === 'file' ? `${spec.name}_FILE (${String(spec.file)})` : spec.name;
  let raw;
  if (spec.source === 'file') {
    try {
      const bytes = read(String(spec.file));
      if (bytes.length > MAX_SECRET_BYTES) return { ok: false, problem: `${where} is larger than a secret` };
      raw = bytes.toString('utf8');
    } catch (error) {
      const code = /** @type {{ code?: unknown }} */ (error).code;
      const why =
        code === 'ENOENT'
          ? 'does not exist'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read (permission denied)'
            : code === 'EISDIR'
              ? 'is a directory'
              : `cannot be read (${typeof code === 'string' ? code : 'error'})`;
      return { ok: false, problem: `${where} ${why}` };
    }
  } else {
    raw = String(spec.value);
  }
  const value = raw.trim();
  if (value === '') return { ok: false, problem: `${where} is empty` };
  const inside = options.spacesInside === true ? /[\r\n\t\f\v]/ : /\s/;
  if (inside.test(value)) return { ok: false, problem: `${where} has whitespace inside the value` };
  return { ok: true, value };
}

/** A configuration the server refuses to start with. */
export class ConfigError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}
