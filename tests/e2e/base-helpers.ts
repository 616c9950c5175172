import { expect, type SimCall, type SimControl } from './fixtures.ts';

/** The base's calls and the machine's view of it, as the e2e reads every safety claim. */
export const SET_POWER = '/viam.component.base.v1.BaseService/SetPower';
export const BASE_STOP = '/viam.component.base.v1.BaseService/Stop';
export const STOP_ALL = '/viam.robot.v1.RobotService/StopAll';

/** When a call reached the machine (the log stamps completion). */
export const arrival = (c: SimCall) => c.t - c.durationMs;

export async function baseCalls(sim: SimControl, since: number): Promise<SimCall[]> {
  return (await sim.calls()).filter((c) => c.method.includes('BaseService') && arrival(c) >= since - 5);
}

/** Waits for the first call of `method` that arrived after `since`; returns its delay in ms. */
export async function delayOf(sim: SimControl, method: string, since: number): Promise<number> {
  let found: SimCall | undefined;
  await expect
    .poll(
      async () => {
        found = (await sim.calls()).find((c) => c.method === method && arrival(c) >= since - 5);
        return found !== undefined;
      },
      { timeout: 3000, intervals: [20, 50, 100] },
    )
    .toBe(true);
  return found ? arrival(found) - since : Infinity;
}

export async function isBaseMoving(sim: SimControl): Promise<boolean> {
  const state = await sim.request<{ resources: Record<string, { physical?: { is_moving?: boolean } }> }>(
    'GET',
    'state',
  );
  return state.resources['rdk:component:base/base']?.physical?.is_moving === true;
}
