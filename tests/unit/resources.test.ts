import { describe, expect, it } from 'vitest';
import {
  groupStatuses,
  isUserFacing,
  machineStateName,
  resourceStateName,
  toResource,
  toStatusView,
} from '../../src/lib/resources.ts';

const name = (subtype: string, n: string, namespace = 'rdk', type = 'component') => ({
  namespace,
  type,
  subtype,
  name: n,
});

describe('resources', () => {
  it('splits remote parts from names', () => {
    expect(toResource(name('motor', 'left'))).toMatchObject({
      part: '',
      shortName: 'left',
      api: 'rdk:component:motor',
    });
    expect(toResource(name('motor', 'arm-pi:left'))).toMatchObject({ part: 'arm-pi', shortName: 'left' });
    expect(toResource(name('motor', 'a:b:c'))).toMatchObject({ part: 'a:b', shortName: 'c' });
  });

  it('keeps components and services, drops internal plumbing', () => {
    expect(isUserFacing(name('motor', 'm'))).toBe(true);
    expect(isUserFacing(name('motion', 'builtin', 'rdk', 'service'))).toBe(false);
    expect(isUserFacing(name('shell', 'x', 'rdk-internal', 'internal'))).toBe(false);
  });

  it('maps states by number, unknown numbers included', () => {
    expect(resourceStateName(3)).toBe('ready');
    expect(resourceStateName(5)).toBe('unhealthy');
    expect(resourceStateName(99)).toBe('unknown');
    expect(machineStateName(1)).toBe('initializing');
    expect(machineStateName(2)).toBe('running');
  });

  it('builds a status view with timestamps', () => {
    const view = toStatusView({
      state: 2,
      config: { revision: 'rev-1', lastUpdated: { seconds: 1_700_000_000n, nanos: 500_000_000 } },
      resources: [
        { name: name('motor', 'left'), state: 3, error: '', revision: 'rev-1' },
        { name: undefined, state: 3, error: '', revision: '' },
        { name: name('sensor', 'temp'), state: 5, error: 'i2c timeout', revision: 'rev-1' },
      ],
    });
    expect(view.state).toBe('running');
    expect(view.configUpdatedMs).toBe(1_700_000_000_500);
    expect(view.resources.size).toBe(2);
    expect(view.resources.get('rdk:component:sensor/temp')).toMatchObject({
      state: 'unhealthy',
      error: 'i2c timeout',
    });
  });

  it('groups by part then API, filters by name', () => {
    const view = toStatusView({
      state: 2,
      resources: [
        { name: name('motor', 'right'), state: 3, error: '', revision: '' },
        { name: name('motor', 'left'), state: 3, error: '', revision: '' },
        { name: name('widget', 'w', 'acme'), state: 3, error: '', revision: '' },
        { name: name('motor', 'pi:wrist'), state: 2, error: '', revision: '' },
      ],
    });
    const groups = groupStatuses(view.resources.values());
    expect(groups.map((g) => [g.part, g.label, g.items.map((i) => i.resource.name)])).toEqual([
      ['', 'acme:component:widget', ['w']],
      ['', 'motor', ['left', 'right']],
      ['pi', 'motor', ['pi:wrist']],
    ]);
    expect(
      groupStatuses(view.resources.values(), 'LEF').flatMap((g) => g.items.map((i) => i.resource.name)),
    ).toEqual(['left']);
  });
});
