/**
 * A large machine for scale tests: the demo rover's kinds of resources repeated until there are
 * `count` of them (default 300), each wired like the rover's (motors with encoders, a base on two
 * motors, a movement sensor on the base, a vision service on a camera).
 */
import type { MachineConfig, ResourceConfig } from './config.ts';

export function scaleConfig(count = 300): MachineConfig {
  const components: ResourceConfig[] = [];
  const services: ResourceConfig[] = [];
  const push = (list: ResourceConfig[], rc: ResourceConfig): void => {
    if (components.length + services.length < count) list.push(rc);
  };
  for (let i = 0; components.length + services.length < count; i++) {
    const n = String(i).padStart(3, '0');
    push(components, {
      name: `motor-l-${n}`,
      api: 'rdk:component:motor',
      model: 'rdk:builtin:gpio',
      attributes: { max_rpm: 200, encoder: `enc-l-${n}` },
    });
    push(components, {
      name: `motor-r-${n}`,
      api: 'rdk:component:motor',
      model: 'rdk:builtin:gpio',
      attributes: { max_rpm: 200 },
    });
    push(components, {
      name: `enc-l-${n}`,
      api: 'rdk:component:encoder',
      model: 'rdk:builtin:incremental',
      attributes: {},
    });
    push(components, {
      name: `base-${n}`,
      api: 'rdk:component:base',
      model: 'rdk:builtin:wheeled',
      attributes: { left: [`motor-l-${n}`], right: [`motor-r-${n}`] },
    });
    push(components, {
      name: `servo-${n}`,
      api: 'rdk:component:servo',
      model: 'rdk:builtin:gpio',
      attributes: {},
    });
    push(components, {
      name: `arm-${n}`,
      api: 'rdk:component:arm',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
    push(components, {
      name: `gantry-${n}`,
      api: 'rdk:component:gantry',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
    push(components, {
      name: `gripper-${n}`,
      api: 'rdk:component:gripper',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
    push(components, {
      name: `cam-${n}`,
      api: 'rdk:component:camera',
      model: 'rdk:builtin:fake',
      attributes: { width_px: 160, height_px: 120 },
    });
    push(components, {
      name: `imu-${n}`,
      api: 'rdk:component:movement_sensor',
      model: 'rdk:builtin:fake',
      attributes: { base: `base-${n}` },
    });
    push(components, {
      name: `battery-${n}`,
      api: 'rdk:component:power_sensor',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
    push(components, {
      name: `env-${n}`,
      api: 'rdk:component:sensor',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
    push(components, {
      name: `board-${n}`,
      api: 'rdk:component:board',
      model: 'rdk:builtin:pi',
      attributes: { analogs: [{ name: 'a0', pin: '32' }], digital_interrupts: [{ name: 'di0', pin: '31' }] },
    });
    push(components, {
      name: `switch-${n}`,
      api: 'rdk:component:switch',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
    push(components, {
      name: `button-${n}`,
      api: 'rdk:component:button',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
    push(components, {
      name: `generic-${n}`,
      api: 'rdk:component:generic',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
    push(components, {
      name: `widget-${n}`,
      api: 'acme:component:widget',
      model: 'acme:demo:widget',
      attributes: {},
    });
    push(services, {
      name: `vision-${n}`,
      api: 'rdk:service:vision',
      model: 'rdk:builtin:fake',
      attributes: { camera_name: `cam-${n}` },
    });
    push(services, {
      name: `helper-${n}`,
      api: 'rdk:service:generic',
      model: 'rdk:builtin:fake',
      attributes: {},
    });
  }
  return {
    sim: { hostname: 'sim-scale-main.local' },
    modules: [{ name: 'acme-widgets', module_id: 'acme:widgets', type: 'registry', version: '0.3.1' }],
    components,
    services,
  };
}
