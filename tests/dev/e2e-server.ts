/**
 * The stack Playwright tests the app against: the simulated machine, and the production build of the
 * app (signaling at the sim) served by Vite's preview server behind the mocked Viam hosting proxy.
 */
import { build, preview } from 'vite';
import { startSim } from '../sim/server.ts';
import { E2E_APP_PORT, E2E_OUT_DIR, E2E_SIM_PORT } from '../e2e/ports.ts';

const sim = await startSim({ port: E2E_SIM_PORT });
process.env['VIAM_MACHINE_HOST'] = sim.hostname;
process.env['VIAM_MACHINE_ID'] = sim.machineId;
process.env['VIAM_API_KEY_ID'] = sim.apiKeyId;
process.env['VIAM_API_KEY'] = sim.apiKey;
process.env['VIAM_SIGNALING_ADDRESS'] = sim.url;

await build({ logLevel: 'warn', build: { outDir: E2E_OUT_DIR } });
const server = await preview({
  build: { outDir: E2E_OUT_DIR },
  preview: { port: E2E_APP_PORT, strictPort: true },
});
console.log(`e2e app on http://localhost:${E2E_APP_PORT}/ with sim ${sim.url}`);

const shutdown = async () => {
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  await sim.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
