/**
 * The benchmark's stack: the console and the floor pages (one machine, its video, and the fleet) built in one run with the same Vite config
 * (signaling at the bench sim's port), each served by Vite's preview server behind the mocked Viam
 * hosting proxy, and a simulated machine in a child process that can be swapped between phases.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { measureBundle, type BuiltChunk, type BundleReport } from './bundle.ts';
import { BENCH_HOSTNAME, BENCH_MACHINE_ID, type MachineKind } from './machines.ts';
import { DEFAULT_USER_TOKEN } from '../sim/cloud/defaults.ts';
import { DEFAULT_API_KEY, DEFAULT_API_KEY_ID } from '../sim/server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG_FILE = `${ROOT}vite.config.ts`;
const FLOOR_ROOT = fileURLToPath(new URL('./floor', import.meta.url));

/** Ports at 19500 and up, away from the dev and e2e stacks; BENCH_PORT_BASE moves them (two runs at once). */
const portBase = Number(process.env['BENCH_PORT_BASE'] ?? 0);
export const PORTS = {
  app: 19510 + portBase,
  floor: 19511 + portBase,
  variant: 19512 + portBase,
  sim: 19520 + portBase,
} as const;

export const SIM_URL = `http://localhost:${PORTS.sim}`;
export const APP_URL = `http://localhost:${PORTS.app}/machine/${BENCH_HOSTNAME}/`;
export const FLOOR_URL = `http://localhost:${PORTS.floor}/machine/${BENCH_HOSTNAME}/`;
/**
 * The video floor (tests/bench/floor/video.html): createRobotClient + StreamClient.getStream. The
 * hosting proxy sets the machine cookie only with the index page: the bench adds it to the context.
 */
export const VIDEO_FLOOR_URL = `http://localhost:${PORTS.floor}/machine/${BENCH_HOSTNAME}/video.html?camera=cam`;
export const VARIANT_URL = `http://localhost:${PORTS.variant}/machine/${BENCH_HOSTNAME}/`;
/** The fleet pages, under /fleet/ with the `userToken` cookie (see viam-hosting-proxy.ts). */
export const FLEET_APP_URL = `http://localhost:${PORTS.app}/fleet/`;
export const FLEET_FLOOR_URL = `http://localhost:${PORTS.floor}/fleet/`;
/** The fleet page of the `--compare` build. */
export const FLEET_VARIANT_URL = `http://localhost:${PORTS.variant}/fleet/`;

export interface Builds {
  readonly app: BundleReport;
  readonly floor: BundleReport;
  /** The fleet page of the same build, and the fleet floor (tests/bench/floor/fleet.html). */
  readonly fleet: BundleReport;
  readonly fleetFloor: BundleReport;
  /** The console from another checkout (--compare), if any. */
  readonly variant?: BundleReport;
}

function chunksOf(output: unknown): BuiltChunk[] {
  const first = (Array.isArray(output) ? (output[0] as unknown) : output) as {
    output?: readonly { type: string }[];
  };
  return (first.output ?? []).filter((o): o is BuiltChunk => o.type === 'chunk');
}

/**
 * Builds the console and the floor with the project's Vite config and sizes them; with `variantRoot`,
 * also the console of another checkout (with its own vite.config.ts), to measure a proposed change
 * in the same run.
 */
export async function buildAll(outRoot: string, variantRoot?: string): Promise<Builds> {
  // vite.config.ts reads these: signaling address into the build, the cookie into the preview proxy.
  process.env['VIAM_SIGNALING_ADDRESS'] = SIM_URL;
  process.env['VIAM_MACHINE_HOST'] = BENCH_HOSTNAME;
  process.env['VIAM_MACHINE_ID'] = BENCH_MACHINE_ID;
  process.env['VIAM_API_KEY_ID'] = DEFAULT_API_KEY_ID;
  process.env['VIAM_API_KEY'] = DEFAULT_API_KEY;
  process.env['VIAM_USER_TOKEN'] = DEFAULT_USER_TOKEN;
  const appOut = `${outRoot}/app`;
  const floorOut = `${outRoot}/floor`;
  const app = await build({
    configFile: CONFIG_FILE,
    root: ROOT,
    logLevel: 'warn',
    build: { outDir: appOut, emptyOutDir: true },
  });
  const floor = await build({
    configFile: CONFIG_FILE,
    root: FLOOR_ROOT,
    logLevel: 'warn',
    build: {
      outDir: floorOut,
      emptyOutDir: true,
      // The config builds the index and fleet pages it finds; the video floor is one more page.
      rolldownOptions: {
        input: Object.fromEntries(
          ['index', 'fleet', 'video'].map((page) => [page, `${FLOOR_ROOT}/${page}.html`]),
        ),
      },
    },
  });
  const variant =
    variantRoot === undefined
      ? undefined
      : await build({
          configFile: `${variantRoot}/vite.config.ts`,
          root: variantRoot,
          logLevel: 'warn',
          build: { outDir: `${outRoot}/variant`, emptyOutDir: true },
        });
  return {
    app: measureBundle(appOut, chunksOf(app)),
    floor: measureBundle(floorOut, chunksOf(floor)),
    fleet: measureBundle(appOut, chunksOf(app), 'fleet.html'),
    fleetFloor: measureBundle(floorOut, chunksOf(floor), 'fleet.html'),
    ...(variant ? { variant: measureBundle(`${outRoot}/variant`, chunksOf(variant)) } : {}),
  };
}

