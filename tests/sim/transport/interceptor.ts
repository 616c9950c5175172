/**
 * The interceptor every handler runs behind, on both transports: admission (auth and scope),
 * fault injection, and the call log. What each of them means for a call is the caller's `route`.
 */
import type { AnyMessage } from '@bufbuild/protobuf';
import { Code, ConnectError, type Interceptor, type StreamResponse } from '@connectrpc/connect';
import type { FaultRegistry } from './faults.ts';
import { HEADER_SESSION, transportOf, type TransportKind } from './headers.ts';

export const AUTHENTICATE_PATH = '/proto.rpc.v1.AuthService/Authenticate';
export const SIGNALING_PREFIX = '/proto.rpc.webrtc.v1.SignalingService/';
const SUMMARY_MAX = 200;
const SECRET_KEYS = new Set(['payload', 'accessToken']);

export interface CallLogEntry {
  method: string;
  transport: TransportKind;
  sessionId?: string;
  summary: string;
  code: number;
  durationMs: number;
}

/** Where one call is logged, which faults it suffers, and whether it may be made at all. */
export interface CallRoute {
  log: (entry: CallLogEntry) => void;
  faults: readonly FaultRegistry[];
  /** throws (Unauthenticated, PermissionDenied, NotFound…) when the call may not go ahead */
  admit: () => void;
}

export interface InterceptorDeps {
  /** `message` is the request of a unary or server-streaming call (undefined for client streams) */
  route: (path: string, header: Headers, message: AnyMessage | undefined) => CallRoute;
}

/** A short JSON rendering of a request, for the call log. */
export function summarize(message: AnyMessage | undefined): string {
  if (!message) return '';
  let text: string;
  try {
    const json = message.toJson({ emitDefaultValues: false });
    // The call log is readable over /__sim/calls: keep secrets out of it.
    text = JSON.stringify(json, (key, value: unknown) =>
      SECRET_KEYS.has(key) && typeof value === 'string' ? '<redacted>' : value,
    );
  } catch {
    text = message.getType().typeName;
  }
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

export function codeOf(err: unknown): number {
  return ConnectError.from(err).code;
}

export function createSimInterceptor(deps: InterceptorDeps): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const path = `/${req.service.typeName}/${req.method.name}`;
    const sessionId = req.header.get(HEADER_SESSION) ?? undefined;
    const route = deps.route(path, req.header, req.stream ? undefined : req.message);
    const log = (code: number): void => {
      route.log({
        method: path,
        transport: transportOf(req.header),
        ...(sessionId ? { sessionId } : {}),
        summary: req.stream ? '(client stream)' : summarize(req.message),
        code,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      });
    };
    let res;
    try {
      route.admit();
      for (const faults of route.faults) await faults.apply(path, req.signal);
      res = await next(req);
    } catch (err) {
      log(codeOf(err));
      throw err;
    }
    if (!res.stream) {
      log(0);
      return res;
    }
    return { ...res, message: loggedStream(res, log) } satisfies StreamResponse;
  };
}

async function* loggedStream(res: StreamResponse, log: (code: number) => void): AsyncIterable<AnyMessage> {
  let code: number = Code.Canceled; // the consumer stopped early unless we learn otherwise
  try {
    yield* res.message;
    code = 0;
  } catch (err) {
    code = codeOf(err);
    throw err;
  } finally {
    log(code);
  }
}
