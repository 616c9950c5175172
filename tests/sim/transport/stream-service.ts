/**
 * proto.stream.v1.StreamService: live camera video over the caller's own WebRTC
 * connection. (The SDK's service is proto.stream.v1, not viam.stream.v1.)
 */
import { MethodKind, type ServiceType } from '@bufbuild/protobuf';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { StreamClient, streamApi } from '@viamrobotics/sdk';
import { HEADER_PEER, transportOf } from './headers.ts';
import type { PeerRegistry } from './peers.ts';
import type { SimPeer } from './peer.ts';
import type { VideoFeed, Vp8Clip } from './video.ts';

/**
 * The SDK does not export StreamService's descriptor, but StreamClient's constructor
 * asks its machine client for a service client built from it: a stub records it.
 */
function captureStreamServiceDescriptor(): ServiceType {
  let captured: ServiceType | undefined;
  const stub = {
    createServiceClient(descriptor: ServiceType): object {
      captured = descriptor;
      return {};
    },
    on(): void {
      // StreamClient subscribes to track/connected events; nothing will fire
    },
  };
  new StreamClient(stub as unknown as ConstructorParameters<typeof StreamClient>[0]);
  if (captured?.typeName !== 'proto.stream.v1.StreamService')
    throw new Error('StreamService descriptor not found');
  return captured;
}

export const StreamService = {
  typeName: 'proto.stream.v1.StreamService',
  methods: {
    listStreams: {
      name: 'ListStreams',
      I: streamApi.ListStreamsRequest,
      O: streamApi.ListStreamsResponse,
      kind: MethodKind.Unary,
    },
    addStream: {
      name: 'AddStream',
      I: streamApi.AddStreamRequest,
      O: streamApi.AddStreamResponse,
      kind: MethodKind.Unary,
    },
    getStreamOptions: {
      name: 'GetStreamOptions',
      I: streamApi.GetStreamOptionsRequest,
      O: streamApi.GetStreamOptionsResponse,
      kind: MethodKind.Unary,
    },
    setStreamOptions: {
      name: 'SetStreamOptions',
      I: streamApi.SetStreamOptionsRequest,
      O: streamApi.SetStreamOptionsResponse,
      kind: MethodKind.Unary,
    },
    removeStream: {
      name: 'RemoveStream',
      I: streamApi.RemoveStreamRequest,
      O: streamApi.RemoveStreamResponse,
      kind: MethodKind.Unary,
    },
  },
} as const;

// Fail loudly if an SDK upgrade changes the service under us.
{
  const sdk = captureStreamServiceDescriptor();
  for (const [key, m] of Object.entries(StreamService.methods)) {
    const theirs = sdk.methods[key];
    if (theirs?.name !== m.name || theirs.I !== m.I || theirs.O !== m.O) {
      throw new Error(`StreamService.${key} differs from the SDK's descriptor`);
    }
  }
}

/** The MediaStream id the SDK expects for a camera (':' is not allowed in an msid). */
export function streamIdFor(cameraName: string): string {
  return cameraName.replaceAll(':', '+');
}

export interface StreamServiceDeps {
  peers: PeerRegistry;
  cameraNames(): string[];
  clip(): Vp8Clip;
  /** The camera's live video state (frozen, slowed); undefined = normal. */
  feed?(camera: string): VideoFeed | undefined;
}

type StreamServiceImpl = Partial<ServiceImpl<typeof StreamService>>;

export function createStreamService(deps: StreamServiceDeps): StreamServiceImpl {
  const resolveCamera = (wanted: string): string => {
    const camera = deps.cameraNames().find((n) => n === wanted || streamIdFor(n) === wanted);
    if (!camera) throw new ConnectError(`no camera named "${wanted}"`, Code.NotFound);
    return camera;
  };
  /** The clip's size and two smaller ones, as a camera offers a few modes. */
  const offered = () => {
    const { width, height } = deps.clip();
    return [1, 2, 4].map((d) => ({ width: Math.round(width / d), height: Math.round(height / d) }));
  };
  const callerPeer = (header: Headers): SimPeer => {
    const peerId = header.get(HEADER_PEER);
    const peer = peerId ? deps.peers.get(peerId) : undefined;
    if (transportOf(header) !== 'webrtc' || !peer) {
      throw new ConnectError('video streams need a WebRTC connection', Code.FailedPrecondition);
    }
    return peer;
  };

  return {
    listStreams() {
      return { names: deps.cameraNames() };
    },
    async addStream(req, ctx) {
      const camera = resolveCamera(req.name);
      const peer = callerPeer(ctx.requestHeader);
      try {
        await peer.addVideo(streamIdFor(camera), deps.clip(), () => deps.feed?.(camera));
      } catch (err) {
        throw new ConnectError(`cannot add stream: ${String(err)}`, Code.Internal);
      }
      return {};
    },
    async removeStream(req, ctx) {
      const camera = resolveCamera(req.name);
      const peer = callerPeer(ctx.requestHeader);
      if (!(await peer.removeVideo(streamIdFor(camera)))) {
        throw new ConnectError(`stream "${camera}" is not playing`, Code.NotFound);
      }
      return {};
    },
    getStreamOptions(req) {
      resolveCamera(req.name);
      return { resolutions: offered() };
    },
    setStreamOptions(req) {
      // Offered sizes only, as viam-server's stream server checks them; no resolution = reset. The
      // clip itself is sent as it is: only the choice is simulated.
      resolveCamera(req.name);
      const r = req.resolution;
      if (r && !offered().some((o) => o.width === r.width && o.height === r.height)) {
        throw new ConnectError(`resolution ${r.width}x${r.height} is not offered`, Code.InvalidArgument);
      }
      return {};
    },
  };
}
