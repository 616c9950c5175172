/** RobotService: discovery, status, sessions, operations, StopAll. */
import type { ConnectRouter, ServiceImpl } from '@connectrpc/connect';
import { Code, ConnectError } from '@connectrpc/connect';
import { Duration, robotApi } from '@viamrobotics/sdk';
import { apiString } from '../config.ts';
import * as D from '../descriptors.ts';
import { sessionExpired } from '../errors.ts';
import type { Machine } from '../machine.ts';
import { isBuiltinApi } from '../models/index.ts';
import { guarded, structOf, timestamp } from './util.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const API_VERSION = 'v0.1.512';

/** Go's uuid.Parse wording, which is what viam-server returns for a malformed id. */
function checkUuid(id: string): void {
  if (UUID.test(id)) return;
  const message = id.length === 36 ? 'invalid UUID format' : `invalid UUID length: ${id.length}`;
  throw new ConnectError(message, Code.Unknown);
}

const STATE: Record<string, robotApi.ResourceStatus_State> = {
  CONFIGURING: robotApi.ResourceStatus_State.CONFIGURING,
  READY: robotApi.ResourceStatus_State.READY,
  REMOVING: robotApi.ResourceStatus_State.REMOVING,
  UNHEALTHY: robotApi.ResourceStatus_State.UNHEALTHY,
};

function moduleNameFor(m: Machine, model: string): string {
  const ns = model.split(':')[0] ?? '';
  const mods = m.config.modules ?? [];
  const byId = mods.find((mod) => (mod.module_id ?? '').split(':')[0] === ns);
  return byId?.name ?? mods[0]?.name ?? `${ns}-module`;
}

function robot(m: Machine): ServiceImpl<typeof D.RobotService> {
  const heartbeatWindow = (): Duration => {
    const ms = m.sessions.windowMs;
    return new Duration({ seconds: BigInt(Math.floor(ms / 1000)), nanos: Math.round((ms % 1000) * 1e6) });
  };
  return {
    getOperations() {
      return {
        operations: m.ops.list().map((o) => ({
          id: o.id,
          method: o.method,
          arguments: structOf(o.arguments),
          started: timestamp(o.started),
          ...(o.sessionId !== undefined ? { sessionId: o.sessionId } : {}),
        })),
      };
    },
    getSessions() {
      return {
        sessions: m.sessions.all().map((s) => ({
          id: s.id,
          peerConnectionInfo: {
            type:
              s.transport === 'webrtc'
                ? robotApi.PeerConnectionType.WEBRTC
                : robotApi.PeerConnectionType.GRPC,
          },
        })),
      };
    },
    resourceNames() {
      return {
        resources: m.resources().map((r) => ({ ...r.api, name: r.name })),
      };
    },
    resourceRPCSubtypes() {
      return {
        resourceRpcSubtypes: m.apis().map((api) => ({
          subtype: { ...api, name: '' },
          protoService: isBuiltinApi(api)
            ? (D.PROTO_SERVICE_BY_API[apiString(api)] ?? '')
            : D.moduleServiceDescriptor(api.namespace, api.type, api.subtype).typeName,
        })),
      };
    },
    cancelOperation(req) {
      m.ops.find(req.id)?.cancel();
      return {};
    },
    async blockForOperation(req, ctx) {
      const op = m.ops.find(req.id);
      if (!op) return {};
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(new ConnectError('context canceled', Code.Canceled));
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        void op.done.then(() => {
          ctx.signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
      return {};
    },
    getModelsFromModules() {
      const seen = new Set<string>();
      const models = [];
      for (const r of m.resources()) {
        if (r.model.startsWith('rdk:')) continue;
        const key = `${apiString(r.api)} ${r.model}`;
        if (seen.has(key)) continue;
        seen.add(key);
        models.push({
          moduleName: moduleNameFor(m, r.model),
          model: r.model,
          api: apiString(r.api),
          fromLocalModule: false,
        });
      }
      return { models };
    },
    stopAll() {
      m.stopAll();
      return {};
    },
    startSession(req, ctx) {
      const sid = m.sessionIdOf(ctx);
      if (sid !== undefined) {
        if (m.sessions.find(sid)) throw new ConnectError('session already exists', Code.Unknown);
        throw sessionExpired();
      }
      if (req.resume !== '') {
        checkUuid(req.resume);
        const existing = m.sessions.heartbeat(req.resume);
        if (existing) return { id: existing.id, heartbeatWindow: heartbeatWindow() };
      }
      const s = m.sessions.start(m.transportOf(ctx));
      return { id: s.id, heartbeatWindow: heartbeatWindow() };
    },
    sendSessionHeartbeat(req) {
      checkUuid(req.id);
      if (!m.sessions.heartbeat(req.id)) throw sessionExpired();
      return {};
    },
    log() {
      return {};
    },
    getCloudMetadata() {
      return {
        robotPartId: m.partId,
        primaryOrgId: m.orgId,
        locationId: m.locationId,
        machineId: m.machineId,
        machinePartId: m.partId,
      };
    },
    restartModule(req) {
      const mods = m.config.modules ?? [];
      const want = req.idOrName.value ?? '';
      const mod = mods.find((x) =>
        req.idOrName.case === 'moduleName' ? x.name === want : x.module_id === want,
      );
      if (!mod) throw new ConnectError(`module "${want}" not found`, Code.NotFound);
      m.restartModule(mod.name, (model) => moduleNameFor(m, model) === mod.name);
      return {};
    },
    shutdown() {
      m.restart();
      return {};
    },
    getMachineStatus() {
      return {
        resources: m.statuses().map((s) => ({
          name: s.name,
          state: STATE[s.state] ?? robotApi.ResourceStatus_State.UNSPECIFIED,
          error: s.error,
          revision: s.revision,
          lastUpdated: timestamp(s.lastUpdated),
        })),
        config: { revision: m.revision, lastUpdated: timestamp(m.configLastUpdated) },
        state: m.initializing
          ? robotApi.GetMachineStatusResponse_State.INITIALIZING
          : robotApi.GetMachineStatusResponse_State.RUNNING,
      };
    },
    getVersion() {
      return { platform: 'rdk', version: m.version, apiVersion: API_VERSION };
    },
    listTunnels() {
      return { tunnels: [] };
    },
    frameSystemConfig() {
      return { frameSystemConfigs: [] };
    },
    sendTraces() {
      return {};
    },
  };
}

export function registerRobotService(m: Machine, router: ConnectRouter): void {
  router.service(D.RobotService, guarded(robot(m)));
}
