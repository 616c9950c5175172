/**
 * A production build of the app served behind the mocked Viam hosting proxy, for specs that run their
 * own simulated machine (which may die and come back while this server lives on). Configured only by
 * environment: VIAM_SIGNALING_ADDRESS (the sim's URL, baked into the build), VIAM_MACHINE_HOST,
 * VIAM_MACHINE_ID, VIAM_API_KEY_ID, VIAM_API_KEY (the cookie the proxy sets), VIAM_USER_TOKEN (the
 * fleet's cookie), OWN_APP_PORT and OWN_APP_OUT_DIR. Prints `ready <url>` once serving; exits on SIGTERM/SIGINT.
 */
import { build, preview } from 'vite';

const port = Number(process.env['OWN_APP_PORT']);
const outDir = process.env['OWN_APP_OUT_DIR'];
if (!Number.isInteger(port) || port <= 0 || !outDir || !process.env['VIAM_SIGNALING_ADDRESS']) {
  console.error('OWN_APP_PORT, OWN_APP_OUT_DIR and VIAM_SIGNALING_ADDRESS are required');
  process.exit(2);
}

await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const server = await preview({
  logLevel: 'warn',
  build: { outDir },
  preview: { port, strictPort: true },
});
console.log(`ready http://localhost:${port}`);

const stop = (): void => {
  server.httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
