/**
 * gRPC over the WebRTC "data" channel, machine side (goutils rpc/wrtc_server_stream.go
 * is the reference). Every call is handed to the same connect-es UniversalHandler that
 * serves gRPC-web, as a synthesized gRPC (application/grpc+proto) request, and the
 * handler's enveloped body and trailers are translated back into Response frames.
 */
import { MethodKind } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerResponse } from '@connectrpc/connect/protocol';
import {
  Metadata,
  PacketMessage,
  Request,
  type RequestHeaders,
  type RequestMessage,
  Response,
  ResponseHeaders,
  ResponseMessage,
  ResponseTrailers,
  Stream,
  Strings,
} from '../proto/rpc-grpc.ts';
import { Status } from '../proto/google-rpc-status.ts';
import { AsyncQueue } from './async-queue.ts';
import { HEADER_PEER, HEADER_TRANSPORT, isSimHeader } from './headers.ts';

/** Response chunk size: well under the 64 KiB a message may hold. */
const CHUNK_BYTES = 16_384;
/** Largest request message we reassemble (the SDK's own limit). */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** Concurrent streams per connection (the SDK's own limit). */
const MAX_STREAMS = 256;
/** Request metadata that must not override what the synthesized request needs. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'te',
  'host',
  'connection',
  'grpc-encoding',
  'grpc-accept-encoding',
  'grpc-timeout',
]);

export interface DataChannelServerOptions {
  peerId: string;
  send: (frame: Uint8Array) => void;
  lookup: (path: string) => UniversalHandler | undefined;
  /** a call for a method nobody registered (answered Unimplemented here) */
  onUnknownMethod: (path: string, header: Headers) => void;
}

interface ServerStream {
  id: bigint;
  body: AsyncQueue<Uint8Array>;
  abort: AbortController;
  /** unary and server-streaming calls take one request message */
  singleInput: boolean;
  packets: Uint8Array[];
  packetBytes: number;
}

export class DataChannelServer {
  private readonly streams = new Map<bigint, ServerStream>();
  private closed = false;

  constructor(private readonly opts: DataChannelServerOptions) {}

  get activeStreams(): number {
    return this.streams.size;
  }

  /** One data-channel message. Malformed input is dropped, never thrown. */
  onMessage(data: Uint8Array | string): void {
    if (this.closed || typeof data === 'string') return;
    let req: Request;
    try {
      req = Request.fromBinary(data);
    } catch {
      return;
    }
    const id = req.stream?.id;
    if (id === undefined) return;
    switch (req.type.case) {
      case 'headers':
        this.onHeaders(id, req.type.value);
        break;
      case 'message':
        this.onRequestMessage(id, req.type.value);
        break;
      case 'rstStream':
        this.reset(id);
        break;
      default:
        break;
    }
  }

  /** Cancels every call in flight (the peer went away). */
  close(): void {
    this.closed = true;
    for (const id of [...this.streams.keys()]) this.reset(id);
  }

  private onHeaders(id: bigint, headers: RequestHeaders): void {
    if (this.streams.has(id)) return; // headers twice: ignore, as goutils does
    const path = headers.method;
    const header = new Headers();
    for (const [key, strings] of Object.entries(headers.metadata?.md ?? {})) {
      const name = key.toLowerCase();
      if (isSimHeader(name) || RESERVED_HEADERS.has(name)) continue;
      for (const value of strings.values) {
        try {
          header.append(name, value);
        } catch {
          // an invalid header name or value from the peer: skip it
        }
      }
    }
    header.set('content-type', 'application/grpc+proto');
    header.set('te', 'trailers');
    header.set(HEADER_TRANSPORT, 'webrtc');
    header.set(HEADER_PEER, this.opts.peerId);
    const timeout = headers.timeout;
    if (timeout) {
      const ms = Number(timeout.seconds) * 1000 + Math.ceil(timeout.nanos / 1e6);
      if (ms > 0) header.set('grpc-timeout', `${ms}m`);
    }

    const handler = this.opts.lookup(path);
    if (!handler) {
      this.opts.onUnknownMethod(path, header);
      this.writeHeaders(id, new Headers());
      this.writeTrailers(id, Code.Unimplemented, `unknown method ${path}`, new Headers());
      return;
    }
    if (this.streams.size >= MAX_STREAMS) {
      this.writeHeaders(id, new Headers());
      this.writeTrailers(id, Code.ResourceExhausted, 'too many concurrent streams', new Headers());
      return;
    }
    const kind = handler.method.kind;
    const stream: ServerStream = {
      id,
      body: new AsyncQueue<Uint8Array>(),
      abort: new AbortController(),
      singleInput: kind === MethodKind.Unary || kind === MethodKind.ServerStreaming,
      packets: [],
      packetBytes: 0,
    };
    this.streams.set(id, stream);
    this.run(stream, handler, path, header).catch(() => {
      // run() reports its own failures as trailers; nothing is left to do here
    });
  }

