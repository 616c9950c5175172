/**
 * The simulated machine: its resources and their lifecycle (startup, reconfigure, health),
 * sessions, operations and the call log. RPC handlers (rpc/) and control routes (control.ts)
 * work through this object.
 */
import type { HandlerContext } from '@connectrpc/connect';
import { Code, ConnectError } from '@connectrpc/connect';
import type { CallEntry } from './call-log.ts';
import { CallLog } from './call-log.ts';
import type { MachineConfig, ResourceApi, ResourceConfig } from './config.ts';
import { apiString, parseResourceConfig, resolveApi } from './config.ts';
import { notFound, sessionExpired } from './errors.ts';
import { prng } from './math.ts';
import { buildResource } from './models/index.ts';
import { OperationManager } from './operations.ts';
import type { MachineEnv } from './resource.ts';
import { SimResource } from './resource.ts';
import { SessionManager, type SimSession, type Transport } from './sessions.ts';

export type ResourceState = 'CONFIGURING' | 'READY' | 'REMOVING' | 'UNHEALTHY';

interface Entry {
  resource: SimResource;
  kind: 'component' | 'service';
  revision: string;
  /** CONFIGURING until then */
  readyAt: number;
  error?: string;
  /** set while REMOVING; gone after */
  removeAt?: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFieldValue = string | number | boolean;

/** A line the machine logs, as viam-server's zap logger would (see tests/sim/cloud/logs.ts). */
export interface MachineLogLine {
  level: LogLevel;
  logger: string;
  message: string;
  fields?: Record<string, LogFieldValue>;
  /** the Go source location viam-server would report */
  caller?: { file: string; line: number; fn: string };
}

export interface MachineOptions {
  config: MachineConfig;
  heartbeatWindowMs: number;
  hostname?: string;
  /** where the machine's log lines go (the cloud keeps them); default: nowhere */
  onLog?: (line: MachineLogLine) => void;
  /** a config change was applied (a new revision): the cloud records it in the part's history */
  onConfigChange?: (revision: string) => void;
  /** when the machine booted (ms since the epoch); default now. A fleet builds machines lazily, long after they "booted". */
  startedAt?: number;
}

export const DEFAULT_HOSTNAME = 'sim-rover-main.local';
export const DEFAULT_MACHINE_ID = '5c1e0a3b-7d2f-4e6a-9b8c-0d1e2f3a4b5c';
export const DEFAULT_PART_ID = '8d4f2c1a-3b5e-4f70-8a9b-1c2d3e4f5a6b';
export const DEFAULT_LOCATION_ID = 'sim0loc1ab';
export const DEFAULT_ORG_ID = '2a9c7e10-4b3d-4c8e-9f01-23456789abcd';
export const DEFAULT_VERSION = 'v0.89.0';
const REMOVING_MS = 500;

/** Internal services viam-server lists in GetMachineStatus (never in ResourceNames). */
const INTERNAL_SERVICES: readonly ResourceApi[] = [
  { namespace: 'rdk-internal', type: 'service', subtype: 'web' },
  { namespace: 'rdk-internal', type: 'service', subtype: 'frame_system' },
  { namespace: 'rdk-internal', type: 'service', subtype: 'packagemanager' },
  { namespace: 'rdk-internal', type: 'service', subtype: 'cloud_connection' },
];

export class Machine {
  readonly hostname: string;
  readonly machineId: string;
  readonly partId: string;
  readonly locationId: string;
  readonly orgId: string;
  readonly version: string;
  readonly calls = new CallLog(5000);
  /** Reconfigures may add resources with names viam-server refuses (robustness tests; off by default). */
  acceptAnyNames = false;
  readonly sessions: SessionManager;
  readonly ops: OperationManager;
  readonly now = (): number => Date.now();
  readonly random = prng(0x5eed);
  /**
   * Live video per camera short name: frozen (no frames at all, the track stays up, as a stalled
   * encoder or a dead USB camera does) or slowed to `fps`. Absent means the clip's own rate.
   */
  readonly video = new Map<string, { frozen: boolean; fps?: number }>();

