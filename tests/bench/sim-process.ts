/**
 * One simulated machine in its own process, so its timing is not disturbed by the benchmark's
 * browser driver. Prints one line `READY <json>` on stdout when it listens, then a line
 * `STALL <json>` for each stall of its event loop (see watchStalls), and exits on SIGTERM.
 *   node --import tsx tests/bench/sim-process.ts <rover|scale|sensors|fleet|fleet500> <port>
 * The fleet kinds are a whole simulated cloud (see fleetSpec in machines.ts).
 */
import { startCloud } from '../sim/cloud/index.ts';
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

/** A tick this often; one that comes over STALL_MS after the last is a stall. */
const TICK_MS = 10;
const STALL_MS = 25;

/**
 * Reports the stretches in which this process's event loop did not get back to its timers (nor to
 * a call or a datagram waiting): when it started (epoch ms), how long, and the CPU time the process
 * had meanwhile. A stall with about as much CPU as it was long was one long piece of work; in one
 * with little CPU the process was not running (waiting to be scheduled, or blocked).
 */
function watchStalls(): void {
  let last = Date.now();
  let cpu = process.cpuUsage();
  setInterval(() => {
    const now = Date.now();
    if (now - last > STALL_MS) {
      const used = process.cpuUsage(cpu);
      const stall = { at: last, ms: now - last, cpuMs: Math.round((used.user + used.system) / 1000) };
      process.stdout.write(`STALL ${JSON.stringify(stall)}\n`);
    }
    last = now;
    cpu = process.cpuUsage();
  }, TICK_MS).unref();
}
watchStalls();

const shutdown = (): void => {
  void sim.close().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
