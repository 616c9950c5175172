/**
 * decodeSummaries (src/lib/summary-decode.ts) against the SDK's own decoding of the same bytes: the
 * fleet reads ListMachineSummaries' answer itself, and what it shows must be exactly what the SDK's
 * decode would have shown, or the SDK must decode it.
 */
import { Timestamp } from '@bufbuild/protobuf';
import { appApi } from '@viamrobotics/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toFleetView, type LocationSummaryLike, type PartSummaryLike } from '../../src/lib/fleet.ts';
import { readAnswer } from '../../src/cloud/fleet-summaries.ts';
import { decodeSummaries, UnreadSummaries } from '../../src/lib/summary-decode.ts';

const FETCHED_AT = 1_700_000_100_000;

const int64 = (v: bigint | number | undefined): string => String(v ?? 0);
const ts = (t: PartSummaryLike['lastOnline']) =>
  t === undefined ? undefined : { seconds: int64(t.seconds), nanos: t.nanos ?? 0 };

/** Every field the fleet reads, int64s as decimal strings (the SDK's are bigints, ours numbers). */
function fields(locations: readonly LocationSummaryLike[]): unknown {
  return locations.map((l) => ({
    locationId: l.locationId,
    locationName: l.locationName,
    machines: l.machineSummaries.map((m) => ({
      machineId: m.machineId,
      machineName: m.machineName,
      parts: m.partSummaries.map((p) => ({
        partId: p.partId,
        partName: p.partName,
        isMainPart: p.isMainPart,
        onlineState: p.onlineState,
        secondsSinceOnline: int64(p.secondsSinceOnline),
        lastAccess: ts(p.lastAccess),
        lastOnline: ts(p.lastOnline),
        version: p.viamServerVersion
          ? { case: p.viamServerVersion.version.case, value: p.viamServerVersion.version.value }
          : undefined,
        os: p.os,
        platform: p.platform,
        fragments: p.fragments.map((f) => ({ id: f.id, name: f.name })),
      })),
    })),
  }));
}

const view = (locations: readonly LocationSummaryLike[]) =>
  toFleetView(locations, new Map(), FETCHED_AT, 1000);

const viaSdk = (bytes: Uint8Array) => appApi.ListMachineSummariesResponse.fromBinary(bytes).locationSummaries;

/** Ours and the SDK's read the same fields and make the same list. */
function expectSame(bytes: Uint8Array): void {
  const ours = decodeSummaries(bytes);
  const sdk = viaSdk(bytes);
  expect(fields(ours)).toEqual(fields(sdk));
  expect(view(ours)).toEqual(view(sdk));
}

function machine(i: number, name: string): appApi.MachineSummary {
  return new appApi.MachineSummary({
    machineId: `machine-${i}`,
    machineName: name,
    partSummaries: [
      new appApi.PartSummary({
        partId: `part-${i}`,
        partName: `${name}-main`,
        isMainPart: true,
        onlineState: [
          appApi.OnlineState.ONLINE,
          appApi.OnlineState.OFFLINE,
          appApi.OnlineState.AWAITING_SETUP,
        ][i % 3],
        secondsSinceOnline: BigInt(i),
        lastOnline: Timestamp.fromDate(new Date(1_700_000_000_000 + i * 1000)),
        lastAccess: Timestamp.fromDate(new Date(1_700_000_050_000 + i * 1000)),
        viamServerVersion: new appApi.ViamServerVersion({
          version: i % 4 === 0 ? { case: 'minor', value: '0.52' } : { case: 'major', value: '0.52.0' },
        }),
        viamAgentVersion: new appApi.ViamAgentVersion({ version: { case: 'major', value: '0.9.0' } }),
        os: 'linux',
        platform: 'linux/arm64',
        publicIpAddress: '203.0.113.7',
        dnsName: `${name}.local`,
        fragments:
          i % 2 === 0
            ? [
                new appApi.FragmentSummary({ id: 'f1', name: 'rover base' }),
                new appApi.FragmentSummary({ id: 'f2', name: 'camera kit' }),
              ]
            : [],
      }),
      ...(i % 5 === 0
        ? [
            new appApi.PartSummary({
              partId: `part-${i}-b`,
              partName: 'second',
              onlineState: appApi.OnlineState.OFFLINE,
            }),
          ]
        : []),
    ],
  });
}