  private readonly entries = new Map<string, Entry>();
  private startedAt: number;
  private readonly startupMs: number;
  private readonly configuringMs: number;
  private revisionNo = 1;
  private configUpdated: number;
  private readonly removalTimers = new Set<ReturnType<typeof setTimeout>>();
  private readonly env: MachineEnv;
  /** The config the machine started from (modules are looked up here). */
  readonly config: MachineConfig;
  private readonly onLog: ((line: MachineLogLine) => void) | undefined;
  private readonly onConfigChange: ((revision: string) => void) | undefined;

  constructor(opts: MachineOptions) {
    const sim = opts.config.sim ?? {};
    this.config = opts.config;
    this.onLog = opts.onLog;
    this.onConfigChange = opts.onConfigChange;
    this.hostname = opts.hostname ?? sim.hostname ?? DEFAULT_HOSTNAME;
    this.machineId = sim.machine_id ?? DEFAULT_MACHINE_ID;
    this.partId = sim.part_id ?? DEFAULT_PART_ID;
    this.locationId = sim.location_id ?? DEFAULT_LOCATION_ID;
    this.orgId = sim.org_id ?? DEFAULT_ORG_ID;
    this.version = sim.version ?? DEFAULT_VERSION;
    this.startupMs = sim.startup_ms ?? 1500;
    this.configuringMs = sim.configuring_ms ?? 1000;
    this.startedAt = opts.startedAt ?? this.now();
    this.configUpdated = this.startedAt;
    this.ops = new OperationManager(this.now);
    this.sessions = new SessionManager(opts.heartbeatWindowMs, this.now, (s, owned) =>
      this.onSessionExpired(s, owned),
    );
    this.env = {
      now: this.now,
      random: this.random,
      find: (name) => this.findByShortName(name),
      all: () => this.resources(),
    };
    const configs: { rc: ResourceConfig; kind: 'component' | 'service' }[] = [
      ...(opts.config.components ?? []).map((rc) => ({ rc, kind: 'component' as const })),
      ...(opts.config.services ?? []).map((rc) => ({ rc, kind: 'service' as const })),
    ];
    if (
      sim.default_services !== false &&
      !configs.some((c) => c.kind === 'service' && c.rc.name === 'builtin')
    ) {
      configs.push({
        rc: { name: 'builtin', api: 'rdk:service:motion', model: 'rdk:builtin:builtin' },
        kind: 'service',
      });
    }
    configs.forEach(({ rc, kind }, i) => {
      const readyAt = this.startedAt + (this.startupMs * (i + 1)) / (configs.length + 1);
      this.add(rc, kind, readyAt);
    });
  }

  get revision(): string {
    return `rev-${this.revisionNo}`;
  }

  get configLastUpdated(): number {
    return this.configUpdated;
  }

  get initializing(): boolean {
    return this.now() < this.startedAt + this.startupMs;
  }

  private add(rc: ResourceConfig, kind: 'component' | 'service', readyAt: number): Entry {
    const api = resolveApi(rc, kind);
    const resource = buildResource(rc, api, this.env);
    const entry: Entry = { resource, kind, revision: this.revision, readyAt };
    this.entries.set(resource.fullName, entry);
    return entry;
  }

  /** Live (not removing) resources. */
  resources(): SimResource[] {
    return [...this.entries.values()].filter((e) => e.removeAt === undefined).map((e) => e.resource);
  }

  findByShortName(name: string): SimResource | undefined {
    const live = this.resources().filter((r) => r.name === name);
    return live.find((r) => r.api.type === 'component') ?? live[0];
  }

  find(fullName: string): SimResource | undefined {
    const e = this.entries.get(fullName);
    return e && e.removeAt === undefined ? e.resource : undefined;
  }

  cameraNames(): string[] {
    return this.resources()
      .filter((r) => apiString(r.api) === 'rdk:component:camera')
      .map((r) => r.name);
  }

