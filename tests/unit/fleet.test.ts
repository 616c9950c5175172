import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  filterMachines,
  filterOptions,
  groupMachines,
  hashForMachine,
  lastOnlineText,
  machineIdFromHash,
  NO_FILTER,
  ONLINE_STATE,
  reconcileFilter,
  shortName,
  stateText,
  toFleetView,
  whyNotOpenable,
  type LocationSummaryLike,
  type OrgRef,
  type PartSummaryLike,
} from '../../src/lib/fleet.ts';

const NOW = Date.parse('2026-04-10T12:00:00Z');
const ts = (ms: number) => ({ seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

const part = (overrides: Partial<PartSummaryLike> = {}): PartSummaryLike => ({
  partId: 'p-1',
  partName: 'rover-main',
  isMainPart: true,
  onlineState: ONLINE_STATE.online,
  secondsSinceOnline: 0n,
  fragments: [],
  ...overrides,
});

const acme: OrgRef = { id: 'org-acme', name: 'Acme Robotics' };
const beta: OrgRef = { id: 'org-beta', name: 'Beta Farms' };
const orgs = new Map([
  ['loc-wh', acme],
  ['loc-lab', acme],
  ['loc-gh', beta],
]);

const fleet: LocationSummaryLike[] = [
  {
    locationId: 'loc-wh',
    locationName: 'Warehouse East',
    machineSummaries: [
      {
        machineId: 'm-rover-10',
        machineName: 'rover-10',
        partSummaries: [
          part({
            viamServerVersion: { version: { case: 'major', value: 'v0.88.1' } },
            platform: 'linux/arm64',
            os: 'Debian 12',
            fragments: [{ id: 'f-base', name: 'rover-base' }],
          }),
        ],
      },
      {
        machineId: 'm-rover-2',
        machineName: 'rover-2',
        partSummaries: [
          part({
            onlineState: ONLINE_STATE.offline,
            lastOnline: ts(NOW - 3 * 3600_000),
            fragments: [{ id: 'f-base', name: 'rover-base' }],
          }),
        ],
      },
    ],
  },
  {
    locationId: 'loc-gh',
    locationName: 'Greenhouse',
    machineSummaries: [
      {
        machineId: 'm-pod',
        machineName: 'sensor-pod',
        partSummaries: [
          part({
            partId: 'p-aux',
            partName: 'aux',
            isMainPart: false,
            fragments: [{ id: 'f-aux', name: 'aux' }],
          }),
          part({
            partId: 'p-main',
            partName: 'pod-main',
            onlineState: ONLINE_STATE.awaitingSetup,
            viamServerVersion: { version: { case: 'minor', value: '0.89.0-dev' } },
            fragments: [{ id: 'f-pod', name: 'sensor-pod' }],
          }),
        ],
      },
    ],
  },
  {
    locationId: 'loc-lab',
    locationName: 'Lab North',
    machineSummaries: [{ machineId: 'm-arm', machineName: 'arm-cell', partSummaries: [part()] }],
  },
];

describe('toFleetView', () => {
  const view = toFleetView(fleet, orgs, NOW, 1000);

  it('maps every machine with its main part, version, platform and fragments', () => {
    expect(view.byId.get('m-rover-10')).toEqual({
      id: 'm-rover-10',
      name: 'rover-10',
      state: 'online',
      mainPartId: 'p-1',
      mainPartName: 'rover-main',
      partCount: 1,
      version: 'v0.88.1',
      platform: 'linux/arm64',
      os: 'Debian 12',
      fragments: [{ id: 'f-base', name: 'rover-base' }],
      locationId: 'loc-wh',
      locationName: 'Warehouse East',
      orgId: 'org-acme',
      orgName: 'Acme Robotics',
    });
  });

  it('the main part decides the state; fragments of every part count', () => {
    const pod = view.byId.get('m-pod');
    expect(pod?.state).toBe('awaiting-setup');
    expect(pod?.mainPartName).toBe('pod-main');
    expect(pod?.version).toBe('0.89.0-dev');
    expect(pod?.partCount).toBe(2);
    expect(pod?.fragments.map((f) => f.id)).toEqual(['f-aux', 'f-pod']);
  });

  it('an offline machine knows when it was last online', () => {
    expect(view.byId.get('m-rover-2')).toMatchObject({ state: 'offline', lastOnlineAt: NOW - 3 * 3600_000 });
  });

  it('sorts by organization, location and natural name order', () => {
    expect(view.machines.map((m) => m.id)).toEqual(['m-arm', 'm-rover-2', 'm-rover-10', 'm-pod']);
    expect(view.counts).toEqual({ total: 4, online: 2, offline: 1, awaitingSetup: 1 });
    expect(view.truncated).toBe(false);
  });

  it('comes with its groups and filter options, as the list would make them', () => {
    expect(view.groups).toEqual(groupMachines(view.machines));
    expect(view.options).toEqual(filterOptions(view.machines));
    expect(view.groups.flatMap((o) => o.locations.flatMap((l) => l.machines))).toEqual(view.machines);
  });

  it('sorts any fleet as one comparison over organization, location, name and id would', () => {
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    // Ids in any fixed order (code units: no collator needed).
    const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const name = fc.constantFrom('a', 'A', 'b', 'rover-2', 'rover-10', 'Été', 'zeta', ' x ', '');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), name, fc.nat(3)), { maxLength: 40 }),
        fc.array(name, { minLength: 6, maxLength: 6 }),
        fc.array(fc.option(fc.constantFrom(acme, beta, { id: 'org-c', name: 'acme robotics' })), {
          minLength: 6,
          maxLength: 6,
        }),
        (rows, locationNames, orgOfEach) => {
          const locations: LocationSummaryLike[] = locationNames.map((n, l) => ({
            locationId: `loc-${l}`,
            locationName: n,
            machineSummaries: rows
              .map(([at, machineName, dup], i) => ({ at, machineName, id: `m-${i % (dup + 5)}-${i}` }))
              .filter((r) => r.at === l)
              .map((r) => ({ machineId: r.id, machineName: r.machineName, partSummaries: [part()] })),
          }));
          const orgMap = new Map<string, OrgRef>();
          orgOfEach.forEach((o, l) => o && orgMap.set(`loc-${l}`, o));
          const { machines } = toFleetView(locations, orgMap, NOW, 1000);
          const orgRank = (a: (typeof machines)[number], b: (typeof machines)[number]) =>
            a.orgId === b.orgId
              ? 0
              : a.orgId === ''
                ? 1
                : b.orgId === ''
                  ? -1
                  : collator.compare(a.orgName, b.orgName) || byCode(a.orgId, b.orgId);
          const reference = [...machines].sort(
            (a, b) =>
              orgRank(a, b) ||
              collator.compare(a.locationName, b.locationName) ||
              byCode(a.locationId, b.locationId) ||
              collator.compare(a.name, b.name) ||
              byCode(a.id, b.id),
          );
          expect(machines.map((m) => m.id)).toEqual(reference.map((m) => m.id));
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });

  it('groups by organization, then location', () => {
    const groups = groupMachines(view.machines);
    expect(groups.map((g) => [g.name, g.locations.map((l) => [l.name, l.machines.length])])).toEqual([
      [
        'Acme Robotics',
        [
          ['Lab North', 1],
          ['Warehouse East', 2],
        ],
      ],
      ['Beta Farms', [['Greenhouse', 1]]],
    ]);
  });

  it('locations of an unknown organization come last, under no organization', () => {
    const partial = toFleetView(fleet, new Map([['loc-gh', beta]]), NOW, 1000);
    const groups = groupMachines(partial.machines);
    expect(groups.map((g) => g.id)).toEqual(['org-beta', '']);
    expect(groups[1]?.locations.map((l) => l.name)).toEqual(['Lab North', 'Warehouse East']);
  });

  it('keeps unchanged machines as the same objects between refreshes', () => {
    const again = toFleetView(structuredClone(fleet), orgs, NOW + 10_000, 1000, view);
    for (const m of again.machines) expect(m).toBe(view.byId.get(m.id));
    const changed = structuredClone(fleet);
    const rover = changed[0]?.machineSummaries[0]?.partSummaries[0] as { onlineState: number };
    rover.onlineState = ONLINE_STATE.offline;
    const next = toFleetView(changed, orgs, NOW + 10_000, 1000, view);
    expect(next.byId.get('m-rover-10')).not.toBe(view.byId.get('m-rover-10'));
    expect(next.byId.get('m-arm')).toBe(view.byId.get('m-arm'));
  });

  it('"seconds since online" gives a last-online time that does not churn between fetches', () => {
    const at = (seconds: bigint): LocationSummaryLike[] => [
      {
        locationId: 'loc-wh',
        locationName: 'W',
        machineSummaries: [
          {
            machineId: 'm',
            machineName: 'm',
            partSummaries: [part({ onlineState: ONLINE_STATE.offline, secondsSinceOnline: seconds })],
          },
        ],
      },
    ];
    const first = toFleetView(at(600n), orgs, NOW, 1000);
    expect(first.byId.get('m')?.lastOnlineAt).toBe(NOW - 600_000);
    const second = toFleetView(at(610n), orgs, NOW + 10_400, 1000, first);
    expect(second.byId.get('m')).toBe(first.byId.get('m'));
  });

  it('an unspecified state is live when the part checked in within 10 s', () => {
    const one = (lastAccess: number): LocationSummaryLike[] => [
      {
        locationId: 'l',
        locationName: 'L',
        machineSummaries: [
          {
            machineId: 'm',
            machineName: 'm',
            partSummaries: [part({ onlineState: ONLINE_STATE.unspecified, lastAccess: ts(lastAccess) })],
          },
        ],
      },
    ];
    expect(toFleetView(one(NOW - 3000), orgs, NOW, 10).byId.get('m')?.state).toBe('online');
    expect(toFleetView(one(NOW - 60_000), orgs, NOW, 10).byId.get('m')).toMatchObject({
      state: 'offline',
      lastOnlineAt: NOW - 60_000,
    });
  });

  it('a machine without parts cannot be opened; a duplicate machine is listed once', () => {
    const odd: LocationSummaryLike[] = [
      {
        locationId: 'l',
        locationName: '',
        machineSummaries: [
          { machineId: 'm', machineName: '', partSummaries: [] },
          { machineId: 'm', machineName: 'again', partSummaries: [part()] },
          { machineId: '', machineName: 'no id', partSummaries: [part()] },
        ],
      },
    ];
    const v = toFleetView(odd, new Map(), NOW, 10);
    expect(v.machines).toHaveLength(1);
    expect(v.machines[0]).toMatchObject({
      name: 'Unnamed machine',
      state: 'awaiting-setup',
      locationName: 'l',
    });
  });

  it('control characters never reach a name', () => {
    const hostile: LocationSummaryLike[] = [
      {
        locationId: 'l',
        locationName: 'Lab\u0000\u001b[31m',
        machineSummaries: [{ machineId: 'm', machineName: '\u0007rover\u009b', partSummaries: [part()] }],
      },
    ];
    const m = toFleetView(hostile, new Map(), NOW, 10).machines[0];
    expect(m?.name).toBe('rover');
    expect(m?.locationName).toBe('Lab  [31m');
  });

  it('an answer as long as the limit may be cut short', () => {
    expect(toFleetView(fleet, orgs, NOW, 4).truncated).toBe(true);
    expect(toFleetView(fleet, orgs, NOW, 5).truncated).toBe(false);
  });
});

