/** Test helpers: a machine served through an in-memory connect transport. */
import type { ServiceType } from '@bufbuild/protobuf';
import { createClient, createRouterTransport, type Client, type Transport } from '@connectrpc/connect';
import {
  createMachine,
  loadConfig,
  Machine,
  type MachineConfig,
  type SimMachine,
} from '../../sim/machine/index.ts';

export interface Harness {
  sim: SimMachine;
  transport: Transport;
  client<T extends ServiceType>(service: T): Client<T>;
}

export function startSim(config: MachineConfig = loadConfig(), heartbeatWindowMs = 2000): Harness {
  const sim = createMachine({ config, heartbeatWindowMs });
  const transport = createRouterTransport((router) => sim.registerServices(router));
  return { sim, transport, client: (service) => createClient(service, transport) };
}

/** Direct access to the model object, for tests that inspect it. */
export function startModel(config: MachineConfig = loadConfig(), heartbeatWindowMs = 2000): Machine {
  return new Machine({ config, heartbeatWindowMs });
}

export function headers(
  sessionId?: string,
  transport: 'webrtc' | 'grpc-web' = 'webrtc',
): { headers: Record<string, string> } {
  return {
    headers: { 'x-sim-transport': transport, ...(sessionId !== undefined ? { 'viam-sid': sessionId } : {}) },
  };
}
