/**
 * Reads the machine credentials that Viam Applications hands a single-machine app.
 *
 * The platform opens the app at `/machine/<key>/` and sets a cookie named `<key>` whose value is
 * percent-encoded JSON. This module is pure: it takes the page path and an already-split cookie jar
 * (name -> value, as js-cookie returns it) and never touches `document`.
 *
 * Failures name what is wrong (which field, which reason) but never echo a cookie value: the value
 * holds an API key.
 */
import type { DialCredential } from './connection-state.ts';

export interface MachineCredentials {
  /** The opaque key from the URL path (machine id in production, hostname under the local CLI). */
  readonly machineKey: string;
  readonly hostname: string;
  readonly machineId: string;
  readonly apiKeyId: string;
  readonly apiKey: string;
}

/** The dial credential of a machine cookie: its API key. */
export function apiKeyCredential(credentials: MachineCredentials): DialCredential {
  return { type: 'api-key', authEntity: credentials.apiKeyId, payload: credentials.apiKey };
}

/** A field the credentials need, as named in failure messages. */
export type CredentialField = 'hostname' | 'machineId' | 'apiKeyId' | 'apiKey';

export type FieldProblem = 'missing' | 'empty' | 'wrong-type' | 'invalid';

export type CredentialFailure =
  | { readonly reason: 'no-machine-in-path' }
  | { readonly reason: 'no-cookie'; readonly machineKey: string }
  | { readonly reason: 'not-json'; readonly machineKey: string }
  | {
      readonly reason: 'unsupported-credential-type';
      readonly machineKey: string;
      /**
       * The credential type the cookie names when it is one of Viam's known types, else 'unknown':
       * a malformed cookie may hold anything in that field, the key included, so it is never echoed.
       */
      readonly credentialType: string;
    }
  | {
      readonly reason: 'bad-fields';
      readonly machineKey: string;
      readonly fields: readonly { readonly field: CredentialField; readonly problem: FieldProblem }[];
    };

export type CredentialResult =
  | { readonly ok: true; readonly credentials: MachineCredentials }
  | { readonly ok: false; readonly failure: CredentialFailure };

/** Credential types Viam's RPC layer knows; only these are ever named back to the operator. */
const KNOWN_CREDENTIAL_TYPES: ReadonlySet<string> = new Set([
  'robot-secret',
  'robot-location-secret',
  'access-token',
]);

/** Longest cookie value we try to parse; the platform's is well under 1 KiB, a browser caps at 4 KiB. */
const MAX_COOKIE_VALUE = 16 * 1024;

/**
 * Host names as the SDK accepts them: a DNS name (optionally with a port) or, for local direct dials, an
 * http(s) URL. Anything else (spaces, paths, credentials in URLs) is refused rather than dialled.
 */
const HOSTNAME_PATTERN = /^(https?:\/\/)?[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::\d{1,5})?$/;

/**
 * The machine key: the path segment right after `machine`. Works for `/machine/k`, `/machine/k/`,
 * `/machine/k/index.html`, with or without query and fragment, and under a prefix (`/app/machine/k/`).
 */
export function machineKeyFromPath(path: string): string | undefined {
  const pathOnly = path.split(/[?#]/, 1)[0] ?? '';
  const segments = pathOnly.split('/');
  const at = segments.indexOf('machine');
  if (at < 0) return undefined;
  const raw = segments[at + 1];
  if (raw === undefined || raw === '') return undefined;
  const key = safeDecode(raw);
  return key === undefined || key.trim() === '' ? undefined : key;
}

export function readCredentials(
  path: string,
  jar: Readonly<Record<string, string | undefined>>,
): CredentialResult {
  const machineKey = machineKeyFromPath(path);
  if (machineKey === undefined) return fail({ reason: 'no-machine-in-path' });

  const direct = Object.prototype.hasOwnProperty.call(jar, machineKey) ? jar[machineKey] : undefined;
  let parsed: Record<string, unknown> | undefined;
  if (direct !== undefined) {
    parsed = parseJsonObject(direct);
    if (parsed === undefined) return fail({ reason: 'not-json', machineKey });
  } else {
    parsed = scanForMachine(jar, machineKey);
    if (parsed === undefined) return fail({ reason: 'no-cookie', machineKey });
  }
  return fromJson(machineKey, parsed);
}

function fromJson(machineKey: string, json: Record<string, unknown>): CredentialResult {
  const apiKey = asRecord(json['apiKey']);
  const credentials = asRecord(json['credentials']);

  const credentialType = credentials?.['type'];
  if (typeof credentialType === 'string' && credentialType !== '' && credentialType !== 'api-key') {
    return fail({
      reason: 'unsupported-credential-type',
      machineKey,
      credentialType: KNOWN_CREDENTIAL_TYPES.has(credentialType) ? credentialType : 'unknown',
    });
  }

  const problems: { field: CredentialField; problem: FieldProblem }[] = [];
  const take = (field: CredentialField, ...candidates: unknown[]): string => {
    const result = firstString(candidates);
    if (typeof result === 'string') return result;
    problems.push({ field, problem: result.problem });
    return '';
  };

  // Preferred shape first (apiKey{id,key}), then the SDK-shaped `credentials`, then legacy top level.
  const apiKeyId = take('apiKeyId', apiKey?.['id'], credentials?.['authEntity'], json['id']);
  const apiKeySecret = take('apiKey', apiKey?.['key'], credentials?.['payload'], json['key']);
  const hostname = take('hostname', json['hostname']);
  const machineId = take('machineId', json['machineId']);

  if (hostname !== '' && !HOSTNAME_PATTERN.test(hostname)) {
    problems.push({ field: 'hostname', problem: 'invalid' });
  }
  if (problems.length > 0) return fail({ reason: 'bad-fields', machineKey, fields: problems });

  return {
    ok: true,
    credentials: { machineKey, hostname, machineId, apiKeyId, apiKey: apiKeySecret },
  };
}

/** The first usable string among candidates, or the most telling problem with them. */
function firstString(candidates: unknown[]): string | { problem: FieldProblem } {
  let problem: FieldProblem = 'missing';
  for (const value of candidates) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      problem = 'wrong-type';
      continue;
    }
    if (value.trim() === '') {
      if (problem === 'missing') problem = 'empty';
      continue;
    }
    return value;
  }
  return { problem };
}

/** Fallback: a cookie under another name whose JSON names this machine by id or hostname. */
function scanForMachine(
  jar: Readonly<Record<string, string | undefined>>,
  machineKey: string,
): Record<string, unknown> | undefined {
  for (const value of Object.values(jar)) {
    if (value === undefined) continue;
    const json = parseJsonObject(value);
    if (json === undefined) continue;
    if (json['machineId'] === machineKey || json['hostname'] === machineKey) return json;
  }
  return undefined;
}

/**
 * JSON.parse for a cookie value that should be an object. js-cookie has already percent-decoded it;
 * a value that is still percent-encoded (encoded twice, or read raw) is decoded once more.
 */
function parseJsonObject(value: string): Record<string, unknown> | undefined {
  if (value.length > MAX_COOKIE_VALUE) return undefined;
  const attempt = (text: string): Record<string, unknown> | undefined => {
    try {
      return asRecord(JSON.parse(text) as unknown);
    } catch {
      return undefined;
    }
  };
  const trimmed = value.trim();
  const direct = attempt(trimmed);
  if (direct !== undefined) return direct;
  if (trimmed.includes('%')) {
    const decoded = safeDecode(trimmed);
    if (decoded !== undefined) return attempt(decoded);
  }
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function fail(failure: CredentialFailure): CredentialResult {
  return { ok: false, failure };
}