describe('filters', () => {
  const view = toFleetView(fleet, orgs, NOW, 1000);
  const ids = (filter: Partial<typeof NO_FILTER>) =>
    filterMachines(view.machines, { ...NO_FILTER, ...filter }).map((m) => m.id);

  it('no filter keeps the same list', () => {
    expect(filterMachines(view.machines, NO_FILTER)).toBe(view.machines);
  });

  it('search: every word in the name, any case, full-width letters folded', () => {
    expect(ids({ query: 'ROVER' })).toEqual(['m-rover-2', 'm-rover-10']);
    expect(ids({ query: 'rover 10' })).toEqual(['m-rover-10']);
    expect(ids({ query: 'ｒｏｖｅｒ－２'.replace('－', '-') })).toEqual(['m-rover-2']);
    expect(ids({ query: '  ' })).toHaveLength(4);
    expect(ids({ query: 'nothing' })).toEqual([]);
  });

  it('by location, state and fragment, combined', () => {
    expect(ids({ locationId: 'loc-wh' })).toEqual(['m-rover-2', 'm-rover-10']);
    expect(ids({ state: 'online' })).toEqual(['m-arm', 'm-rover-10']);
    expect(ids({ fragmentId: 'f-base', state: 'offline' })).toEqual(['m-rover-2']);
    expect(ids({ fragmentId: 'f-aux' })).toEqual(['m-pod']);
  });

  it('offers what the fleet holds, and drops a filter whose location or fragment is gone', () => {
    const options = filterOptions(view.machines);
    expect(options.locations.map((l) => `${l.orgName}/${l.name}`)).toEqual([
      'Acme Robotics/Lab North',
      'Acme Robotics/Warehouse East',
      'Beta Farms/Greenhouse',
    ]);
    expect(options.fragments.map((f) => f.name)).toEqual(['aux', 'rover-base', 'sensor-pod']);
    const kept = { ...NO_FILTER, locationId: 'loc-wh', query: 'x' };
    expect(reconcileFilter(kept, options)).toBe(kept);
    expect(reconcileFilter({ ...kept, locationId: 'gone', fragmentId: 'gone' }, options)).toEqual({
      ...NO_FILTER,
      query: 'x',
    });
  });
});

