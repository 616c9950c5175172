/**
 * The sim's one HTTP port: CORS, the /__sim/ control routes, and gRPC-web (plus
 * gRPC and Connect, which connect-es serves from the same handlers) for auth,
 * signaling and direct dials.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node';
import { Code, ConnectError } from '@connectrpc/connect';
import { HEADER_TRANSPORT, isSimHeader } from './headers.ts';
import type { UniversalHandler } from '@connectrpc/connect/protocol';

const CONTROL_PREFIX = '/__sim/';
const MAX_CONTROL_BODY = 1024 * 1024;
const EXPOSED_HEADERS = 'grpc-status, grpc-message, grpc-status-details-bin';

export interface ControlResult {
  status: number;
  body: unknown;
}

/** What serves one gRPC request, and for which machine. */
export interface RequestTarget {
  handler: UniversalHandler | undefined;
  /** the machine the request is for: its connections are cut when it goes down */
  tag?: string;
  /** the machine is unreachable right now: drop the connection, as a vanished host does */
  drop?: boolean;
}

export interface SimHttpServerOptions {
  /** the handler for a gRPC path (`header` carries rpc-host and the rest) */
  route: (path: string, header: Headers) => RequestTarget;
  /** a /__sim/ route; `subpath` is what follows /__sim/ (no query); undefined = 404 */
  control: (
    method: string,
    subpath: string,
    body: unknown,
    query: URLSearchParams,
  ) => Promise<ControlResult | undefined>;
  /** a gRPC path nobody registered (answered Unimplemented) */
  onUnknownMethod: (path: string, header: Headers) => void;
}

export interface SimHttpServer {
  server: Server;
  /**
   * Drops open connections: all of them, or (with `tag`) those whose last request was for that
   * machine. `keepControl` spares those last used for /__sim/ routes.
   */
  destroyConnections(opts?: { keepControl?: boolean; tag?: string }): void;
}

export function createSimHttpServer(opts: SimHttpServerOptions): SimHttpServer {
  const sockets = new Set<Socket>();
  /** connections whose last request was a /__sim/ route: going offline spares them */
  const controlSockets = new WeakSet<Socket>();
  /** the machine each connection's last request was for */
  const socketTags = new WeakMap<Socket, string>();

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(err) }));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Browsers keep connections alive; keep the timeout short so close() is quick.
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const path = url.pathname;
    applyCors(req, res);

    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
        ...(req.headers['access-control-request-private-network'] === 'true'
          ? { 'access-control-allow-private-network': 'true' }
          : {}),
      });
      res.end();
      return;
    }

    if (path.startsWith(CONTROL_PREFIX)) controlSockets.add(req.socket);
    else controlSockets.delete(req.socket);

    if (path.startsWith(CONTROL_PREFIX)) {
      await handleControl(req, res, path.slice(CONTROL_PREFIX.length), url.searchParams);
      return;
    }

    // Only the transport itself may say which transport and peer a call came from.
    for (const name of Object.keys(req.headers)) {
      if (isSimHeader(name)) Reflect.deleteProperty(req.headers, name);
    }
    req.headers[HEADER_TRANSPORT] = 'grpc-web';
    const header = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') header.set(k, v);

    const target = opts.route(path, header);
    if (target.tag === undefined) socketTags.delete(req.socket);
    else socketTags.set(req.socket, target.tag);
    if (target.drop) {
      req.socket.destroy();
      return;
    }

    const { handler } = target;
    if (!handler || req.method !== 'POST') {
      if (req.method === 'POST') opts.onUnknownMethod(path, header);
      answerUnimplemented(req, res, path);
      return;
    }
    const uReq = universalRequestFromNodeRequest(req, res, undefined, undefined);
    try {
      const uRes = await handler(uReq);
      await universalResponseToNodeResponse(uRes, res);
    } catch (err) {
      if (ConnectError.from(err).code === Code.Aborted) return;
      throw err;
    }
  }

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    subpath: string,
    query: URLSearchParams,
  ): Promise<void> {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (err) {
      sendJson(res, 400, { error: String(err instanceof Error ? err.message : err) });
      return;
    }
    const result = await opts.control(req.method ?? 'GET', subpath, body, query);
    if (!result) {
      sendJson(res, 404, { error: `no control route ${req.method ?? ''} /__sim/${subpath}` });
      return;
    }
    sendJson(res, result.status, result.body);
  }

  return {
    server,
    destroyConnections({ keepControl = false, tag } = {}) {
      for (const socket of sockets) {
        if (keepControl && controlSockets.has(socket)) continue;
        if (tag !== undefined && socketTags.get(socket) !== tag) continue;
        socket.destroy();
      }
    },
  };
}

function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  // The SDK fetches signaling with credentials: 'include', which rules out '*'.
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  res.setHeader('vary', 'Origin');
}

/** A trailers-only gRPC(-web) Unimplemented answer for a path nobody serves. */
function answerUnimplemented(req: IncomingMessage, res: ServerResponse, path: string): void {
  const contentType = req.headers['content-type'] ?? '';
  if (req.method === 'POST' && contentType.startsWith('application/grpc')) {
    res.writeHead(200, {
      'content-type': contentType,
      'grpc-status': String(Code.Unimplemented),
      'grpc-message': encodeURIComponent(`unknown method ${path}`),
    });
    res.end();
    return;
  }
  sendJson(res, 404, { error: `not found: ${path}` });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_CONTROL_BODY) throw new Error('body too large');
    chunks.push(buf);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('body is not JSON');
  }
}
