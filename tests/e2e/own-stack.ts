/**
 * Child processes for specs that need their own stack: a simulated machine as a real process (so it
 * can be killed with SIGKILL and started again on the same port with the same keys) and the app,
 * built with its signaling address at that machine and served by tests/e2e/own-app-server.ts.
 * Ports sit above 19000 and move with E2E_PORT_BASE, so parallel suites do not collide.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const portBase = Number(process.env['E2E_PORT_BASE'] ?? 0);
const root = resolve(import.meta.dirname, '../..');

/** The machine every own stack pretends to be (the rover config's identity, private keys). */
export const OWN_MACHINE = {
  hostname: 'sim-rover-main.local',
  machineId: '5c1e0a3b-7d2f-4e6a-9b8c-0d1e2f3a4b5c',
  apiKeyId: 'own-stack-key-id',
  apiKey: 'own-stack-secret-7f3a9c2e51d84b06',
} as const;

export const OWN_PORTS = {
  sim: 19100 + portBase,
  app: 19101 + portBase,
  hostileSim: 19102 + portBase,
  fleetCloud: 19103 + portBase,
  fleetApp: 19104 + portBase,
};

export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the line that matched, once printed. */
  readonly ready: Promise<string>;
  /** When the ready line was seen (Date.now()). */
  readyAt: number;
  readonly exited: Promise<void>;
}

/** Runs a TypeScript entry point in one plain node process (tsx as a loader: no npx/tsx wrapper). */
function runTs(script: string, args: string[], env: NodeJS.ProcessEnv, readyLine: RegExp): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const child: Child = {
    process: proc,
    readyAt: 0,
    exited: new Promise((done) => proc.once('exit', () => done())),
    ready: new Promise((done, fail) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = readyLine.exec(output);
        if (match) {
          child.readyAt = Date.now();
          proc.stdout.off('data', onData);
          done(match[0]);
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      proc.once('exit', (code) => fail(new Error(`${script} exited (${code}) before ready:\n${output}`)));
    }),
  };
  // Keep draining, so a chatty child never blocks on a full pipe.
  proc.stdout.on('data', () => undefined);
  proc.stderr.on('data', () => undefined);
  child.ready.catch(() => undefined);
  return child;
}

/** `extraArgs`: more flags for tests/sim/main.ts (`--old-server`, say). */
export function startSimProcess(port: number, config?: string, extraArgs: readonly string[] = []): Child {
  const args = [
    '--port',
    String(port),
    '--api-key-id',
    OWN_MACHINE.apiKeyId,
    '--api-key',
    OWN_MACHINE.apiKey,
    '--hostname',
    OWN_MACHINE.hostname,
  ];
  if (config) args.push('--config', config);
  args.push(...extraArgs);
  return runTs('tests/sim/main.ts', args, {}, /sim listening on \S+/);
}

/** The app, signaling at `simPort`, served on OWN_PORTS.app. */
export function startAppProcess(simPort: number): Child {
  return runTs(
    'tests/e2e/own-app-server.ts',
    [],
    {
      VIAM_SIGNALING_ADDRESS: `http://localhost:${simPort}`,
      VIAM_MACHINE_HOST: OWN_MACHINE.hostname,
      VIAM_MACHINE_ID: OWN_MACHINE.machineId,
      VIAM_API_KEY_ID: OWN_MACHINE.apiKeyId,
      VIAM_API_KEY: OWN_MACHINE.apiKey,
      OWN_APP_PORT: String(OWN_PORTS.app),
      OWN_APP_OUT_DIR: `dist-e2e-own-${simPort}`,
    },
    /ready \S+/,
  );
}

/** Both apps, their cloud (signaling and app API) at `cloudUrl`, the fleet signed in as `userToken`. */
export function startFleetAppProcess(cloudUrl: string, userToken: string): Child {
  return runTs(
    'tests/e2e/own-app-server.ts',
    [],
    {
      VIAM_SIGNALING_ADDRESS: cloudUrl,
      VIAM_USER_TOKEN: userToken,
      OWN_APP_PORT: String(OWN_PORTS.fleetApp),
      OWN_APP_OUT_DIR: `dist-e2e-own-fleet-${OWN_PORTS.fleetApp}`,
    },
    /ready \S+/,
  );
}

/** SIGKILL: no goodbye to any peer, no socket closed politely. */
export async function killHard(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await child.exited;
}

export async function stopGently(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 3000);
  await child.exited;
  clearTimeout(timer);
}
