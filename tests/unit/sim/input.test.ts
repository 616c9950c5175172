import { describe, expect, it } from 'vitest';
import type { ResourceConfig } from '../../sim/machine/config.ts';
import { SimBase } from '../../sim/machine/models/base.ts';
import { SimBaseRemoteControl, SimInputController } from '../../sim/machine/models/input.ts';
import type { MachineEnv } from '../../sim/machine/resource.ts';
import type { SimResource } from '../../sim/machine/resource.ts';

function rig(attributes: ResourceConfig['attributes'] = {}, model = 'rdk:builtin:webgamepad') {
  const all: SimResource[] = [];
  const env: MachineEnv = {
    now: () => Date.now(),
    random: () => 0.5,
    find: (n) => all.find((r) => r.name === n),
    all: () => all,
  };
  const base = new SimBase({ name: 'base' }, { namespace: 'rdk', type: 'component', subtype: 'base' }, env);
  const pad = new SimInputController(
    { name: 'pad', model },
    { namespace: 'rdk', type: 'component', subtype: 'input_controller' },
    env,
  );
  const svc = new SimBaseRemoteControl(
    { name: 'rc', attributes: { base: 'base', input_controller: 'pad', ...attributes } },
    { namespace: 'rdk', type: 'service', subtype: 'base_remote_control' },
    env,
  );
  all.push(base, pad, svc);
  const monitored: string[] = [];
  const send = (time: number, event: string, control: string, value: number) =>
    pad.trigger({ time, event, control, value }, (r) => monitored.push(r.name));
  return { base, pad, svc, send, monitored };
}

describe('sim input controller and base_remote_control', () => {
  it('joystick mode: scaled throttle, SetPower, the base joins the feeding session; Disconnect stops', () => {
    const { base, send, monitored, svc } = rig({ control_mode: 'joystickControl' });
    send(1, 'PositionChangeAbs', 'AbsoluteY', -0.64);
    expect(base.velocity().v).toBeCloseTo(0.7 * base.maxSpeed);
    expect(monitored).toEqual(['base']);
    // Inside the service's dead band: stopped.
    send(2, 'PositionChangeAbs', 'AbsoluteY', -0.2);
    expect(base.isMoving()).toBe(false);
    send(3, 'PositionChangeAbs', 'AbsoluteY', -1);
    expect(base.isMoving()).toBe(true);
    send(4, 'Disconnect', 'AbsoluteY', 0);
    expect(base.isMoving()).toBe(false);
    expect((svc.snapshot()['sent'] as { method: string }[]).map((c) => c.method)).toEqual([
      'SetPower',
      'SetPower',
      'SetPower',
      'Stop',
    ]);
  });

  it('drops an event older than the last of its control and type; velocity when both maxima are set', () => {
    const { base, send } = rig({
      control_mode: 'joystickControl',
      max_linear_mm_per_sec: 200,
      max_angular_deg_per_sec: 45,
    });
    send(10, 'PositionChangeAbs', 'AbsoluteY', -1);
    send(5, 'PositionChangeAbs', 'AbsoluteY', 0);
    expect(base.velocity().v).toBe(200);
    send(11, 'PositionChangeAbs', 'AbsoluteX', -1);
    expect(base.velocity().w).toBe(45);
  });

  it('arrow mode is the default; other models are not triggerable', () => {
    const { base, send } = rig();
    send(1, 'PositionChangeAbs', 'AbsoluteHat0Y', -1);
    expect(base.velocity().v).toBe(base.maxSpeed);
    const gpio = rig({}, 'rdk:builtin:gpio');
    expect(() => gpio.send(1, 'ButtonPress', 'ButtonStart', 1)).toThrow(/not of type Triggerable/);
  });
});
