/**
 * Per-method fault injection (latency and/or an error), off by default.
 * Bounded: at most MAX_FAULTS rules, latency and duration capped.
 */
import { Code, ConnectError } from '@connectrpc/connect';

const MAX_FAULTS = 64;
const MAX_LATENCY_MS = 60_000;
const MAX_DURATION_MS = 10 * 60_000;
/** Room for the 10 KB messages a broken machine may send (the app must cope with them). */
const MAX_MESSAGE_CHARS = 16_384;

export interface FaultSpec {
  /** '/pkg.Service/Method', 'Service/Method', 'pkg.Service/Method' or just 'Method'; '*' = every machine method */
  method: string;
  latencyMs?: number;
  /** a gRPC code (1..16); absent = no error */
  errorCode?: number;
  errorMessage?: string;
  /** the rule expires after this long; absent = until cleared */
  durationMs?: number;
}

interface Fault extends FaultSpec {
  expiresAt?: number;
}

/** Methods a '*' rule leaves alone, so a fault cannot lock the tests out of the sim. */
const INFRA_PREFIXES = ['/proto.rpc.'];

function matches(rule: string, path: string): boolean {
  if (rule === '*') return !INFRA_PREFIXES.some((p) => path.startsWith(p));
  if (rule.startsWith('/')) return rule === path;
  if (rule.includes('/')) return path.endsWith(`/${rule}`) || path.endsWith(`.${rule}`);
  return path.endsWith(`/${rule}`);
}

export class FaultRegistry {
  private faults: Fault[] = [];

  /** validates and adds a rule; throws a message on bad input */
  add(spec: FaultSpec): FaultSpec {
    if (typeof spec.method !== 'string' || spec.method === '') throw new Error('method is required');
    const num = (v: unknown, name: string, max: number): number | undefined => {
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new Error(`${name} must be a non-negative number`);
      return Math.min(v, max);
    };
    const latencyMs = num(spec.latencyMs, 'latencyMs', MAX_LATENCY_MS);
    const durationMs = num(spec.durationMs, 'durationMs', MAX_DURATION_MS);
    const errorCode = num(spec.errorCode, 'errorCode', 16);
    if (errorCode !== undefined && (errorCode < 1 || !Number.isInteger(errorCode))) {
      throw new Error('errorCode must be a gRPC code from 1 to 16');
    }
    if (latencyMs === undefined && errorCode === undefined)
      throw new Error('give latencyMs and/or errorCode');
    const fault: Fault = {
      method: spec.method,
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(errorCode !== undefined ? { errorCode } : {}),
      ...(typeof spec.errorMessage === 'string'
        ? { errorMessage: spec.errorMessage.slice(0, MAX_MESSAGE_CHARS) }
        : {}),
      ...(durationMs !== undefined ? { durationMs, expiresAt: Date.now() + durationMs } : {}),
    };
    this.prune();
    this.faults.push(fault);
    if (this.faults.length > MAX_FAULTS) this.faults.shift();
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    this.prune();
    return this.faults.map(({ expiresAt: _expiresAt, ...spec }) => spec);
  }

  /** waits for injected latency, then throws the injected error if any */
  async apply(path: string, signal: AbortSignal): Promise<void> {
    this.prune();
    const hits = this.faults.filter((f) => matches(f.method, path));
    if (hits.length === 0) return;
    const latency = hits.reduce((sum, f) => sum + (f.latencyMs ?? 0), 0);
    if (latency > 0) await sleep(Math.min(latency, MAX_LATENCY_MS), signal);
    const failing = hits.find((f) => f.errorCode !== undefined);
    if (failing?.errorCode !== undefined) {
      throw new ConnectError(failing.errorMessage ?? 'injected fault', toCode(failing.errorCode));
    }
  }

  private prune(): void {
    const now = Date.now();
    this.faults = this.faults.filter((f) => f.expiresAt === undefined || f.expiresAt > now);
  }
}

function toCode(n: number): Code {
  const name = Code[n] as keyof typeof Code | undefined;
  return name === undefined ? Code.Unknown : Code[name];
}

/** Waits `ms`, or rejects Canceled as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new ConnectError('canceled', Code.Canceled));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ConnectError('canceled', Code.Canceled));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
