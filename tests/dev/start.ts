/**
 * `npm start`: the app in Vite's dev server, behind the same hosting proxy Viam uses.
 *
 * With VIAM_API_KEY_ID, VIAM_API_KEY and VIAM_MACHINE_HOST (in .env.local or the environment) it opens
 * that real machine through app.viam.com; without them it starts the built-in simulated machine and
 * points the mocked cookie and the signaling address at it.
 */
import { createServer, loadEnv } from 'vite';
import { startSim } from '../sim/server.ts';

const fileEnv = loadEnv('development', process.cwd(), 'VIAM_');
const has = (name: string) => (process.env[name] ?? fileEnv[name] ?? '') !== '';
const realMachine = has('VIAM_API_KEY_ID') && has('VIAM_API_KEY') && has('VIAM_MACHINE_HOST');

let stopSim: (() => Promise<void>) | undefined;
if (realMachine) {
  console.log('Using the real machine from .env.local / the environment.');
} else {
  const sim = await startSim({ port: Number(process.env['SIM_PORT'] ?? 8091) });
  stopSim = () => sim.close();
  process.env['VIAM_MACHINE_HOST'] = sim.hostname;
  process.env['VIAM_MACHINE_ID'] = sim.machineId;
  process.env['VIAM_API_KEY_ID'] = sim.apiKeyId;
  process.env['VIAM_API_KEY'] = sim.apiKey;
  process.env['VIAM_SIGNALING_ADDRESS'] = sim.url;
  console.log(`Simulated machine ${sim.hostname} at ${sim.url} (control API: ${sim.url}/__sim/)`);
}

const server = await createServer({ mode: 'development' });
await server.listen();
const url = server.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
console.log(
  `\n  Viam Machine Console: ${url}  (redirects to /machine/<host>/ with the machine cookie set)\n`,
);

const shutdown = async () => {
  await server.close();
  await stopSim?.();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
