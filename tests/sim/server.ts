/**
 * The simulated Viam machine as one process: Viam's signaling server and the
 * machine's WebRTC peer at once, so @viamrobotics/sdk connects to it as in production.
 *
 * One connect-es router holds every method handler (auth, signaling, StreamService and
 * the machine's APIs); it is served over HTTP (gRPC-web) and over the WebRTC data channel.
 */
import type { AddressInfo } from 'node:net';
import { createConnectRouter } from '@connectrpc/connect';
import { registerReflection } from './transport/reflection.ts';
import { RTCDtlsTransport } from 'werift';
import type { MachineConfig, SimMachine, UnimplementedWording } from './machine/index.ts';
import { AuthService, ExternalAuthService } from './proto/rpc-auth.ts';
import { SignalingService } from './proto/rpc-signaling.ts';
import { createAuth } from './transport/auth.ts';
import { handleTransportControl } from './transport/control.ts';
import { FaultRegistry } from './transport/faults.ts';
import { HEADER_SESSION, transportOf } from './transport/headers.ts';
import { createSimHttpServer } from './transport/http-server.ts';
import { createSimInterceptor } from './transport/interceptor.ts';
import type { DtlsRole } from './transport/peer.ts';
import { PeerRegistry } from './transport/peers.ts';
import { createHandlerLookup } from './transport/router-lookup.ts';
import { createSignalingService } from './transport/signaling.ts';
import { createStreamService, StreamService } from './transport/stream-service.ts';
import { loadIvf, type Vp8Clip } from './transport/video.ts';

export const DEFAULT_API_KEY_ID = 'sim-api-key-id';
export const DEFAULT_API_KEY = 'sim-api-key-secret-0123456789';
export const DEFAULT_PORT = 8091;
export const DEFAULT_HEARTBEAT_WINDOW_MS = 2000;

export interface StartSimOptions {
  /** 0 = any free port; default 8091 */
  port?: number;
  /** interface to listen on; default 127.0.0.1 (the url always says localhost) */
  host?: string;
  /** a machine config, or the path of a JSON file; default: the demo rover */
  config?: MachineConfig | string;
  apiKeyId?: string;
  apiKey?: string;
  heartbeatWindowMs?: number;
  /** the machine's hostname (the rpc-host signaling routes by) */
  hostname?: string;
  /** a ready-made machine instead of one built from config (tests of the transport alone) */
  machine?: SimMachine;
  /**
   * The machine's DTLS role on WebRTC connections. 'server' (default) connects ~50 ms
   * faster; 'client' is what werift picks by itself and is where werift's DTLS
   * sequence-number defect shows (tests use it to guard the workaround).
   */
  dtlsRole?: DtlsRole;
  /** Behave like an older viam-server (config `sim.old_server`): see tests/sim/machine/unimplemented.ts. */
  oldServer?: boolean;
  /** Every machine method but ResourceNames and GetOperations answers Unimplemented (`sim.all_unimplemented`). */
  allUnimplemented?: boolean;
  /** The words of Unimplemented answers (`sim.unimplemented_wording`). */
  unimplementedWording?: UnimplementedWording;
}

export interface RunningSim {
  /** http://localhost:PORT: the signaling address and the direct-dial host */
  readonly url: string;
  readonly port: number;
  readonly hostname: string;
  readonly machineId: string;
  readonly apiKeyId: string;
  readonly apiKey: string;
  readonly machine: SimMachine;
  /** WebRTC peer connections alive now */
  livePeers(): number;
  /** frees the port, closes every peer and disposes the machine */
  close(): Promise<void>;
}

async function buildMachine(opts: StartSimOptions, heartbeatWindowMs: number): Promise<SimMachine> {
  if (opts.machine) return opts.machine;
  const { createMachine, loadConfig } = await import('./machine/index.ts');
  const loaded = typeof opts.config === 'object' ? opts.config : loadConfig(opts.config);
  // Flags add to what the config says; they never switch a config's own setting off.
  const config: MachineConfig = {
    ...loaded,
    sim: {
      ...loaded.sim,
      ...(opts.oldServer === true ? { old_server: true } : {}),
      ...(opts.allUnimplemented === true ? { all_unimplemented: true } : {}),
      ...(opts.unimplementedWording ? { unimplemented_wording: opts.unimplementedWording } : {}),
    },
  };
  return createMachine({ config, heartbeatWindowMs, ...(opts.hostname ? { hostname: opts.hostname } : {}) });
}