  apis(): ResourceApi[] {
    const seen = new Map<string, ResourceApi>();
    for (const r of this.resources()) seen.set(apiString(r.api), r.api);
    return [...seen.values()];
  }

  statuses(): {
    name: ResourceApi & { name: string };
    state: ResourceState;
    error: string;
    revision: string;
    lastUpdated: number;
  }[] {
    const now = this.now();
    const out: ReturnType<Machine['statuses']> = [];
    for (const api of INTERNAL_SERVICES) {
      out.push({
        name: { ...api, name: 'builtin' },
        state: 'READY',
        error: '',
        revision: '',
        lastUpdated: this.startedAt,
      });
    }
    for (const e of this.entries.values()) {
      let state: ResourceState = 'READY';
      if (e.removeAt !== undefined) state = 'REMOVING';
      else if (now < e.readyAt) state = 'CONFIGURING';
      else if (e.error !== undefined) state = 'UNHEALTHY';
      out.push({
        name: { ...e.resource.api, name: e.resource.name },
        state,
        error: state === 'UNHEALTHY' ? (e.error ?? '') : '',
        revision: e.revision,
        lastUpdated: Math.min(now, e.readyAt),
      });
    }
    return out;
  }

  /**
   * Resolve the resource a component/service RPC names, applying what viam-server's interceptors
   * do: session validity, health, and safety monitoring for motion methods.
   */
  resolve<T extends SimResource>(
    ctx: HandlerContext,
    api: string,
    name: string,
    cls: abstract new (...args: never[]) => T,
    monitored: boolean,
  ): T {
    const sid = this.sessionIdOf(ctx);
    if (sid !== undefined && !this.sessions.find(sid)) throw sessionExpired();
    const fullName = `${api}/${name}`;
    const entry = this.entries.get(fullName);
    if (!entry || entry.removeAt !== undefined || !(entry.resource instanceof cls)) throw notFound(fullName);
    if (entry.error !== undefined) {
      throw new ConnectError(`resource "${fullName}" not available, reason: ${entry.error}`, Code.Unknown);
    }
    if (monitored) this.sessions.associate(fullName, sid);
    return entry.resource;
  }

  sessionIdOf(ctx: HandlerContext): string | undefined {
    const sid = ctx.requestHeader.get('viam-sid');
    return sid === null || sid === '' ? undefined : sid;
  }

  transportOf(ctx: HandlerContext): Transport {
    return ctx.requestHeader.get('x-sim-transport') === 'webrtc' ? 'webrtc' : 'grpc-web';
  }

  logCall(entry: Omit<CallEntry, 't'>): void {
    this.calls.add({ t: this.now(), ...entry });
  }

  log(line: MachineLogLine): void {
    this.onLog?.(line);
  }

  stopAll(): string[] {
    const stopped: string[] = [];
    for (const r of this.resources()) {
      if (!r.actuator) continue;
      r.stop();
      stopped.push(r.name);
    }
    return stopped;
  }

  private onSessionExpired(session: SimSession, owned: string[]): void {
    this.log({
      level: 'warn',
      logger: 'rdk.session_manager',
      message: 'session expired: no heartbeat within the window; stopping what it was moving',
      fields: { session_id: session.id, window_ms: this.sessions.windowMs, resources: owned.length },
      caller: {
        file: 'robot/session_manager.go',
        line: 104,
        fn: 'go.viam.com/rdk/robot.(*SessionManager).expireLoop',
      },
    });
    const names: string[] = [];
    for (const fullName of owned) {
      const r = this.find(fullName);
      if (!r) continue;
      const t0 = this.now();
      r.stop();
      names.push(r.name);
      this.log({
        level: 'info',
        logger: 'rdk.session_manager',
        message: `stopped ${r.fullName} after its session expired`,
        fields: { resource: r.fullName, session_id: session.id },
        caller: {
          file: 'robot/session_manager.go',
          line: 131,
          fn: 'go.viam.com/rdk/robot.(*SessionManager).stopResources',
        },
      });
      this.logCall({
        method: `session-expired:stop ${r.name}`,
        transport: session.transport,
        sessionId: session.id,
        summary: `session ${session.id} missed its heartbeat window; stopped ${r.fullName}`,
        code: 0,
        durationMs: this.now() - t0,
      });
    }
    this.logCall({
      method: 'session-expired',
      transport: session.transport,
      sessionId: session.id,
      summary: names.length > 0 ? `stopped ${names.join(', ')}` : 'nothing to stop',
      code: 0,
      durationMs: 0,
    });
  }

