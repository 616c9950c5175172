/**
 * The simulated machine as a command:
 *   npx tsx tests/sim/main.ts [--config file.json] [--port 8091] [--host 127.0.0.1]
 *     [--api-key-id ID] [--api-key SECRET] [--heartbeat-window 2000] [--hostname NAME]
 *     [--old-server] [--all-unimplemented] [--unimplemented-wording grpc-go|rdk]
 * Prints one line when ready; exits cleanly on SIGINT/SIGTERM.
 *
 * --old-server: no GetMachineStatus, sessions, reflection or GetCloudMetadata (an older viam-server).
 * --all-unimplemented: every machine method but ResourceNames and GetOperations answers Unimplemented.
 * --unimplemented-wording: grpc-go's words (default) or viam-server's bare "Unimplemented".
 */
import { parseArgs } from 'node:util';
import { startSim, type StartSimOptions } from './server.ts';

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'api-key-id': { type: 'string' },
    'api-key': { type: 'string' },
    'heartbeat-window': { type: 'string' },
    hostname: { type: 'string' },
    'old-server': { type: 'boolean' },
    'all-unimplemented': { type: 'boolean' },
    'unimplemented-wording': { type: 'string' },
  },
  strict: true,
});

function int(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer`);
    process.exit(2);
  }
  return n;
}

const opts: StartSimOptions = {};
const port = int('port', values.port);
const heartbeat = int('heartbeat-window', values['heartbeat-window']);
if (port !== undefined) opts.port = port;
if (heartbeat !== undefined) opts.heartbeatWindowMs = heartbeat;
if (values.config) opts.config = values.config;
if (values.host) opts.host = values.host;
if (values['api-key-id']) opts.apiKeyId = values['api-key-id'];
if (values['api-key']) opts.apiKey = values['api-key'];
if (values.hostname) opts.hostname = values.hostname;
if (values['old-server']) opts.oldServer = true;
if (values['all-unimplemented']) opts.allUnimplemented = true;
const wording = values['unimplemented-wording'];
if (wording !== undefined) {
  if (wording !== 'grpc-go' && wording !== 'rdk') {
    console.error('--unimplemented-wording must be grpc-go or rdk');
    process.exit(2);
  }
  opts.unimplementedWording = wording;
}

const sim = await startSim(opts);
console.log(`sim listening on ${sim.url} host=${sim.hostname}`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  sim.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
