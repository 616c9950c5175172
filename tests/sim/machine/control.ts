/**
 * The machine's /__sim/ control routes (JSON in, JSON out). Bad input is a 400 with a message;
 * anything else not ours is `undefined` so the transport can answer 404.
 *
 *   GET    calls[?since=ms][&limit=n] -> {calls: [{t, method, transport, sessionId?, summary, code, durationMs}]}
 *   DELETE calls                      -> {calls: []}
 *   GET    state                      -> snapshot of machine + every resource's physical state
 *   GET    sessions                   -> {sessions}
 *   POST   resources/unhealthy {name, error}
 *   POST   resources/healthy   {name}
 *   POST   reconfigure {add?: [resource config], remove?: [names]} -> {revision, added, removed}
 *   POST   stop-all                   -> {stopped}
 *   POST   names/unchecked {on}       -> {on}: let reconfigure add names viam-server refuses (tests)
 */
import { ConfigError } from './config.ts';
import type { Machine } from './machine.ts';

export interface ControlResult {
  status: number;
  body: unknown;
}

const MAX_ERROR_LEN = 500;
const MAX_RECONFIGURE_ITEMS = 500;

function bad(message: string): ControlResult {
  return { status: 400, body: { error: message } };
}

function asObject(body: unknown): Record<string, unknown> | undefined {
  if (typeof body === 'string') {
    try {
      return asObject(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  if (body === undefined || body === null) return {};
  return typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

function parseNumber(v: unknown): number | undefined | 'bad' {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 'bad';
}

export function handleControl(
  m: Machine,
  method: string,
  subpath: string,
  rawBody: unknown,
): Promise<ControlResult | undefined> {
  try {
    return Promise.resolve(route(m, method.toUpperCase(), subpath, rawBody));
  } catch (err) {
    return Promise.resolve({
      status: 500,
      body: { error: err instanceof Error ? err.message : String(err) },
    });
  }
}

function route(m: Machine, method: string, subpath: string, rawBody: unknown): ControlResult | undefined {
  const url = new URL(subpath.replace(/^\/+/, ''), 'http://sim/');
  const path = url.pathname.replace(/^\/+|\/+$/g, '');
  const queryBody = Object.fromEntries(url.searchParams);
  const body = asObject(rawBody);

  switch (`${method} ${path}`) {
    case 'GET calls': {
      const params = { ...queryBody, ...(body ?? {}) };
      const since = parseNumber(params['since']);
      const limit = parseNumber(params['limit']);
      if (since === 'bad') return bad('"since" must be a number (ms since the epoch)');
      if (limit === 'bad' || (limit !== undefined && limit < 0))
        return bad('"limit" must be a non-negative number');
      let calls = m.calls.list(since);
      if (limit !== undefined) calls = calls.slice(Math.max(0, calls.length - Math.floor(limit)));
      return { status: 200, body: { calls } };
    }
    case 'DELETE calls':
      m.calls.clear();
      return { status: 200, body: { calls: [] } };
    case 'GET state':
      return { status: 200, body: m.snapshot() };
    case 'GET sessions':
      return {
        status: 200,
        body: {
          sessions: m.sessions
            .all()
            .map((s) => ({ id: s.id, transport: s.transport, expires_in_ms: s.deadline - m.now() })),
        },
      };
    case 'POST names/unchecked': {
      if (!body || typeof body['on'] !== 'boolean') return bad('body must be {on: boolean}');
      m.acceptAnyNames = body['on'];
      return { status: 200, body: { on: m.acceptAnyNames } };
    }
    case 'POST video': {
      // {camera, frozen?: boolean, fps?: number}; {camera} alone puts it back to normal.
      if (!body || typeof body['camera'] !== 'string') return bad('body must be {camera, frozen?, fps?}');
      const camera = body['camera'];
      if (!m.cameraNames().includes(camera)) return bad(`no camera named "${camera}"`);
      const frozen = body['frozen'] ?? false;
      const fps = body['fps'];
      if (typeof frozen !== 'boolean') return bad('"frozen" must be a boolean');
      if (fps !== undefined && (typeof fps !== 'number' || !(fps > 0) || fps > 60))
        return bad('"fps" must be a number in (0, 60]');
      if (!frozen && fps === undefined) m.video.delete(camera);
      else m.video.set(camera, { frozen, ...(fps === undefined ? {} : { fps }) });
      return { status: 200, body: { camera, frozen, fps: fps ?? null } };
    }
    case 'POST stop-all':
      return { status: 200, body: { stopped: m.stopAll() } };
    case 'POST resources/unhealthy': {
      if (!body) return bad('body must be a JSON object {name, error}');
      const name = body['name'];
      const error = body['error'] ?? 'simulated failure';
      if (typeof name !== 'string' || name === '') return bad('"name" (a resource name) is required');
      if (typeof error !== 'string' || error === '') return bad('"error" must be a non-empty string');
      if (error.length > MAX_ERROR_LEN) return bad(`"error" must be at most ${MAX_ERROR_LEN} characters`);
      if (!m.setHealth(name, error)) return { status: 404, body: { error: `no resource named "${name}"` } };
      return { status: 200, body: { name, state: 'UNHEALTHY', error } };
    }
    case 'POST resources/healthy': {
      if (!body) return bad('body must be a JSON object {name}');
      const name = body['name'];
      if (typeof name !== 'string' || name === '') return bad('"name" (a resource name) is required');
      if (!m.setHealth(name, undefined))
        return { status: 404, body: { error: `no resource named "${name}"` } };
      return { status: 200, body: { name, state: 'READY' } };
    }
    case 'POST reconfigure': {
      if (!body) return bad('body must be a JSON object {add?, remove?}');
      const add = body['add'] ?? [];
      const remove = body['remove'] ?? [];
      if (!Array.isArray(add)) return bad('"add" must be an array of resource configs');
      if (!Array.isArray(remove) || !remove.every((n): n is string => typeof n === 'string')) {
        return bad('"remove" must be an array of resource names');
      }
      if (add.length + remove.length > MAX_RECONFIGURE_ITEMS)
        return bad(`at most ${MAX_RECONFIGURE_ITEMS} changes at once`);
      try {
        return { status: 200, body: m.reconfigure({ add, remove }) };
      } catch (err) {
        if (err instanceof ConfigError || err instanceof RangeError) return bad(err.message);
        throw err;
      }
    }
    default:
      return undefined;
  }
}
