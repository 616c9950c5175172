/**
 * The stack Playwright tests the app against: the simulated cloud with its default fleet (the demo
 * rover and five more machines), and the production build of the app (signaling at the cloud)
 * served by Vite's preview server behind the mocked Viam hosting proxy. The single-machine app's
 * cookie carries the rover's machine-scoped key, as before the cloud existed; the fleet app (at
 * /fleet/) gets the `userToken` cookie of the user who sees the whole fleet.
 */
import { build, preview } from 'vite';
import { startCloud } from '../sim/cloud/index.ts';
import { E2E_APP_PORT, E2E_OUT_DIR, E2E_SIM_PORT } from '../e2e/ports.ts';

const cloud = await startCloud({ port: E2E_SIM_PORT });
process.env['VIAM_MACHINE_HOST'] = cloud.rover.hostname;
process.env['VIAM_MACHINE_ID'] = cloud.rover.machineId;
process.env['VIAM_API_KEY_ID'] = cloud.rover.apiKeyId;
process.env['VIAM_API_KEY'] = cloud.rover.apiKey;
process.env['VIAM_SIGNALING_ADDRESS'] = cloud.url;
process.env['VIAM_USER_TOKEN'] = cloud.users[0]?.accessToken ?? '';

await build({ logLevel: 'warn', build: { outDir: E2E_OUT_DIR } });
const server = await preview({
  build: { outDir: E2E_OUT_DIR },
  preview: { port: E2E_APP_PORT, strictPort: true },
});
console.log(
  `e2e apps on http://localhost:${E2E_APP_PORT}/ (machine) and http://localhost:${E2E_APP_PORT}/fleet/ ` +
    `with the simulated cloud ${cloud.url} (${cloud.machines.length} machines)`,
);

const shutdown = async () => {
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  await cloud.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