describe('words', () => {
  const view = toFleetView(fleet, orgs, NOW, 1000);
  const get = (id: string) => {
    const m = view.byId.get(id);
    if (!m) throw new Error(id);
    return m;
  };

  it('says online, offline with when, awaiting setup', () => {
    expect(stateText(get('m-rover-10'), NOW)).toBe('Online');
    expect(stateText(get('m-rover-2'), NOW)).toBe('Offline · last online 3 h ago');
    expect(stateText(get('m-rover-2'), NOW + 2 * 86_400_000)).toBe('Offline · last online 2 d ago');
    expect(stateText(get('m-pod'), NOW)).toBe('Awaiting setup');
    expect(lastOnlineText(undefined, NOW)).toBe('last online: unknown');
    expect(lastOnlineText(NOW + 5000, NOW)).toBe('last online just now');
  });

  it('says why a machine cannot be opened', () => {
    expect(whyNotOpenable(get('m-rover-10'), NOW)).toBeUndefined();
    expect(whyNotOpenable(get('m-rover-2'), NOW)).toContain('offline (last online 3 h ago)');
    expect(whyNotOpenable(get('m-pod'), NOW)).toContain('awaiting setup');
  });

  it('shortens long names by characters, not code units', () => {
    expect(shortName('short')).toBe('short');
    expect(shortName('😀'.repeat(100), 10)).toBe(`${'😀'.repeat(9)}…`);
  });
});

describe('hash routes', () => {
  it.each([
    ['#/machine/abc', 'abc'],
    ['#/machine/abc/', 'abc'],
    ['#/machine/a%20b', 'a b'],
    [hashForMachine('id/with?odd#chars'), 'id/with?odd#chars'],
  ])('%s -> %s', (hash, id) => {
    expect(machineIdFromHash(hash)).toBe(id);
  });

  it.each(['', '#', '#/', '#/machine/', '#/machine/%E0%A4', '#/machine/%20', '#/other/x', '#/machine/a/b'])(
    'no machine in %j',
    (hash) => {
      expect(machineIdFromHash(hash)).toBeUndefined();
    },
  );
});
