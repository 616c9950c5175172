// @ts-check
/**
 * The self-hosting server's configuration, from command-line flags and environment variables only
 * (no .env file is ever read). Everything that can be checked without reading a secret is checked
 * here, so a server that would be unsafe or useless refuses to start with one clear message.
 */
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ConfigError, secretSpec } from './secrets.mjs';

/**
 * @typedef {import('./secrets.mjs').SecretSpec} SecretSpec
 * @typedef {{ readonly hostname: string, readonly machineId: string, readonly keyId: SecretSpec,
 *   readonly key: SecretSpec }} MachineSpec
 * @typedef {{ readonly keyId: SecretSpec, readonly key: SecretSpec }} FleetSpec
 * @typedef {{ readonly kind: 'none' }
 *   | { readonly kind: 'password', readonly password: SecretSpec, readonly sessionSecret: SecretSpec }
 *   | { readonly kind: 'proxy', readonly header: string, readonly addresses: ReadonlySet<string> }} Gate
 * @typedef {object} ServeConfig
 * @property {string} host interface to listen on
 * @property {number} port
 * @property {string} dist the built app (`npm run build`)
 * @property {boolean} loopback whether only this computer can reach `host`
 * @property {MachineSpec | undefined} machine the machine the single-machine app opens
 * @property {FleetSpec | undefined} fleet a location- or organization-scoped key for the fleet app
 * @property {Gate} gate who may open the app
 * @property {boolean} secureCookies
 * @property {ReadonlySet<string> | undefined} allowedHosts Host header names accepted (lower case)
 */

export const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1', '[::1]'];

/**
 * Whether an interface address reaches only this computer. 0.0.0.0 and :: are every interface.
 * @param {string} host
 */
