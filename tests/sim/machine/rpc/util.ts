/** Shared pieces for the RPC handlers. */
import type { HandlerContext } from '@connectrpc/connect';
import { Struct, Timestamp } from '@viamrobotics/sdk';
import type { JsonObject } from '../config.ts';
import { toConnectError } from '../errors.ts';
import type { Machine } from '../machine.ts';
import type { SimResource } from '../resource.ts';

/** Wrap every unary method so nothing but ConnectError leaves a handler. */
export function guarded<T extends object>(impl: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, fn] of Object.entries(impl)) {
    if (
      typeof fn !== 'function' ||
      (fn as { constructor: { name: string } }).constructor.name === 'AsyncGeneratorFunction'
    ) {
      out[key] = fn;
      continue;
    }
    out[key] = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await (fn as (...a: unknown[]) => unknown).apply(impl, args);
      } catch (err) {
        throw toConnectError(err);
      }
    };
  }
  return out as T;
}

export function structOf(obj: JsonObject): Struct {
  return Struct.fromJson(obj);
}

export function jsonOf(s: Struct | undefined): JsonObject {
  if (!s) return {};
  const v = s.toJson();
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
}

/** map<string, google.protobuf.Value> from plain JSON, as GetReadings wants. */
export function readingsOf(obj: JsonObject): Struct['fields'] {
  return Struct.fromJson(obj).fields;
}

export function timestamp(ms: number): Timestamp {
  return Timestamp.fromDate(new Date(ms));
}

/**
 * Run a blocking motion call as an operation (listed by GetOperations, cancellable); `start`
 * validates and starts the move synchronously, so bad arguments fail before anything moves.
 */
export async function asOperation<T>(
  m: Machine,
  ctx: HandlerContext,
  req: { toJson(): unknown },
  resource: SimResource,
  start: () => Promise<T>,
): Promise<T> {
  const work = start();
  let args: JsonObject = {};
  try {
    const j = req.toJson();
    if (typeof j === 'object' && j !== null && !Array.isArray(j)) args = j as JsonObject;
  } catch {
    // arguments are informational only
  }
  return m.ops.run(
    {
      method: `/${ctx.service.typeName}/${ctx.method.name}`,
      arguments: args,
      sessionId: m.sessionIdOf(ctx),
      signal: ctx.signal,
    },
    work,
    () => resource.stop(),
  );
}