  setHealth(name: string, error: string | undefined): boolean {
    const matches = [...this.entries.values()].filter(
      (e) => e.removeAt === undefined && (e.resource.name === name || e.resource.fullName === name),
    );
    for (const e of matches) {
      const full = e.resource.fullName;
      if (error === undefined) {
        if (e.error === undefined) continue;
        delete e.error;
        this.log({
          level: 'info',
          logger: `rdk.resource_manager.${full}`,
          message: 'resource is healthy again',
          fields: { resource: full },
          caller: {
            file: 'resource/graph_node.go',
            line: 233,
            fn: 'go.viam.com/rdk/resource.(*GraphNode).SwapResource',
          },
        });
      } else {
        e.error = error;
        e.resource.stop();
        this.log({
          level: 'error',
          logger: `rdk.resource_manager.${full}`,
          message: `resource is unhealthy: ${error}`,
          fields: { resource: full, error },
          caller: {
            file: 'resource/graph_node.go',
            line: 287,
            fn: 'go.viam.com/rdk/resource.(*GraphNode).LogAndSetLastError',
          },
        });
      }
    }
    return matches.length > 0;
  }

  /**
   * Apply a config change like viam-server does on a cloud config update: removed resources are
   * stopped and show REMOVING briefly, added (or replaced) ones show CONFIGURING, and the
   * config revision moves on.
   */
  reconfigure(change: { add?: unknown[]; remove?: string[] }): {
    revision: string;
    added: string[];
    removed: string[];
  } {
    // Validate everything before touching anything.
    const parsed = (change.add ?? []).map((raw) => {
      const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
      const isService =
        r['kind'] === 'service' || (typeof r['api'] === 'string' && r['api'].split(':')[1] === 'service');
      const kind: 'component' | 'service' = isService ? 'service' : 'component';
      return { rc: parseResourceConfig(raw, kind, { anyName: this.acceptAnyNames }), kind };
    });
    const removeNames = change.remove ?? [];
    const toRemove = removeNames.map((n) => {
      const e = [...this.entries.values()].find(
        (x) => x.removeAt === undefined && (x.resource.name === n || x.resource.fullName === n),
      );
      if (!e) throw new RangeError(`no resource named "${n}"`);
      return e;
    });
    this.revisionNo += 1;
    this.configUpdated = this.now();
    const now = this.now();
    for (const e of toRemove) this.beginRemoval(e, now);
    const added: string[] = [];
    for (const { rc, kind } of parsed) {
      const { resolved: _r, ...config } = rc;
      const existing = this.entries.get(`${apiString(rc.resolved)}/${rc.name}`);
      if (existing) {
        existing.resource.dispose();
        this.sessions.forgetResource(existing.resource.fullName);
      }
      const entry = this.add(config, kind, now + this.configuringMs);
      added.push(entry.resource.fullName);
    }
    const removed = toRemove.map((e) => e.resource.fullName);
    this.logReconfigure(added, removed);
    return { revision: this.revision, added, removed };
  }