export interface Servers {
  close(): Promise<void>;
}

/** Serves the builds like Viam's hosting does (under /machine/<host>/, cookie set). */
export async function serveAll(outRoot: string, variantRoot?: string): Promise<Servers> {
  const servers: PreviewServer[] = [
    await preview({
      configFile: CONFIG_FILE,
      root: ROOT,
      logLevel: 'warn',
      build: { outDir: `${outRoot}/app` },
      preview: { port: PORTS.app, strictPort: true },
    }),
    await preview({
      configFile: CONFIG_FILE,
      root: FLOOR_ROOT,
      logLevel: 'warn',
      build: { outDir: `${outRoot}/floor` },
      preview: { port: PORTS.floor, strictPort: true },
    }),
  ];
  if (variantRoot !== undefined) {
    servers.push(
      await preview({
        configFile: `${variantRoot}/vite.config.ts`,
        root: variantRoot,
        logLevel: 'warn',
        build: { outDir: `${outRoot}/variant` },
        preview: { port: PORTS.variant, strictPort: true },
      }),
    );
  }
  return {
    close: async () => {
      await Promise.all(
        servers.map((s) => new Promise<void>((resolve) => s.httpServer.close(() => resolve()))),
      );
    },
  };
}

export interface SimInfo {
  readonly url: string;
  readonly hostname: string;
  readonly machineId: string;
}

/** A stretch in which a bench process's event loop did not get back to its timers (see stall-watch.ts). */
export interface SimStall {
  /** Epoch ms. */
  readonly at: number;
  readonly ms: number;
  /** CPU time the sim's process had during it. */
  readonly cpuMs: number;
}

/**
 * A bench child process that reports its event loop's stalls (see stall-watch.ts): started with a
 * script, it resolves with the JSON of its `READY` line and keeps the latest few thousand stalls.
 */
class StallReporting {
  #child: ChildProcess | undefined;
  #stalls: SimStall[] = [];

  /** The stalls that overlap [from, to] (epoch ms). */
  stallsBetween(from: number, to: number): SimStall[] {
    return this.#stalls.filter((s) => s.at < to && s.at + s.ms > from);
  }

  protected async spawn<T>(script: string, args: readonly string[], nice?: number): Promise<T> {
    await this.stop();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.#child = child;
    this.#stalls = [];
    if (nice !== undefined && child.pid !== undefined) setPriority(child.pid, nice);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} did not start in 30 s`)), 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code ?? 'signal'})`));
      });
      lines.on('line', (line) => {
        if (line.startsWith('STALL ')) {
          this.#stalls.push(JSON.parse(line.slice(6)) as SimStall);
          if (this.#stalls.length > 5000) this.#stalls.splice(0, 1000);
          return;
        }
        if (!line.startsWith('READY ')) return;
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)) as T);
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** A simulated machine in a child process (see sim-process.ts). */
export class SimProcess extends StallReporting {
  kind: MachineKind | undefined;
  /**
   * A scheduling priority for the sim's process (a nice value; below 0 needs privileges), to see
   * whether the console's figures change when the machine does not compete with the browser for
   * the cores (`--sim-nice`, a diagnostic: by default it competes as any process does).
   */
  readonly #nice: number | undefined;

  constructor(options: { nice?: number } = {}) {
    super();
    this.#nice = options.nice;
  }

  /** Stops the running machine, if any, and starts one of `kind` on the bench port. */
  async start(kind: MachineKind): Promise<SimInfo> {
    this.kind = kind;
    return this.spawn<SimInfo>('./sim-process.ts', [kind, String(PORTS.sim)], this.#nice);
  }
}

/**
 * A process that does nothing but report its stalls (see bystander.ts): run beside the simulated
 * machine, its stalls are the host's (cores oversubscribed), not the machine's own work.
 */
export class Bystander extends StallReporting {
  async start(): Promise<void> {
    await this.spawn<unknown>('./bystander.ts', []);
  }
}
