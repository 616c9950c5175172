/**
 * One machine of the fleet as the cloud sees it: its identity and cloud state (online, offline,
 * awaiting setup, or briefly unreachable), its fault rules, and, built only when first needed, the
 * simulated machine itself with its own router (its handlers only), WebRTC peers and call log.
 *
 * Nothing runs for a machine nobody has touched: 500 of them cost their specs and nothing else.
 */
import { createConnectRouter, Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import type { RTCCertificate } from 'werift';
import { createMachine, type MachineConfig, type SimMachine } from '../machine/index.ts';
import { FaultRegistry } from '../transport/faults.ts';
import { transportOf, HEADER_SESSION } from '../transport/headers.ts';
import { createSimInterceptor } from '../transport/interceptor.ts';
import { LinkConditions } from '../transport/link.ts';
import type { DtlsRole } from '../transport/peer.ts';
import { PeerRegistry } from '../transport/peers.ts';
import { registerReflection } from '../transport/reflection.ts';
import { createHandlerLookup, type HandlerLookup } from '../transport/router-lookup.ts';
import { createStreamService, StreamService } from '../transport/stream-service.ts';
import type { Vp8Clip } from '../transport/video.ts';
import type { MachineSpec, MachineState } from './fleet-config.ts';
import type { Identity } from './identity.ts';

export interface FleetMachineDeps {
  certificate: RTCCertificate | undefined;
  heartbeatWindowMs: number;
  dtlsRole?: DtlsRole;
  identity: Identity;
  clip: () => Vp8Clip;
  /** the machine config with the fleet's identity written into its `sim` section */
  configOf: (spec: MachineSpec) => MachineConfig;
  /** when machines that are online at start booted */
  bootedAt: number;
  now: () => number;
  /** cuts the HTTP connections whose last request was for this machine */
  cutConnections: (machineId: string) => void;
  /** a ready-made machine (transport tests) instead of one built from the config */
  ready?: SimMachine;
  /** false: WebRTC datagrams go straight to werift, with no relay (and no link conditions) */
  linkRelay?: boolean;
}

/** The cloud's view of whether a machine is there. */
export interface Presence {
  state: MachineState;
  /** ms since the epoch; undefined for a machine never set up */
  lastOnline: number | undefined;
}

interface Built {
  sim: SimMachine;
  lookup: HandlerLookup;
  peers: PeerRegistry;
}

export class FleetMachine {
  readonly faults = new FaultRegistry();
  /** The machine's network link (loss, delay, blackouts…), applied by a relay on every connection. */
  readonly link = new LinkConditions();
  private cloudState: MachineState;
  /** last time the machine was seen, for machines not online now */
  private lastSeen: number | undefined;
  /** while now < downUntil the machine is unreachable (POST /offline {ms}) though still "online" */
  private downUntil = 0;
  private downSince = 0;
  private onlineSince: number;
  private built: Built | undefined;

  constructor(
    readonly spec: MachineSpec,
    private readonly deps: FleetMachineDeps,
  ) {
    this.cloudState = spec.state;
    const now = deps.now();
    this.lastSeen = spec.state === 'offline' ? now - spec.lastOnlineAgoS * 1000 : undefined;
    this.onlineSince = deps.bootedAt;
  }

  get machineId(): string {
    return this.spec.machineId;
  }

  get hostname(): string {
    return this.spec.hostname;
  }

  get isBuilt(): boolean {
    return this.built !== undefined;
  }

  /** The simulated machine (built now if it was not yet). */
  get sim(): SimMachine {
    return this.build().sim;
  }

  get peers(): PeerRegistry {
    return this.build().peers;
  }

  /** live WebRTC peers, without building anything */
  get livePeers(): number {
    return this.built?.peers.size ?? 0;
  }

  lookup(path: string): ReturnType<HandlerLookup> {
    return this.build().lookup(path);
  }

  /** Unreachable for a moment (connections dropped), as when viam-server's process dies. */
  isDown(): boolean {
    return this.deps.now() < this.downUntil;
  }

  presence(): Presence {
    const now = this.deps.now();
    if (this.cloudState === 'online' && this.isDown())
      return { state: 'offline', lastOnline: this.downSince };
    if (this.cloudState === 'online') return { state: 'online', lastOnline: now };
    return { state: this.cloudState, lastOnline: this.lastSeen };
  }

  get state(): MachineState {
    return this.cloudState;
  }

  /** Is a dial to this machine answered now? */
  answersCalls(): boolean {
    return this.cloudState === 'online' && !this.isDown();
  }

  goDown(ms: number): void {
    const now = this.deps.now();
    if (!this.isDown()) this.downSince = now;
    this.downUntil = now + ms;
    this.dropEverything();
  }

  comeBack(): void {
    this.downUntil = 0;
  }

  setState(state: MachineState): void {
    const now = this.deps.now();
    if (state === this.cloudState) return;
    if (this.cloudState === 'online') this.lastSeen = this.isDown() ? this.downSince : now;
    if (state === 'awaiting_setup') this.lastSeen = undefined;
    if (state === 'online') {
      this.onlineSince = now;
      this.downUntil = 0;
    }
    this.cloudState = state;
    if (state !== 'online') this.dropEverything();
  }

  private dropEverything(): void {
    this.built?.peers.closeAll();
    this.deps.cutConnections(this.machineId);
  }

  /** Builds the simulated machine now (faults, offline and state routes never need it). */
  build(): Built {
    if (this.built) return this.built;
    const sim =
      this.deps.ready ??
      createMachine({
        config: this.deps.configOf(this.spec),
        heartbeatWindowMs: this.deps.heartbeatWindowMs,
        hostname: this.spec.hostname,
        startedAt: this.onlineSince,
      });
    const router = createConnectRouter({ interceptors: [this.interceptor(() => sim)] });
    const lookup = createHandlerLookup(router);
    const peers = new PeerRegistry({
      certificate: this.deps.certificate,
      lookup,
      onUnknownMethod: (path, header) => logUnknown(sim, path, header),
      ...(this.deps.dtlsRole ? { dtlsRole: this.deps.dtlsRole } : {}),
      ...(this.deps.linkRelay === false ? {} : { link: this.link }),
    });
    this.registerServices(router, sim, peers);
    this.built = { sim, lookup, peers };
    return this.built;
  }

  private registerServices(router: ConnectRouter, sim: SimMachine, peers: PeerRegistry): void {
    router.service(
      StreamService,
      createStreamService({ peers, cameraNames: () => sim.cameraNames(), clip: this.deps.clip }),
    );
    sim.registerServices(router);
    registerReflection(router);
  }

  /**
   * The machine's own handlers: on the data channel nothing is checked (a peer that got through
   * authenticated signaling is trusted, as goutils does); a direct gRPC-web call needs a bearer
   * that may reach this machine.
   */
  private interceptor(sim: () => SimMachine) {
    return createSimInterceptor({
      route: (_path, header) => ({
        log: (entry) => sim().logCall(entry),
        faults: [this.faults],
        admit: () => {
          if (transportOf(header) === 'webrtc') return;
          const principal = this.deps.identity.principalOf(header);
          if (!this.deps.identity.canReachMachine(principal, this.machineId)) {
            throw new ConnectError('this credential may not reach this machine', Code.PermissionDenied);
          }
        },
      }),
    });
  }

  /** Stops everything; the machine is kept (disposed) so late calls during shutdown build nothing. */
  dispose(): void {
    if (!this.built) return;
    this.built.peers.closeAll();
    this.built.sim.dispose();
  }
}

/** A call for a method nobody serves, in the machine's call log as Unimplemented. */
export function logUnknown(sim: SimMachine, path: string, header: Headers): void {
  const sessionId = header.get(HEADER_SESSION);
  sim.logCall({
    method: path,
    transport: transportOf(header),
    ...(sessionId ? { sessionId } : {}),
    summary: '',
    code: Code.Unimplemented,
    durationMs: 0,
  });
}
