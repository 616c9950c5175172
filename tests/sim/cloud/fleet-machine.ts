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
import { PartHistory } from './history.ts';
import type { Identity } from './identity.ts';
import type { MachineFacts } from './log-lines.ts';
import { stopLine } from './log-lines.ts';
import { LogStore } from './logs.ts';
import type { FaultSpec } from '../transport/faults.ts';

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
  /** what the machine's log lines talk about (its resources and modules) */
  facts: (spec: MachineSpec) => MachineFacts;
  /** keys scoped to this machine: one hostile log line leaks the first */
  secrets: readonly string[];
  /** people of the machine's organization, for its config history */
  editors: readonly string[];
}

/** How long an offline machine ran before it went away (its logs cover that time). */
const OFFLINE_RUN_MS = 45 * 60_000;

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
  private logStore: LogStore | undefined;
  private partHistory: PartHistory | undefined;

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
    if (!this.isDown()) {
      this.downSince = now;
      this.logs.add(stopLine('down'));
    }
    this.downUntil = now + ms;
    this.dropEverything();
  }

  comeBack(): void {
    this.downUntil = 0;
  }

  setState(state: MachineState): void {
    const now = this.deps.now();
    if (state === this.cloudState) return;
    // The logs are written out under the old state first (they exist from here on).
    const logs = this.logs;
    if (this.cloudState === 'online') {
      this.lastSeen = this.isDown() ? this.downSince : now;
      logs.stopped(now, state === 'awaiting_setup' ? 'awaiting_setup' : 'offline');
    }
    if (state === 'awaiting_setup') this.lastSeen = undefined;
    if (state === 'online') {
      this.onlineSince = now;
      this.downUntil = 0;
    }
    this.cloudState = state;
    if (state === 'online') logs.started(now);
    else this.dropEverything();
  }

  /** TailRobotPartLogs streams open on this machine now (without making its logs). */
  get openLogStreams(): number {
    return this.logStore?.openTails ?? 0;
  }

  /** The cloud's copy of the machine's logs (made, with its past, when first needed). */
  get logs(): LogStore {
    if (this.logStore) return this.logStore;
    const now = this.deps.now();
    const store = new LogStore({
      host: this.spec.partName,
      facts: () => this.deps.facts(this.spec),
      secrets: this.deps.secrets,
      seed: seedOf(this.machineId),
      now: this.deps.now,
      running: () => this.cloudState === 'online',
    });
    this.logStore = store;
    if (this.cloudState === 'online') store.started(this.onlineSince);
    else if (this.cloudState === 'offline' && this.lastSeen !== undefined) {
      store.ranUntil(Math.max(this.spec.createdOn, this.lastSeen - OFFLINE_RUN_MS), this.lastSeen);
    }
    store.catchUp(now);
    return store;
  }

  get history(): PartHistory {
    this.partHistory ??= new PartHistory(
      this.spec.createdOn,
      this.deps.editors,
      this.cloudState === 'online' ? this.onlineSince : this.lastSeen,
    );
    return this.partHistory;
  }

  /** A fault rule was added (or the rules cleared) through the control API. */
  noteFaults(added: FaultSpec | undefined): void {
    this.logs.add(
      added
        ? {
            level: 'warn',
            logger: 'rdk.sim.faults',
            message: `fault injected on ${added.method}`,
            fields: {
              method: added.method,
              ...(added.latencyMs !== undefined ? { latency_ms: added.latencyMs } : {}),
              ...(added.errorCode !== undefined ? { error_code: added.errorCode } : {}),
              ...(added.durationMs !== undefined ? { duration_ms: added.durationMs } : {}),
            },
            caller: { file: 'sim/faults.go', line: 1, fn: 'sim.InjectFault' },
          }
        : {
            level: 'info',
            logger: 'rdk.sim.faults',
            message: 'faults cleared',
            caller: { file: 'sim/faults.go', line: 2, fn: 'sim.ClearFaults' },
          },
    );
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
        onLog: (line) => this.logs.add(line),
        onConfigChange: (revision) => this.history.record(revision, this.deps.now()),
      });
    // The transport's interceptor (log, faults) first; inside it the machine's own (its Unimplemented
    // answers as an older viam-server or a partial model gives them).
    const router = createConnectRouter({
      interceptors: [this.interceptor(() => sim), ...(sim.interceptors ?? [])],
    });
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
      createStreamService({
        peers,
        cameraNames: () => sim.cameraNames(),
        clip: this.deps.clip,
        feed: (camera) => sim.videoFeed(camera),
      }),
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
    this.logStore?.dispose();
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

function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
