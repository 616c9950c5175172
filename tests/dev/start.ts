/**
 * `npm start`: both apps in Vite's dev server, behind the same hosting proxy Viam uses: the
 * single-machine app at /machine/<host>/ (machine cookie set) and the fleet app at /fleet/
 * (`userToken` cookie set as `viam module local-app-testing` sets it).
 *
 * With VIAM_API_KEY_ID, VIAM_API_KEY and VIAM_MACHINE_HOST (in .env.local or the environment) the
 * machine app opens that real machine, and with VIAM_USER_TOKEN the fleet app lists the real fleet,
 * both through app.viam.com. With neither it starts the simulated cloud with its default fleet and
 * points both cookies (the rover's machine key, the operator's token) and the cloud address at it.
 */
import { createServer, loadEnv } from 'vite';
import { startCloud } from '../sim/cloud/index.ts';

const fileEnv = loadEnv('development', process.cwd(), 'VIAM_');
const has = (name: string) => (process.env[name] ?? fileEnv[name] ?? '') !== '';
const realMachine = has('VIAM_API_KEY_ID') && has('VIAM_API_KEY') && has('VIAM_MACHINE_HOST');
const realUser = has('VIAM_USER_TOKEN');

let stopSim: (() => Promise<void>) | undefined;
if (realMachine || realUser) {
  console.log(
    `Using Viam's cloud: ${[realMachine ? 'the machine key' : '', realUser ? 'the user token' : '']
      .filter((s) => s !== '')
      .join(' and ')} from .env.local / the environment.`,
  );
} else {
  const cloud = await startCloud({ port: Number(process.env['SIM_PORT'] ?? 8091) });
  stopSim = () => cloud.close();
  process.env['VIAM_MACHINE_HOST'] = cloud.rover.hostname;
  process.env['VIAM_MACHINE_ID'] = cloud.rover.machineId;
  process.env['VIAM_API_KEY_ID'] = cloud.rover.apiKeyId;
  process.env['VIAM_API_KEY'] = cloud.rover.apiKey;
  process.env['VIAM_USER_TOKEN'] = cloud.users[0]?.accessToken ?? '';
  process.env['VIAM_SIGNALING_ADDRESS'] = cloud.url;
  console.log(
    `Simulated cloud at ${cloud.url}: ${cloud.machines.length} machines, the rover ${cloud.rover.hostname} ` +
      `(control API: ${cloud.url}/__sim/, fleet: ${cloud.url}/__sim/fleet)`,
  );
}

const server = await createServer({ mode: 'development' });
await server.listen();
const url = (server.resolvedUrls?.local[0] ?? 'http://localhost:5173/').replace(/\/?$/, '/');
console.log(
  `\n  Viam Machine Console: ${url}  (redirects to /machine/<host>/ with the machine cookie set)` +
    `\n  Viam Fleet Console:   ${url}fleet/  (the userToken cookie set${realUser || !realMachine ? '' : ': none, set VIAM_USER_TOKEN'})\n`,
);

const shutdown = async () => {
  await server.close();
  await stopSim?.();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
