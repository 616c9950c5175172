/**
 * The data-channel framing on its own (no browser): chunking both ways, server
 * streaming, cancellation, unknown methods and malformed frames.
 */
import { MethodKind } from '@bufbuild/protobuf';
import { Code, createConnectRouter } from '@connectrpc/connect';
import { expect, test } from '@playwright/test';
import {
  PacketMessage,
  Request,
  RequestHeaders,
  RequestMessage,
  Response,
  Stream,
} from '../../sim/proto/rpc-grpc.ts';
import { DataChannelServer } from '../../sim/transport/data-channel.ts';
import { createHandlerLookup } from '../../sim/transport/router-lookup.ts';

const Echo = {
  typeName: 'sim.test.v1.EchoService',
  methods: {
    echo: { name: 'Echo', I: PacketMessage, O: PacketMessage, kind: MethodKind.Unary },
    count: { name: 'Count', I: PacketMessage, O: PacketMessage, kind: MethodKind.ServerStreaming },
    hang: { name: 'Hang', I: PacketMessage, O: PacketMessage, kind: MethodKind.Unary },
  },
} as const;

function setup() {
  const router = createConnectRouter();
  const seen = { transport: '', peer: '', hangAborted: false };
  router.service(Echo, {
    echo(req, ctx) {
      seen.transport = ctx.requestHeader.get('x-sim-transport') ?? '';
      seen.peer = ctx.requestHeader.get('x-sim-peer') ?? '';
      return { data: req.data, eom: true };
    },
    async *count(req) {
      for (let i = 0; i < req.data.length; i++) {
        await Promise.resolve();
        yield { data: new Uint8Array([i]) };
      }
    },
    hang(_req, ctx) {
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          seen.hangAborted = true;
          reject(new Error('aborted'));
        });
      });
    },
  });
  const sent: Response[] = [];
  const unknown: string[] = [];
  const server = new DataChannelServer({
    peerId: 'peer-1',
    send: (frame) => sent.push(Response.fromBinary(frame)),
    lookup: createHandlerLookup(router),
    onUnknownMethod: (path) => unknown.push(path),
  });
  const frame = (req: Request) => server.onMessage(req.toBinary());
  const start = (id: number, method: string, metadata: Record<string, string> = {}) =>
    frame(
      new Request({
        stream: new Stream({ id: BigInt(id) }),
        type: {
          case: 'headers',
          value: new RequestHeaders({
            method,
            metadata: {
              md: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, { values: [v] }])),
            },
          }),
        },
      }),
    );
  /** sends one request message chunked the way the SDK does (<= 16,373 bytes, eos=false) */
  const send = (id: number, data: Uint8Array) => {
    const bytes = new PacketMessage({ data }).toBinary();
    for (let off = 0; off < bytes.length || off === 0; off += 16_373) {
      const end = Math.min(off + 16_373, bytes.length);
      frame(
        new Request({
          stream: new Stream({ id: BigInt(id) }),
          type: {
            case: 'message',
            value: new RequestMessage({
              hasMessage: true,
              packetMessage: { data: bytes.slice(off, end), eom: end === bytes.length },
              eos: false,
            }),
          },
        }),
      );
      if (bytes.length === 0) break;
    }
  };
  const of = (id: number) => sent.filter((r) => r.stream?.id === BigInt(id));
  const done = async (id: number) =>
    expect.poll(() => of(id).some((r) => r.type.case === 'trailers'), { timeout: 5000 }).toBe(true);
  /** reassembled response messages of a stream */
  const messages = (id: number): PacketMessage[] => {
    const out: PacketMessage[] = [];
    let buf: Uint8Array[] = [];
    for (const r of of(id)) {
      if (r.type.case !== 'message') continue;
      const p = r.type.value.packetMessage;
      if (!p) continue;
      buf.push(p.data);
      if (p.eom) {
        out.push(PacketMessage.fromBinary(Buffer.concat(buf)));
        buf = [];
      }
    }
    return out;
  };
  const status = (id: number) => {
    const t = of(id).find((r) => r.type.case === 'trailers');
    return t?.type.case === 'trailers' ? t.type.value.status : undefined;
  };
  return { server, frame, start, send, of, done, messages, status, seen, unknown };
}

test('unary: a 100 kB request and reply survive chunking; headers come first', async () => {
  const t = setup();
  const payload = new Uint8Array(100_000).map((_, i) => i % 251);
  t.start(0, '/sim.test.v1.EchoService/Echo', { 'x-sim-transport': 'grpc-web', 'viam-sid': 's1' });
  t.send(0, payload);
  await t.done(0);
  const frames = t.of(0);
  expect(frames[0]?.type.case).toBe('headers');
  for (const f of frames) expect(f.toBinary().length).toBeLessThan(64 * 1024);
  expect(t.status(0)?.code).toBe(0);
  expect(Buffer.from(t.messages(0)[0]?.data ?? []).equals(Buffer.from(payload))).toBe(true);
  // The transport sets these itself; a peer cannot claim another transport.
  expect(t.seen.transport).toBe('webrtc');
  expect(t.seen.peer).toBe('peer-1');
});

test('server streaming repeats messages before the trailers', async () => {
  const t = setup();
  t.start(1, '/sim.test.v1.EchoService/Count');
  t.send(1, new Uint8Array(3));
  await t.done(1);
  expect(t.messages(1).map((m) => m.data[0])).toEqual([0, 1, 2]);
  expect(t.of(1).at(-1)?.type.case).toBe('trailers');
});

test('rst_stream cancels the call', async () => {
  const t = setup();
  t.start(2, '/sim.test.v1.EchoService/Hang');
  t.send(2, new Uint8Array(1));
  await expect.poll(() => t.server.activeStreams).toBe(1);
  t.frame(new Request({ stream: new Stream({ id: 2n }), type: { case: 'rstStream', value: true } }));
  await expect.poll(() => t.seen.hangAborted).toBe(true);
  expect(t.server.activeStreams).toBe(0);
});

test('unknown methods answer Unimplemented; malformed frames are dropped', async () => {
  const t = setup();
  t.start(3, '/no.such.Service/Nope');
  await t.done(3);
  expect(t.status(3)?.code).toBe(Code.Unimplemented);
  expect(t.unknown).toEqual(['/no.such.Service/Nope']);

  t.server.onMessage(new Uint8Array([0xff, 0xff, 0xff]));
  t.server.onMessage('text');
  t.frame(new Request({ type: { case: 'rstStream', value: true } })); // no stream id
  t.send(99, new Uint8Array(5)); // message for a stream without headers
  t.start(4, '/sim.test.v1.EchoService/Echo');
  t.send(4, new Uint8Array([7]));
  await t.done(4);
  expect(t.status(4)?.code).toBe(0);
  expect(t.of(99)).toHaveLength(0);
});