  private onRequestMessage(id: bigint, msg: RequestMessage): void {
    const stream = this.streams.get(id);
    if (!stream || stream.body.isEnded) return;
    const packet = msg.packetMessage;
    if (msg.hasMessage && packet) {
      if (stream.packetBytes + packet.data.length > MAX_MESSAGE_BYTES) {
        stream.abort.abort();
        this.finish(stream);
        this.writeTrailers(id, Code.ResourceExhausted, 'request message too large', new Headers());
        return;
      }
      stream.packets.push(packet.data);
      stream.packetBytes += packet.data.length;
      if (packet.eom) {
        stream.body.push(envelope(stream.packets, stream.packetBytes));
        stream.packets = [];
        stream.packetBytes = 0;
        // The SDK sends unary requests with eos=false: a complete message is the end.
        if (stream.singleInput) stream.body.end();
      }
    }
    if (msg.eos) stream.body.end();
  }

  private reset(id: bigint): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.abort.abort();
    this.finish(stream);
  }

  private finish(stream: ServerStream): void {
    stream.body.end();
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
  }

  private async run(
    stream: ServerStream,
    handler: UniversalHandler,
    path: string,
    header: Headers,
  ): Promise<void> {
    const { id } = stream;
    let sentHeaders = false;
    let res: UniversalServerResponse;
    try {
      res = await handler({
        httpVersion: '2.0',
        url: `http://webrtc.sim${path}`,
        method: 'POST',
        header,
        body: stream.body,
        signal: stream.abort.signal,
      });
      if (res.status !== 200) {
        this.writeHeaders(id, new Headers());
        this.writeTrailers(id, Code.Internal, `handler answered HTTP ${res.status}`, new Headers());
        return;
      }
      const respHeader = res.header ?? new Headers();
      // A trailers-only answer (an error before any message) has grpc-status in the headers.
      if (respHeader.has('grpc-status')) {
        this.writeHeaders(id, new Headers());
        this.writeStatusFrom(id, respHeader);
        return;
      }
      this.writeHeaders(id, respHeader);
      sentHeaders = true;
      let pending: Uint8Array = new Uint8Array(0);
      for await (const chunk of res.body ?? []) {
        if (stream.abort.signal.aborted) return;
        pending = concat(pending, chunk);
        for (;;) {
          if (pending.length < 5) break;
          const view = new DataView(pending.buffer, pending.byteOffset, pending.byteLength);
          const len = view.getUint32(1);
          if (pending.length < 5 + len) break;
          this.writeMessage(id, pending.subarray(5, 5 + len));
          pending = pending.subarray(5 + len);
        }
      }
      if (stream.abort.signal.aborted) return;
      this.writeStatusFrom(id, res.trailer ?? new Headers());
    } catch (err) {
      if (stream.abort.signal.aborted) return;
      if (!sentHeaders) this.writeHeaders(id, new Headers());
      this.writeTrailers(id, Code.Internal, err instanceof Error ? err.message : String(err), new Headers());
    } finally {
      this.finish(stream);
    }
  }

  private writeStatusFrom(id: bigint, trailer: Headers): void {
    const code = Number(trailer.get('grpc-status') ?? '0');
    let message = trailer.get('grpc-message') ?? '';
    try {
      message = decodeURIComponent(message);
    } catch {
      // keep it as sent
    }
    const rest = new Headers();
    trailer.forEach((value, key) => {
      if (key !== 'grpc-status' && key !== 'grpc-message') rest.append(key, value);
    });
    this.writeTrailers(id, Number.isInteger(code) ? code : Code.Unknown, message, rest);
  }

  private writeHeaders(id: bigint, header: Headers): void {
    const md = new Headers();
    header.forEach((value, key) => {
      if (key !== 'content-type' && !key.startsWith('grpc-')) md.append(key, value);
    });
    this.write(
      new Response({
        stream: new Stream({ id }),
        type: { case: 'headers', value: new ResponseHeaders({ metadata: toMetadata(md) }) },
      }),
    );
  }

  private writeMessage(id: bigint, data: Uint8Array): void {
    if (data.length === 0) {
      this.writePacket(id, new PacketMessage({ eom: true }));
      return;
    }
    for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) {
      const end = Math.min(offset + CHUNK_BYTES, data.length);
      this.writePacket(id, new PacketMessage({ data: data.slice(offset, end), eom: end === data.length }));
    }
  }

  private writePacket(id: bigint, packetMessage: PacketMessage): void {
    this.write(
      new Response({
        stream: new Stream({ id }),
        type: { case: 'message', value: new ResponseMessage({ packetMessage }) },
      }),
    );
  }

  private writeTrailers(id: bigint, code: number, message: string, md: Headers): void {
    this.write(
      new Response({
        stream: new Stream({ id }),
        type: {
          case: 'trailers',
          value: new ResponseTrailers({ status: new Status({ code, message }), metadata: toMetadata(md) }),
        },
      }),
    );
  }

  private write(res: Response): void {
    if (this.closed) return;
    try {
      this.opts.send(res.toBinary());
    } catch {
      // the channel closed under us; the peer's cleanup will follow
    }
  }
}

function toMetadata(header: Headers): Metadata {
  const md: Record<string, Strings> = {};
  header.forEach((value, key) => {
    (md[key] ??= new Strings()).values.push(value);
  });
  return new Metadata({ md });
}

function envelope(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(5 + size);
  new DataView(out.buffer).setUint32(1, size);
  let offset = 5;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
