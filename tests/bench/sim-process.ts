/**
 * One simulated machine in its own process, so its timing is not disturbed by the benchmark's
 * browser driver. Prints one line `READY <json>` on stdout when it listens, and exits on SIGTERM.
 *   node --import tsx tests/bench/sim-process.ts <rover|scale|sensors> <port>
 */
import { startSim } from '../sim/server.ts';
import { machineConfig, type MachineKind } from './machines.ts';

const kind = (process.argv[2] ?? 'rover') as MachineKind;
const port = Number(process.argv[3] ?? '19520');

const sim = await startSim({ port, config: machineConfig(kind) });
process.stdout.write(
  `READY ${JSON.stringify({
    url: sim.url,
    hostname: sim.hostname,
    machineId: sim.machineId,
    apiKeyId: sim.apiKeyId,
    apiKey: sim.apiKey,
  })}\n`,
);

const shutdown = (): void => {
  void sim.close().finally(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