export async function startSim(opts: StartSimOptions = {}): Promise<RunningSim> {
  const apiKeyId = opts.apiKeyId ?? DEFAULT_API_KEY_ID;
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const heartbeatWindowMs = opts.heartbeatWindowMs ?? DEFAULT_HEARTBEAT_WINDOW_MS;
  const machine = await buildMachine(opts, heartbeatWindowMs);
  // One DTLS certificate for every connection (werift caches it process-wide); made now, not on the first dial.
  const certificate = await RTCDtlsTransport.SetupCertificate();

  const faults = new FaultRegistry();
  const auth = createAuth({ apiKeyId, apiKey, machineEntities: [machine.hostname, machine.machineId] });
  const router = createConnectRouter({
    interceptors: [
      createSimInterceptor({
        auth,
        acceptsHost: (host) => host === machine.hostname,
        faults,
        logCall: (entry) => machine.logCall(entry),
      }),
      ...(machine.interceptors ?? []),
    ],
  });
  const lookup = createHandlerLookup(router);
  const logUnknown = (path: string, header: Headers): void => {
    const sessionId = header.get(HEADER_SESSION);
    machine.logCall({
      method: path,
      transport: transportOf(header),
      ...(sessionId ? { sessionId } : {}),
      summary: '',
      code: 12, // Unimplemented
      durationMs: 0,
    });
  };
  const peers = new PeerRegistry({
    certificate,
    lookup,
    onUnknownMethod: logUnknown,
    ...(opts.dtlsRole ? { dtlsRole: opts.dtlsRole } : {}),
  });

  let clip: Vp8Clip | undefined;
  router.service(AuthService, auth.authService);
  router.service(ExternalAuthService, auth.externalAuthService);
  router.service(SignalingService, createSignalingService(peers));
  router.service(
    StreamService,
    createStreamService({
      peers,
      cameraNames: () => machine.cameraNames(),
      clip: () => (clip ??= loadIvf()),
    }),
  );
  machine.registerServices(router);
  registerReflection(router);

  let offlineUntil = 0;
  let onlineTimer: NodeJS.Timeout | undefined;
  const isOffline = (): boolean => Date.now() < offlineUntil;
  const http = createSimHttpServer({
    lookup,
    isOffline,
    onUnknownMethod: logUnknown,
    control: async (method, subpath, body, query) => {
      const own = handleTransportControl(
        {
          faults,
          peers,
          isOffline,
          goOffline: (ms) => {
            offlineUntil = Date.now() + ms;
            peers.closeAll();
            // Drop kept-alive machine connections too; control connections keep working.
            http.destroyConnections({ keepControl: true });
            clearTimeout(onlineTimer);
            onlineTimer = setTimeout(() => {
              offlineUntil = 0;
            }, ms);
          },
          goOnline: () => {
            offlineUntil = 0;
            clearTimeout(onlineTimer);
          },
        },
        method,
        subpath,
        body,
      );
      if (own) return own;
      // GET routes have no body: hand the machine the query parameters instead.
      const machineBody =
        body === undefined && [...query.keys()].length > 0 ? Object.fromEntries(query) : body;
      return machine.handleControl(method, subpath, machineBody);
    },
  });

  const port = opts.port ?? DEFAULT_PORT;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(port, host, () => {
      http.server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (http.server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    hostname: machine.hostname,
    machineId: machine.machineId,
    apiKeyId,
    apiKey,
    machine,
    livePeers: () => peers.size,
    close: () =>
      (closing ??= (async () => {
        clearTimeout(onlineTimer);
        peers.closeAll();
        await new Promise<void>((resolve) => {
          http.server.close(() => resolve());
          http.server.closeAllConnections();
        });
        machine.dispose();
      })()),
  };
}
