/**
 * The simulated machines the benchmark drives. All share one hostname and machine id, so one build of
 * the app (signaling at the bench sim's port) and one machine cookie serve every phase: only the
 * machine behind the port changes between phases.
 */
import { generateFleet, ROVER, type FleetSpec } from '../sim/cloud/index.ts';
import { loadFleet } from '../sim/cloud/fleet-config.ts';
import { loadConfig, scaleConfig, type MachineConfig, type ResourceConfig } from '../sim/machine/index.ts';

export const BENCH_HOSTNAME = 'sim-bench-main.local';
export const BENCH_MACHINE_ID = 'b3e7c0de-0000-4000-8000-00000000be01';

export type MachineKind = 'rover' | 'loaded' | 'scale' | 'sensors' | 'fleet' | 'fleet500';

/** Kinds that are a whole simulated cloud rather than one machine. */
export const FLEET_KINDS: Readonly<Partial<Record<MachineKind, number | 'default'>>> = {
  fleet: 'default',
  fleet500: 500,
};

/** Same machine identity for every kind; the machine is up (RUNNING) almost at once. */
function identify(config: MachineConfig): MachineConfig {
  return {
    ...config,
    sim: { ...config.sim, hostname: BENCH_HOSTNAME, machine_id: BENCH_MACHINE_ID, startup_ms: 200 },
  };
}

/** `count` fake environment sensors and nothing else to poll. */
export function sensorsConfig(count = 100): MachineConfig {
  const components: ResourceConfig[] = [];
  for (let i = 0; i < count; i++) {
    components.push({
      name: `env-${String(i).padStart(3, '0')}`,
      api: 'rdk:component:sensor',
      model: 'rdk:builtin:fake',
      attributes: { base_temperature_c: 20 + (i % 10), base_humidity_pct: 40 + (i % 20) },
    });
  }
  return { components, services: [] };
}

export function machineConfig(kind: MachineKind): MachineConfig {
  switch (kind) {
    case 'rover':
    case 'fleet':
    case 'fleet500':
      // A fleet's machine here is its rover (the one both apps open).
      return identify(loadConfig());
    case 'scale':
      return identify(scaleConfig(300));
    case 'sensors':
      return identify(sensorsConfig(100));
    case 'loaded': {
      // The rover (its base, camera and the rest) with 100 sensors beside it: driving under load.
      const rover = loadConfig();
      const sensors = sensorsConfig(100);
      return identify({ ...rover, components: [...(rover.components ?? []), ...(sensors.components ?? [])] });
    }
  }
}

/**
 * The default fleet (or a generated one of `machines`), its rover given the bench machine's identity:
 * the single-machine app's build and cookie reach the very machine the fleet app opens, so the two
 * apps' navigation -> first status are measured against one machine in one run.
 */
export function fleetSpec(machines: number | 'default'): FleetSpec {
  const fleet = machines === 'default' ? loadFleet() : generateFleet(machines);
  return {
    ...fleet,
    machines: fleet.machines.map((m) =>
      m.machineId === ROVER.machineId
        ? {
            ...m,
            machineId: BENCH_MACHINE_ID,
            hostname: BENCH_HOSTNAME,
            localFqdn: BENCH_HOSTNAME,
            config: identify(loadConfig()),
          }
        : m,
    ),
    apiKeys: fleet.apiKeys.map((k) =>
      k.resourceId === ROVER.machineId ? { ...k, resourceId: BENCH_MACHINE_ID } : k,
    ),
    defaultMachineId: BENCH_MACHINE_ID,
  };
}
