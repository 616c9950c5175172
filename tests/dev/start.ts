/**
 * `npm start`: the app in Vite's dev server, behind the same hosting proxy Viam uses.
 *
 * With VIAM_API_KEY_ID, VIAM_API_KEY and VIAM_MACHINE_HOST (in .env.local or the environment) it opens
 * that real machine through app.viam.com; without them it starts the simulated cloud with its default
 * fleet and points the mocked cookie (the rover's machine key) and the signaling address at it.
 */
import { createServer, loadEnv } from 'vite';
import { startCloud } from '../sim/cloud/index.ts';

const fileEnv = loadEnv('development', process.cwd(), 'VIAM_');
const has = (name: string) => (process.env[name] ?? fileEnv[name] ?? '') !== '';
const realMachine = has('VIAM_API_KEY_ID') && has('VIAM_API_KEY') && has('VIAM_MACHINE_HOST');

let stopSim: (() => Promise<void>) | undefined;
if (realMachine) {
  console.log('Using the real machine from .env.local / the environment.');
} else {
  const cloud = await startCloud({ port: Number(process.env['SIM_PORT'] ?? 8091) });
  stopSim = () => cloud.close();
  process.env['VIAM_MACHINE_HOST'] = cloud.rover.hostname;
  process.env['VIAM_MACHINE_ID'] = cloud.rover.machineId;
  process.env['VIAM_API_KEY_ID'] = cloud.rover.apiKeyId;
  process.env['VIAM_API_KEY'] = cloud.rover.apiKey;
  process.env['VIAM_SIGNALING_ADDRESS'] = cloud.url;
  console.log(
    `Simulated cloud at ${cloud.url}: ${cloud.machines.length} machines, the rover ${cloud.rover.hostname} ` +
      `(control API: ${cloud.url}/__sim/, fleet: ${cloud.url}/__sim/fleet)`,
  );
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
