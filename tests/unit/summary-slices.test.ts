/**
 * sliceSummaries (src/lib/summary-slices.ts) against the SDK's own decoding of the same bytes: the
 * fleet decodes ListMachineSummaries machine by machine, and what it shows must be exactly what the
 * SDK would have decoded whole.
 */
import { Timestamp } from '@bufbuild/protobuf';
import { appApi } from '@viamrobotics/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sliceSummaries } from '../../src/lib/summary-slices.ts';

type Known = { locationId: string; locationName: string; machines: unknown[] };

/**
 * The known fields, the way the fleet reads them: runs of `run` machines (all of them by default)
 * through the SDK's LocationSummary.
 */
function viaSlices(bytes: Uint8Array, run = Number.POSITIVE_INFINITY): Known[] {
  return sliceSummaries(bytes).map((l) => {
    const machines: unknown[] = [];
    for (let at = 0; at < l.count; at += run) {
      const n = Math.min(run, l.count - at);
      const decoded = appApi.LocationSummary.fromBinary(l.machines(at, n));
      // Exactly the run's machines (other fields of the location may come along: not read).
      expect(decoded.machineSummaries).toHaveLength(n);
      machines.push(...decoded.machineSummaries.map((m) => m.toJson()));
    }
    return { locationId: l.locationId, locationName: l.locationName, machines };
  });
}

function viaSdk(bytes: Uint8Array): Known[] {
  return appApi.ListMachineSummariesResponse.fromBinary(bytes).locationSummaries.map((l) => ({
    locationId: l.locationId,
    locationName: l.locationName,
    machines: l.machineSummaries.map((m) => m.toJson()),
  }));
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
        viamServerVersion: new appApi.ViamServerVersion({ version: { case: 'major', value: '0.52.0' } }),
        os: 'linux',
        platform: 'linux/arm64',
        dnsName: `${name}.local`,
        fragments: i % 2 === 0 ? [new appApi.FragmentSummary({ id: 'f1', name: 'rover base' })] : [],
      }),
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

/** A field the proto does not declare (a newer cloud may add some): tag, then its value. */
function unknownFields(): Uint8Array {
  return Uint8Array.from([
    (9 << 3) | 0,
    0x96,
    0x01, // varint 150
    (10 << 3) | 1,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8, // fixed64
    (11 << 3) | 5,
    1,
    2,
    3,
    4, // fixed32
    (12 << 3) | 2,
    3,
    0x61,
    0x62,
    0x63, // bytes "abc"
  ]);
}

/** A length-delimited field's header: its tag, then its length as a varint. */
function header(field: number, length: number): Uint8Array {
  const out = [(field << 3) | 2];
  let n = length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Uint8Array.from(out);
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('sliceSummaries', () => {
  it('reads what the SDK reads: locations, names and every machine, in order', () => {
    const bytes = response([
      { id: 'loc-a', name: 'Warehouse ⚙️ north', machines: ['rover-1', 'rover-2', 'arm cell «3»'] },
      { id: 'loc-b', name: '', machines: [] },
      { id: 'loc-c', name: 'שדה', machines: Array.from({ length: 120 }, (_, k) => `pod-${k}`) },
    ]);
    const slices = viaSlices(bytes);
    expect(slices).toEqual(viaSdk(bytes));
    expect(slices.map((l) => l.machines.length)).toEqual([3, 0, 120]);
    // Run by run, as the fleet decodes a long answer: the same machines.
    for (const run of [1, 7, 16, 119]) expect(viaSlices(bytes, run)).toEqual(slices);
  });

  it('hands out runs of machines as views of the answer, whatever other fields lie between them', () => {
    const bytes = response([{ id: 'loc-a', name: 'A', machines: ['one', 'two', 'three'] }]);
    const [location] = sliceSummaries(bytes);
    expect(location?.machines(0, 3).buffer).toBe(bytes.buffer);
    expect(() => location?.machines(2, 2)).toThrow(RangeError);
    expect(() => location?.machines(0, 0)).toThrow(RangeError);
    // A field between two machines (an unknown one, or the name written late): still read right.
    const one = new appApi.LocationSummary({ machineSummaries: [machine(1, 'one')] }).toBinary();
    const two = new appApi.LocationSummary({
      locationName: 'late',
      machineSummaries: [machine(2, 'two')],
    }).toBinary();
    const spread = concat(one, unknownFields(), two);
    const answer = concat(header(1, spread.length), spread);
    const [split] = sliceSummaries(answer);
    expect(split?.locationName).toBe('late');
    expect(split?.machines(0, 2).buffer).toBe(answer.buffer);
    expect(viaSlices(answer, 2)).toEqual(viaSdk(answer));
    expect(viaSlices(answer, 1)).toEqual(viaSdk(answer));
  });

  it('reads an empty answer as no locations', () => {
    expect(sliceSummaries(new Uint8Array())).toEqual([]);
  });

  it('skips fields it does not know, at both levels, as the SDK does', () => {
    const location = new appApi.LocationSummary({
      locationId: 'loc-a',
      locationName: 'A',
      machineSummaries: [machine(1, 'one'), machine(2, 'two')],
    }).toBinary();
    const withUnknown = concat(unknownFields(), location, unknownFields());
    const bytes = concat(unknownFields(), header(1, withUnknown.length), withUnknown, unknownFields());
    expect(viaSlices(bytes)).toEqual(viaSdk(bytes));
    expect(viaSlices(bytes)[0]?.machines).toHaveLength(2);
  });

  it('takes the last of a repeated string field, as protobuf does', () => {
    const first = new appApi.LocationSummary({ locationId: 'old', machineSummaries: [machine(1, 'a')] });
    const second = new appApi.LocationSummary({ locationId: 'new', machineSummaries: [machine(2, 'b')] });
    const merged = concat(first.toBinary(), second.toBinary());
    const bytes = concat(header(1, merged.length), merged);
    expect(viaSlices(bytes)).toEqual(viaSdk(bytes));
    expect(viaSlices(bytes)[0]).toMatchObject({ locationId: 'new' });
  });

  it('throws on malformed input: truncated, a known field of the wrong wire type, field 0, a group', () => {
    const bytes = response([{ id: 'loc-a', name: 'A', machines: ['one', 'two'] }]);
    expect(() => sliceSummaries(bytes.subarray(0, bytes.length - 3))).toThrow();
    expect(() => sliceSummaries(Uint8Array.from([(1 << 3) | 0, 1]))).toThrow(/wire type/);
    expect(() => sliceSummaries(Uint8Array.from([0, 1]))).toThrow(/field number 0/);
    expect(() => sliceSummaries(Uint8Array.from([(5 << 3) | 3]))).toThrow(/wire type/);
    expect(() => sliceSummaries(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow();
  });

  it('never disagrees with the SDK: 3,000 mutated answers either read the same or throw', () => {
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
          let ours: Known[] | undefined;
          try {
            ours = viaSlices(bytes, 2);
          } catch {
            // Malformed for us: the fleet then lets the SDK decode it whole (and report it).
            return;
          }
          // Read by us, it reads the same in the SDK.
          expect(ours).toEqual(viaSdk(bytes));
          agreed += 1;
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
    // The mutations are not all fatal: the comparison above ran on a good share of them.
    expect(agreed).toBeGreaterThan(300);
  });
});
