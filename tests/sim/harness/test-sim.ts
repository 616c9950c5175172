/**
 * Starts a sim for a transport spec: the real machine model when
 * tests/sim/machine/index.ts exists, else the transport's stand-in machine.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type RunningSim, type StartSimOptions, startSim } from '../server.ts';
import { StandInMachine } from './stand-in-machine.ts';

/** SIM_STAND_IN=1 forces the stand-in (to test the transport while the machine model is in flux). */
export function useRealMachine(): boolean {
  return (
    process.env['SIM_STAND_IN'] !== '1' &&
    existsSync(fileURLToPath(new URL('../machine/index.ts', import.meta.url)))
  );
}

export async function startTestSim(opts: StartSimOptions = {}): Promise<RunningSim> {
  return startSim({
    port: 0,
    ...(useRealMachine()
      ? {}
      : { machine: new StandInMachine() as unknown as NonNullable<StartSimOptions['machine']> }),
    ...opts,
  });
}

export interface LoggedCall {
  method: string;
  transport: 'webrtc' | 'grpc-web';
  sessionId?: string;
  summary: string;
  code: number;
  durationMs: number;
}

/** The machine's call log, through its /__sim/calls control route. */
export async function fetchCalls(sim: RunningSim): Promise<LoggedCall[]> {
  const res = await fetch(`${sim.url}/__sim/calls`);
  const body = (await res.json()) as { calls?: LoggedCall[] } | LoggedCall[];
  return Array.isArray(body) ? body : (body.calls ?? []);
}