function response(locations: { id: string; name: string; machines: string[] }[]): Uint8Array {
  let i = 0;
  return new appApi.ListMachineSummariesResponse({
    locationSummaries: locations.map(
      (l) =>
        new appApi.LocationSummary({
          locationId: l.id,
          locationName: l.name,
          machineSummaries: l.machines.map((name) => machine(i++, name)),
        }),
    ),
  }).toBinary();
}

/** A varint's bytes. */
function varint(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const tag = (field: number, wireType: number): number[] => varint(BigInt((field << 3) | wireType));

/** A length-delimited field: tag, length, value. */
const delimited = (field: number, value: Uint8Array | number[]): Uint8Array =>
  Uint8Array.from([...tag(field, 2), ...varint(BigInt(value.length)), ...value]);

const concat = (...parts: (Uint8Array | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => [...p]));

/** Fields the proto does not declare (a newer cloud may add some), one of each wire type. */
const UNKNOWN = concat(
  tag(90, 0),
  varint(150n),
  tag(91, 1),
  [1, 2, 3, 4, 5, 6, 7, 8],
  tag(92, 5),
  [1, 2, 3, 4],
  delimited(93, [0x61, 0x62, 0x63]),
);

/** An answer of one location holding one machine of one part with these bytes. */
function onePart(part: Uint8Array): Uint8Array {
  const machineBytes = concat(delimited(1, new TextEncoder().encode('m-1')), delimited(3, part));
  return delimited(1, concat(delimited(1, new TextEncoder().encode('loc')), delimited(3, machineBytes)));
}

describe('decodeSummaries', () => {
  it('reads what the SDK reads: locations, names, parts, states, versions and fragments, in order', () => {
    const bytes = response([
      { id: 'loc-a', name: 'Warehouse ⚙️ north', machines: ['rover-1', 'rover-2', 'arm cell «3»'] },
      { id: 'loc-b', name: '', machines: [] },
      { id: 'loc-c', name: 'שדה', machines: Array.from({ length: 120 }, (_, k) => `pod-${k}`) },
    ]);
    expectSame(bytes);
    const ours = decodeSummaries(bytes);
    expect(ours.map((l) => l.machineSummaries.length)).toEqual([3, 0, 120]);
    expect(ours[0]?.machineSummaries[0]?.partSummaries[0]).toMatchObject({
      partId: 'part-0',
      isMainPart: true,
      os: 'linux',
      platform: 'linux/arm64',
      viamServerVersion: { version: { case: 'minor', value: '0.52' } },
      fragments: [
        { id: 'f1', name: 'rover base' },
        { id: 'f2', name: 'camera kit' },
      ],
    });
  });

  it('reads an empty answer as no locations, and absent optional fields as absent', () => {
    expect(decodeSummaries(new Uint8Array())).toEqual([]);
    const bare = new appApi.ListMachineSummariesResponse({
      locationSummaries: [
        new appApi.LocationSummary({
          machineSummaries: [new appApi.MachineSummary({ partSummaries: [new appApi.PartSummary()] })],
        }),
      ],
    }).toBinary();
    expectSame(bare);
    const part = decodeSummaries(bare)[0]?.machineSummaries[0]?.partSummaries[0];
    expect(part?.os).toBeUndefined();
    expect(part?.lastOnline).toBeUndefined();
    expect(part?.viamServerVersion).toBeUndefined();
  });

  it('skips fields it does not know, at every level, as the SDK does', () => {
    const part = concat(
      UNKNOWN,
      new appApi.PartSummary({
        partId: 'p',
        partName: 'main',
        isMainPart: true,
        onlineState: appApi.OnlineState.ONLINE,
      }).toBinary(),
      UNKNOWN,
    );
    const machineBytes = concat(UNKNOWN, delimited(1, [0x6d]), delimited(3, part), UNKNOWN);
    const location = concat(UNKNOWN, delimited(1, [0x6c]), delimited(3, machineBytes), UNKNOWN);
    const bytes = concat(UNKNOWN, delimited(1, location), UNKNOWN);
    expectSame(bytes);
    expect(decodeSummaries(bytes)[0]?.machineSummaries[0]?.partSummaries[0]?.partId).toBe('p');
  });

  it('takes the last of a repeated scalar and merges a message given twice, as protobuf does', () => {
    const first = new appApi.PartSummary({
      partId: 'old',
      lastOnline: new Timestamp({ seconds: 1_600_000_000n, nanos: 5 }),
      viamServerVersion: new appApi.ViamServerVersion({ version: { case: 'major', value: '0.1.0' } }),
    }).toBinary();
    const second = new appApi.PartSummary({
      partId: 'new',
      lastOnline: new Timestamp({ seconds: 1_650_000_000n }),
      viamServerVersion: new appApi.ViamServerVersion({ version: { case: 'minor', value: '0.2' } }),
    }).toBinary();
    const bytes = onePart(concat(first, second));
    expectSame(bytes);
    const part = decodeSummaries(bytes)[0]?.machineSummaries[0]?.partSummaries[0];
    // The second Timestamp had no nanos: the first's stay.
    expect(part?.lastOnline).toEqual({ seconds: 1_650_000_000, nanos: 5 });
    expect(part?.partId).toBe('new');
    expect(part?.viamServerVersion?.version).toEqual({ case: 'minor', value: '0.2' });
  });

  it('reads 64-bit values as protobuf does: high bits of a bool, negative and huge int64s', () => {
    const bytes = onePart(
      concat(
        tag(11, 0),
        varint(1n << 40n), // is_main_part: only a high bit set
        tag(12, 0),
        varint(-1n), // online_state: a negative enum, ten bytes
        tag(13, 0),
        varint(-5n), // seconds_since_online
        delimited(3, concat(tag(1, 0), varint(1n << 60n), tag(2, 0), varint(-7n))),
      ),
    );
    expectSame(bytes);
    const part = decodeSummaries(bytes)[0]?.machineSummaries[0]?.partSummaries[0];
    expect(part?.isMainPart).toBe(true);
    expect(part?.onlineState).toBe(-1);
    expect(part?.secondsSinceOnline).toBe(-5n);
    expect(part?.lastOnline).toEqual({ seconds: 1n << 60n, nanos: -7 });
  });

  it('reads int64s exactly across every varint length', () => {
    for (const value of [
      0n,
      1n,
      127n,
      128n,
      (1n << 49n) - 1n,
      1n << 49n,
      (1n << 53n) - 1n,
      1n << 53n,
      1n << 62n,
    ]) {
      const bytes = onePart(concat(tag(13, 0), varint(value), tag(3, 2), [2, 8, 1]));
      expectSame(bytes);
      const read = decodeSummaries(bytes)[0]?.machineSummaries[0]?.partSummaries[0]?.secondsSinceOnline;
      expect(BigInt(read ?? -1)).toBe(value);
      // Exact as a number up to 2^53, a bigint beyond.
      expect(typeof read).toBe(value < 1n << 53n ? 'number' : 'bigint');
    }
  });

  it('decodes strings leniently, as the SDK does (a bad sequence is U+FFFD, a BOM dropped)', () => {
    const bytes = delimited(1, concat(delimited(2, [0xef, 0xbb, 0xbf, 0x41, 0xff, 0x42])));
    expectSame(bytes);
    expect(decodeSummaries(bytes)[0]?.locationName).toBe('A\uFFFDB');
    // A byte windows-1252 would read as a letter (0x80 is €) is still UTF-8 decoded; the ASCII
    // strings around non-ASCII ones are cut from the right places.
    const mixed = delimited(
      1,
      concat(
        delimited(1, [0x61, 0x80, 0x62]),
        delimited(2, new TextEncoder().encode('Lager «Nord» ⚙️')),
        delimited(3, concat(delimited(1, new TextEncoder().encode('m-1')), delimited(2, [0x7a]))),
      ),
    );
    expectSame(mixed);
    const [location] = decodeSummaries(mixed);
    expect(location).toMatchObject({ locationId: 'a\uFFFDb', locationName: 'Lager «Nord» ⚙️' });
    expect(location?.machineSummaries[0]).toMatchObject({ machineId: 'm-1', machineName: 'z' });
  });

  it('leaves to the SDK what is not plainly well formed: truncated, a wrong wire type, field 0, a group', () => {
    const bytes = response([{ id: 'loc-a', name: 'A', machines: ['one', 'two'] }]);
    const unread = (b: Uint8Array | number[]) => () => decodeSummaries(Uint8Array.from(b));
    expect(unread(bytes.subarray(0, bytes.length - 3))).toThrow(UnreadSummaries);
    expect(unread([(1 << 3) | 0, 1])).toThrow(/wire type/);
    expect(unread([0, 1])).toThrow(/field number 0/);
    expect(unread([(5 << 3) | 3])).toThrow(/wire type/);
    expect(unread([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).toThrow(/too long/);
    // A machine whose length runs past its location's end.
    expect(unread(delimited(1, [(3 << 3) | 2, 5, 0x0a, 0x00]))).toThrow(UnreadSummaries);
  });

  it('never disagrees with the SDK: 3,000 mutated answers either read the same or are left to it', () => {
    const base = response([
      { id: 'loc-a', name: 'North', machines: ['rover-1', 'rover-2', 'arm'] },
      { id: 'loc-b', name: 'South', machines: ['pod'] },
    ]);
    let agreed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.option(fc.integer({ min: 1, max: 8 }), { freq: 4 }),
        (edits, cut) => {
          const bytes = base.slice(0, base.length - (cut ?? 0));
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          try {
            decodeSummaries(bytes);
          } catch (error: unknown) {
            // Not ours to read: the fleet lets the SDK decode it (and report it).
            expect(error).toBeInstanceOf(UnreadSummaries);
            return;
          }
          // Read by us, it reads the same in the SDK (which does not throw on it either).
          expectSame(bytes);
          agreed += 1;
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
    // The mutations are not all fatal: the comparison above ran on a good share of them.
    expect(agreed).toBeGreaterThan(300);
  });
});

describe('readAnswer (src/cloud/fleet-summaries.ts)', () => {
  const type = appApi.ListMachineSummariesResponse;

  it('reads a well-formed answer itself: plain objects, not the SDK’s messages', () => {
    const bytes = response([{ id: 'loc-a', name: 'A', machines: ['one', 'two'] }]);
    const read = readAnswer(bytes, type);
    expect(view(read)).toEqual(view(viaSdk(bytes)));
    expect(read[0]?.machineSummaries[0]).not.toBeInstanceOf(appApi.MachineSummary);
  });

  it('leaves what it will not read to the SDK: a group the SDK skips is read by the SDK', () => {
    // An unknown group field (start 94, end 94) after a good location: protobuf-es skips groups.
    const good = response([{ id: 'loc-a', name: 'A', machines: ['one'] }]);
    const bytes = concat(good, tag(94, 3), tag(94, 4));
    expect(() => decodeSummaries(bytes)).toThrow(UnreadSummaries);
    const read = readAnswer(bytes, type);
    expect(read[0]?.machineSummaries[0]).toBeInstanceOf(appApi.MachineSummary);
    expect(view(read)).toEqual(view(viaSdk(good)));
  });

  it('fails as the SDK’s transport fails where neither can read the answer', () => {
    const bytes = response([{ id: 'loc-a', name: 'A', machines: ['one'] }]);
    expect(() => readAnswer(bytes.subarray(0, bytes.length - 2), type)).toThrow(/^parse binary: /);
  });
});
