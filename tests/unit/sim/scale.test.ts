import { afterEach, describe, expect, it, vi } from 'vitest';
import * as D from '../../sim/machine/descriptors.ts';
import { parseMachineConfig, scaleConfig } from '../../sim/machine/index.ts';
import { startSim, type Harness } from './helpers.ts';

let h: Harness | undefined;

afterEach(() => {
  h?.sim.dispose();
  vi.useRealTimers();
});

describe('scale config', () => {
  it('builds 300 resources that all answer, cheaply', async () => {
    vi.useFakeTimers();
    const config = parseMachineConfig(JSON.parse(JSON.stringify(scaleConfig(300))));
    h = startSim(config);
    const robot = h.client(D.RobotService);
    const { resources } = await robot.resourceNames({});
    expect(resources.length).toBe(301); // + the builtin motion service
    await vi.advanceTimersByTimeAsync(1600);
    const t0 = performance.now();
    const status = await robot.getMachineStatus({});
    const state = await h.sim.handleControl('GET', 'state', undefined);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(status.resources.length).toBeGreaterThan(300);
    expect(state?.status).toBe(200);
    expect(h.sim.cameraNames().length).toBeGreaterThan(10);
  });
});
