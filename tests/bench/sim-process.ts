/**
 * One simulated machine in its own process, so its timing is not disturbed by the benchmark's
 * browser driver. Prints one line `READY <json>` on stdout when it listens, then a line
 * `STALL <json>` for each stall of its event loop (see stall-watch.ts), and exits on SIGTERM.
 *   node --import tsx tests/bench/sim-process.ts <rover|scale|sensors|fleet|fleet500> <port>
 * The fleet kinds are a whole simulated cloud (see fleetSpec in machines.ts).
 */
import { startCloud } from '../sim/cloud/index.ts';
import { watchStalls } from './stall-watch.ts';
import { DEFAULT_HEARTBEAT_WINDOW_MS, startSim } from '../sim/server.ts';
import {
  BENCH_HOSTNAME,
  BENCH_MACHINE_ID,
  FLEET_KINDS,
  fleetSpec,
  machineConfig,
  type MachineKind,
} from './machines.ts';

const kind = (process.argv[2] ?? 'rover') as MachineKind;
const port = Number(process.argv[3] ?? '19520');

const fleet = FLEET_KINDS[kind];
const sim =
  fleet === undefined
    ? await startSim({ port, config: machineConfig(kind) })
    : await startCloud({
        port,
        fleet: fleetSpec(fleet),
        heartbeatWindowMs: DEFAULT_HEARTBEAT_WINDOW_MS,
      }).then((cloud) => ({
        url: cloud.url,
        hostname: BENCH_HOSTNAME,
        machineId: BENCH_MACHINE_ID,
        apiKeyId: cloud.rover.apiKeyId,
        apiKey: cloud.rover.apiKey,
        close: () => cloud.close(),
      }));
process.stdout.write(
  `READY ${JSON.stringify({
    url: sim.url,
    hostname: sim.hostname,
    machineId: sim.machineId,
    apiKeyId: sim.apiKeyId,
    apiKey: sim.apiKey,
  })}\n`,
);

watchStalls();

const shutdown = (): void => {
  void sim.close().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