export function isLoopback(host) {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * @param {readonly string[]} argv flags after the script: --host H --port P --dist D
 * @returns {Record<string, string>}
 */
function parseFlags(argv) {
  /** @type {Record<string, string>} */
  const flags = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const match = /^--(host|port|dist)(?:=(.*))?$/.exec(arg);
    if (!match)
      throw new ConfigError(`unknown argument ${JSON.stringify(arg)} (flags: --host, --port, --dist)`);
    const name = match[1] ?? '';
    const value = match[2] ?? argv[(i += 1)];
    if (value === undefined || value === '') throw new ConfigError(`--${name} needs a value`);
    flags[name] = value;
  }
  return flags;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function text(env, name) {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * @param {string} raw
 * @param {string} what
 */
function bool(raw, what) {
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigError(`${what} must be true or false`);
}

/**
 * @param {readonly string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {ServeConfig}
 */
export function loadConfig(argv, env) {
  const flags = parseFlags(argv);
  const host = flags['host'] ?? text(env, 'VIAM_SERVE_HOST') ?? DEFAULT_HOST;
  const portText = flags['port'] ?? text(env, 'VIAM_SERVE_PORT') ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
    throw new ConfigError(`port must be 1-65535, got ${JSON.stringify(portText)}`);
  const dist = flags['dist'] ?? text(env, 'VIAM_SERVE_DIST') ?? DEFAULT_DIST;
  const loopback = isLoopback(host);

  /** @type {MachineSpec | undefined} */
  let machine;
  const hostname = text(env, 'VIAM_MACHINE_HOST');
  if (hostname !== undefined) {
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(hostname))
      throw new ConfigError(
        'VIAM_MACHINE_HOST must be a machine address such as my-robot-main.abc.viam.cloud',
      );
    const keyId = secretSpec('VIAM_API_KEY_ID', env);
    const key = secretSpec('VIAM_API_KEY', env);
    for (const spec of [keyId, key])
      if (spec.source === 'none')
        throw new ConfigError(`VIAM_MACHINE_HOST needs ${spec.name} or ${spec.name}_FILE`);
    machine = { hostname, machineId: text(env, 'VIAM_MACHINE_ID') ?? hostname, keyId, key };
  }

  /** @type {FleetSpec | undefined} */
  let fleet;
  const fleetKeyId = secretSpec('VIAM_FLEET_API_KEY_ID', env);
  const fleetKey = secretSpec('VIAM_FLEET_API_KEY', env);
  if (fleetKeyId.source !== 'none' || fleetKey.source !== 'none') {
    for (const spec of [fleetKeyId, fleetKey])
      if (spec.source === 'none')
        throw new ConfigError(`the fleet app needs ${spec.name} or ${spec.name}_FILE too`);
    fleet = { keyId: fleetKeyId, key: fleetKey };
  }
  if (!machine && !fleet)
    throw new ConfigError(
      'nothing to serve: set VIAM_MACHINE_HOST with VIAM_API_KEY_ID and VIAM_API_KEY (or their _FILE forms), ' +
        'and/or VIAM_FLEET_API_KEY_ID and VIAM_FLEET_API_KEY',
    );

  const password = secretSpec('VIAM_SERVE_PASSWORD', env);
  const proxyHeader = text(env, 'VIAM_SERVE_PROXY_USER_HEADER');
  /** @type {Gate} */
  let gate = { kind: 'none' };
  if (password.source !== 'none' && proxyHeader !== undefined)
    throw new ConfigError('choose one access gate: VIAM_SERVE_PASSWORD or VIAM_SERVE_PROXY_USER_HEADER');
  if (password.source !== 'none') {
    gate = { kind: 'password', password, sessionSecret: secretSpec('VIAM_SERVE_SESSION_SECRET', env) };
  } else if (proxyHeader !== undefined) {
    if (!/^[A-Za-z0-9-]+$/.test(proxyHeader))
      throw new ConfigError('VIAM_SERVE_PROXY_USER_HEADER must be a header name');
    const addresses = (text(env, 'VIAM_SERVE_PROXY_ADDRESSES') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    // Anyone who reaches the server directly could send the header: only the proxy may.
    if (addresses.length === 0)
      throw new ConfigError(
        'VIAM_SERVE_PROXY_USER_HEADER needs VIAM_SERVE_PROXY_ADDRESSES (the proxy’s IPs)',
      );
    for (const a of addresses)
      if (isIP(a) === 0) throw new ConfigError(`${a} in VIAM_SERVE_PROXY_ADDRESSES is not an IP`);
    gate = {
      kind: 'proxy',
      header: proxyHeader.toLowerCase(),
      addresses: new Set(addresses.flatMap(withMapped)),
    };
  }
  if (!loopback && gate.kind === 'none')
    throw new ConfigError(
      `refusing to listen on ${host} without an access gate: anyone who reaches it would get the API key. ` +
        'Set VIAM_SERVE_PASSWORD (or VIAM_SERVE_PASSWORD_FILE), or VIAM_SERVE_PROXY_USER_HEADER with ' +
        'VIAM_SERVE_PROXY_ADDRESSES behind an authenticating proxy, or listen on 127.0.0.1.',
    );

  const secureText = text(env, 'VIAM_SERVE_SECURE_COOKIES');
  const secureCookies = secureText === undefined ? !loopback : bool(secureText, 'VIAM_SERVE_SECURE_COOKIES');
  const hostsText = text(env, 'VIAM_SERVE_ALLOWED_HOSTS');
  // On loopback, only loopback names: a page elsewhere that rebinds its DNS name to 127.0.0.1 must
  // not be served the key under its own origin.
  const allowedHosts = hostsText
    ? new Set(
        hostsText
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter((h) => h !== ''),
      )
    : loopback
      ? new Set(LOOPBACK_NAMES)
      : undefined;
  return { host, port, dist, loopback, machine, fleet, gate, secureCookies, allowedHosts };
}

/**
 * An IPv4 address as Node may report it on a dual-stack socket, too.
 * @param {string} address
 */
function withMapped(address) {
  return isIP(address) === 4 ? [address, `::ffff:${address}`] : [address];
}
