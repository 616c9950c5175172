/**
 * The simulated cloud (or one simulated machine) as a command:
 *   npx tsx tests/sim/main.ts [--port 8091] [--host 127.0.0.1] [--heartbeat-window 2000]
 *     [--fleet file.json | --machines N] [--offline-delay 1000]
 *     [--loss 0.05] [--delay 150] [--jitter 50] [--reorder 0.1] [--rate 1000] [--queue 200]
 *     [--link '{"up": {...}, "down": {...}}'] [--no-relay]
 *   npx tsx tests/sim/main.ts --config file.json [--api-key-id ID] [--api-key SECRET] [--hostname NAME]
 *
 * With no option it serves the default fleet (tests/sim/configs/fleet.json: the demo rover, with
 * today's hostname and key, and five more machines). --config, --api-key-id, --api-key or --hostname
 * serve that one machine alone, as before the cloud existed; so do the machine-behaviour flags:
 *   [--old-server] [--all-unimplemented] [--unimplemented-wording grpc-go|rdk]
 * The link flags set every machine's network link (both directions; --link per direction, JSON as
 * POST /__sim/link takes it); they are applied by a UDP relay on every WebRTC connection, which
 * --no-relay removes. Prints one line when ready; exits cleanly on SIGINT/SIGTERM.
 *
 * --old-server: no GetMachineStatus, sessions, reflection or GetCloudMetadata (an older viam-server).
 * --all-unimplemented: every machine method but ResourceNames and GetOperations answers Unimplemented.
 * --unimplemented-wording: grpc-go's words (default) or viam-server's bare "Unimplemented".
 */
import { parseArgs } from 'node:util';
import { startCloud, type StartCloudOptions } from './cloud/index.ts';
import { LinkSettingsError, PERFECT, parseLinkSettings } from './transport/link.ts';
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
    fleet: { type: 'string' },
    machines: { type: 'string' },
    'offline-delay': { type: 'string' },
    loss: { type: 'string' },
    delay: { type: 'string' },
    jitter: { type: 'string' },
    reorder: { type: 'string' },
    rate: { type: 'string' },
    queue: { type: 'string' },
    link: { type: 'string' },
    'no-relay': { type: 'boolean' },
    'old-server': { type: 'boolean' },
    'all-unimplemented': { type: 'boolean' },
    'unimplemented-wording': { type: 'string' },
  },
  strict: true,
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function int(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer`);
  return n;
}

const port = int('port', values.port);
const heartbeat = int('heartbeat-window', values['heartbeat-window']);
const machines = int('machines', values.machines);
const offlineDelay = int('offline-delay', values['offline-delay']);
const singleMachine =
  values.config !== undefined ||
  values['api-key-id'] !== undefined ||
  values['api-key'] !== undefined ||
  values.hostname !== undefined ||
  values['old-server'] === true ||
  values['all-unimplemented'] === true ||
  values['unimplemented-wording'] !== undefined;
if (singleMachine && (values.fleet !== undefined || machines !== undefined)) {
  fail(
    '--config/--api-key-id/--api-key/--hostname and the machine-behaviour flags serve one machine; --fleet and --machines serve a fleet',
  );
}
if (values.fleet !== undefined && machines !== undefined) fail('give --fleet or --machines, not both');
const wording = values['unimplemented-wording'];
if (wording !== undefined && wording !== 'grpc-go' && wording !== 'rdk') {
  fail('--unimplemented-wording must be grpc-go or rdk');
}

/** The link flags as a POST /__sim/link body, checked here so a bad one stops the start. */
function linkFromFlags(): unknown {
  const both: Record<string, number> = {};
  const flags = [
    ['loss', 'loss'],
    ['delay', 'delayMs'],
    ['jitter', 'jitterMs'],
    ['reorder', 'reorder'],
    ['rate', 'rateKbps'],
    ['queue', 'queueMs'],
  ] as const;
  for (const [flag, field] of flags) {
    const text = values[flag];
    if (text === undefined) continue;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) fail(`--${flag} must be a number`);
    both[field] = n;
  }
  let body: Record<string, unknown> = Object.keys(both).length > 0 ? { both } : {};
  if (values.link !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.link);
    } catch {
      fail('--link must be JSON such as {"up": {"loss": 0.05}, "down": {"delayMs": 150}}');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      fail('--link must be a JSON object');
    body = { ...body, ...(parsed as Record<string, unknown>) };
  }
  if (Object.keys(body).length === 0) return undefined;
  if (values['no-relay']) fail('link conditions need the relay: drop --no-relay');
  try {
    parseLinkSettings(body, { up: PERFECT, down: PERFECT });
  } catch (err) {
    fail(err instanceof LinkSettingsError ? `link: ${err.message}` : String(err));
  }
  return body;
}
const link = linkFromFlags();

let close: () => Promise<void>;
if (singleMachine) {
  const opts: StartSimOptions = {};
  if (port !== undefined) opts.port = port;
  if (heartbeat !== undefined) opts.heartbeatWindowMs = heartbeat;
  if (values.config) opts.config = values.config;
  if (values.host) opts.host = values.host;
  if (values['api-key-id']) opts.apiKeyId = values['api-key-id'];
  if (values['api-key']) opts.apiKey = values['api-key'];
  if (values.hostname) opts.hostname = values.hostname;
  if (link !== undefined) opts.link = link;
  if (values['no-relay']) opts.linkRelay = false;
  if (values['old-server']) opts.oldServer = true;
  if (values['all-unimplemented']) opts.allUnimplemented = true;
  if (wording === 'grpc-go' || wording === 'rdk') opts.unimplementedWording = wording;
  const sim = await startSim(opts);
  close = () => sim.close();
  console.log(`sim listening on ${sim.url} host=${sim.hostname}`);
} else {
  const opts: StartCloudOptions = {};
  if (port !== undefined) opts.port = port;
  if (heartbeat !== undefined) opts.heartbeatWindowMs = heartbeat;
  if (values.host) opts.host = values.host;
  if (values.fleet) opts.fleet = values.fleet;
  if (machines !== undefined) opts.machines = machines;
  if (offlineDelay !== undefined) opts.offlineDelayMs = offlineDelay;
  if (link !== undefined) opts.link = link;
  if (values['no-relay']) opts.linkRelay = false;
  const cloud = await startCloud(opts);
  close = () => cloud.close();
  const states = new Map<string, number>();
  for (const m of cloud.machines) states.set(m.state, (states.get(m.state) ?? 0) + 1);
  const counts = [...states].map(([s, n]) => `${n} ${s}`).join(', ');
  console.log(`sim listening on ${cloud.url} host=${cloud.rover.hostname}`);
  console.log(`  fleet: ${cloud.machines.length} machines (${counts}); listing: ${cloud.url}/__sim/fleet`);
}
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
