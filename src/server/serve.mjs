#!/usr/bin/env node
// @ts-check
/**
 * `npm run serve`: the built console (dist/) for teams that host it themselves, on Node's own http
 * module, with no dependency (it runs after `npm ci --omit=dev`, or with none installed at all).
 * Configured by flags and environment variables only; see the README's "Self-hosting" section.
 *
 * Never imported by the app: Vite bundles only what the HTML entries import.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { loadConfig } from './config.mjs';
import { FLEET_PAGE, MACHINE_PAGE } from './files.mjs';
import { createHandler } from './handler.mjs';
import { ConfigError, readSecret } from './secrets.mjs';

/** @param {string} line */
const log = (line) => console.log(line);

/** @type {import('./config.mjs').ServeConfig} */
let config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
  if (!existsSync(join(config.dist, MACHINE_PAGE)) && !existsSync(join(config.dist, FLEET_PAGE)))
    throw new ConfigError(`no built app in ${config.dist}: run \`npm run build\` first (or pass --dist)`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`serve: ${error.message}`);
  process.exit(2);
}

// Secrets are read again for every page; here only so a problem shows at once. A missing or empty
// secrets file is not fatal: the pages say so until it is fixed, instead of a restart loop.
const specs = [
  config.machine?.keyId,
  config.machine?.key,
  config.fleet?.keyId,
  config.fleet?.key,
  config.gate.kind === 'password' ? config.gate.password : undefined,
];
for (const spec of specs) {
  if (!spec) continue;
  const result = readSecret(spec, { spacesInside: spec.name === 'VIAM_SERVE_PASSWORD' });
  log(
    `serve: ${spec.name}: ${result.ok ? `set (${spec.source === 'file' ? `from ${String(spec.file)}` : 'from the environment'})` : result.problem}`,
  );
}

const server = createServer(createHandler(config, { log }));
server.on('clientError', (_error, socket) => socket.destroy());
server.once('error', (error) => {
  const code = /** @type {{ code?: unknown }} */ (error).code;
  console.error(
    `serve: cannot listen on ${config.host}:${config.port}: ${typeof code === 'string' ? code : error.message}`,
  );
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host.includes(':') ? `[${config.host}]` : config.host;
  log(
    `serve: listening on http://${shown}:${port}/ (dist ${config.dist}; gate: ${config.gate.kind}; ` +
      `machine: ${config.machine?.hostname ?? 'none'}; fleet: ${config.fleet ? 'yes' : 'no'})`,
  );
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