  private logReconfigure(added: string[], removed: string[]): void {
    const caller = (line: number, fn: string) => ({ file: 'robot/impl/resource_manager.go', line, fn });
    this.log({
      level: 'info',
      logger: 'rdk',
      message: 'Robot (re)configured',
      fields: { revision: this.revision, added: added.length, removed: removed.length },
      caller: caller(1190, 'go.viam.com/rdk/robot/impl.(*localRobot).reconfigure'),
    });
    for (const full of removed) {
      this.log({
        level: 'info',
        logger: 'rdk.resource_manager',
        message: 'Removing resource',
        fields: { resource: full },
        caller: caller(1032, 'go.viam.com/rdk/robot/impl.(*resourceManager).markRemoved'),
      });
    }
    for (const full of added) {
      this.log({
        level: 'info',
        logger: 'rdk.resource_manager',
        message: 'Now configuring resource',
        fields: { resource: full, model: this.find(full)?.model ?? '' },
        caller: caller(713, 'go.viam.com/rdk/robot/impl.(*resourceManager).completeConfig'),
      });
    }
    this.onConfigChange?.(this.revision);
  }

  private beginRemoval(e: Entry, now: number): void {
    e.resource.dispose();
    this.sessions.forgetResource(e.resource.fullName);
    e.removeAt = now + REMOVING_MS;
    const timer = setTimeout(() => {
      this.removalTimers.delete(timer);
      if (this.entries.get(e.resource.fullName) === e) this.entries.delete(e.resource.fullName);
    }, REMOVING_MS);
    timer.unref();
    this.removalTimers.add(timer);
  }

  /** RestartModule: the module's resources are stopped and rebuilt (CONFIGURING for a moment). */
  restartModule(module: string, owns: (model: string) => boolean): void {
    const now = this.now();
    this.log({
      level: 'info',
      logger: 'rdk.modmanager',
      message: 'Restarting module',
      fields: { module },
      caller: {
        file: 'module/modmanager/manager.go',
        line: 512,
        fn: 'go.viam.com/rdk/module/modmanager.(*Manager).Reconfigure',
      },
    });
    for (const e of this.entries.values()) {
      if (e.removeAt !== undefined || e.resource.model.startsWith('rdk:') || !owns(e.resource.model))
        continue;
      e.resource.stop();
      e.readyAt = now + this.configuringMs;
      delete e.error;
    }
  }

  /** Shutdown RPC: viam-server exits and is restarted by its supervisor; here we re-run startup. */
  restart(): void {
    this.log({
      level: 'info',
      logger: 'rdk',
      message: 'Shutdown requested: viam-server is restarting',
      caller: {
        file: 'robot/server/server.go',
        line: 402,
        fn: 'go.viam.com/rdk/robot/server.(*Server).Shutdown',
      },
    });
    this.stopAll();
    this.sessions.clear();
    this.startedAt = this.now();
    const live = [...this.entries.values()].filter((e) => e.removeAt === undefined);
    live.forEach((e, i) => {
      e.readyAt = this.startedAt + (this.startupMs * (i + 1)) / (live.length + 1);
    });
  }

  snapshot(): Record<string, unknown> {
    const resources: Record<string, unknown> = {};
    for (const s of this.statuses()) {
      if (s.name.namespace === 'rdk-internal') continue;
      const full = `${s.name.namespace}:${s.name.type}:${s.name.subtype}/${s.name.name}`;
      const r = this.find(full);
      resources[full] = {
        name: s.name.name,
        api: `${s.name.namespace}:${s.name.type}:${s.name.subtype}`,
        model: r?.model ?? null,
        state: s.state,
        ...(s.error !== '' ? { error: s.error } : {}),
        physical: r ? r.snapshot() : null,
        session: this.sessions.ownerOf(full) ?? null,
      };
    }
    return {
      t: this.now(),
      hostname: this.hostname,
      machine_state: this.initializing ? 'INITIALIZING' : 'RUNNING',
      revision: this.revision,
      sessions: this.sessions
        .all()
        .map((s) => ({ id: s.id, transport: s.transport, expires_in_ms: s.deadline - this.now() })),
      operations: this.ops
        .list()
        .map((o) => ({ id: o.id, method: o.method, session_id: o.sessionId ?? null })),
      resources,
    };
  }

  dispose(): void {
    this.sessions.dispose();
    for (const t of this.removalTimers) clearTimeout(t);
    this.removalTimers.clear();
    for (const e of this.entries.values()) e.resource.dispose();
  }
}
