/**
 * ListMachineSummaries' answer read straight from its bytes, only the fields the fleet shows.
 *
 * The SDK decodes an answer through protobuf-es's reflection (a message object per level, every
 * field initialised, each value looked up by its field's descriptor): 500 machines took 17-31 ms of
 * the fleet page's main thread on the bench's VM, in runs, and 60-80 ms in one task in the floor
 * page. Reading the few fields the list needs from the wire format is a small fraction of that.
 *
 *   ListMachineSummariesResponse { repeated LocationSummary location_summaries = 1; }
 *   LocationSummary { string location_id = 1; string location_name = 2;
 *                     repeated MachineSummary machine_summaries = 3; }
 *   MachineSummary  { string machine_id = 1; string machine_name = 2;
 *                     repeated PartSummary part_summaries = 3; }
 *   PartSummary     { string part_id = 1; string part_name = 2; bool is_main_part = 11;
 *                     OnlineState online_state = 12; int64 seconds_since_online = 13;
 *                     optional Timestamp last_access = 14; optional Timestamp last_online = 3;
 *                     optional ViamServerVersion viam_server_version = 4;
 *                     optional ViamAgentVersion viam_agent_version = 5; optional string os = 6;
 *                     optional string platform = 7; optional string public_ip_address = 8;
 *                     repeated FragmentSummary fragments = 9; optional string dns_name = 10; }
 *   ViamServerVersion, ViamAgentVersion { oneof version { string major = 1; string minor = 2; } }
 *   FragmentSummary { string id = 1; string name = 3; }
 *   Timestamp       { int64 seconds = 1; int32 nanos = 2; }
 *
 * It reads them as protobuf-es does (the last of a repeated scalar wins, a message given twice is
 * merged, strings decoded leniently, fields it does not know skipped). Where the bytes are anything
 * but plainly well formed (a known field with another wire type, a group, a truncated or overlong
 * value) it throws, and the caller lets the SDK decode the answer (and word what is wrong with it).
 * Pure and synchronous; tests/unit/summary-decode.test.ts holds it to the SDK's decode.
 */
import type { LocationSummaryLike, MachineSummaryLike, PartSummaryLike } from './fleet.ts';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** Lenient, as protobuf-es's reader: a malformed sequence becomes U+FFFD, never an error. */
const utf8 = new TextDecoder();

/** The bytes are not a plainly well-formed answer: the SDK's decode is the judge. */
export class UnreadSummaries extends Error {
  override name = 'UnreadSummaries';
}

const TWO_32 = 2 ** 32;

class Reader {
  pos = 0;
  /** Where the message being read ends: nothing inside it may reach past. */
  end: number;
  constructor(readonly bytes: Uint8Array) {
    this.end = bytes.length;
  }

  /** Reads the length-delimited message at the reader with `read`, bounded by its length. */
  message<T>(read: (r: Reader) => T): T {
    const outer = this.end;
    this.end = this.delimitedEnd();
    const value = read(this);
    this.end = outer;
    return value;
  }

  /** A varint's low 32 bits, unsigned (tags, lengths, enums, int32s); at most 10 bytes. */
  varint32(): number {
    const bytes = this.bytes;
    // Most are one byte (tags, short lengths).
    if (this.pos < this.end) {
      const first = bytes[this.pos] ?? 0;
      if (first < 0x80) {
        this.pos += 1;
        return first;
      }
    }
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new UnreadSummaries('truncated varint');
      const byte = bytes[this.pos++] ?? 0;
      if (i < 5) value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return value % TWO_32;
    }
    throw new UnreadSummaries('varint too long');
  }

  /** A varint read as an int64: a number where it is exact, a bigint beyond that. */
  int64(): number | bigint {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new UnreadSummaries('truncated varint');
      const byte = this.bytes[this.pos++] ?? 0;
      const bits = byte & 0x7f;
      if (i < 4) lo += bits * 2 ** (7 * i);
      else if (i === 4) {
        lo += (bits & 0x0f) * 2 ** 28;
        hi += bits >>> 4;
      } else hi += bits * 2 ** (7 * i - 32);
      if ((byte & 0x80) === 0) {
        hi %= TWO_32;
        // Non-negative and within 2^53: exact as a number.
        if (hi < 2 ** 21) return hi * TWO_32 + lo;
        return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
      }
    }
    this.pos = start;
    throw new UnreadSummaries('varint too long');
  }

  /** A length-delimited value's end (within the message's); the reader is left at its start. */
  delimitedEnd(): number {
    const length = this.varint32();
    const end = this.pos + length;
    if (end > this.end) throw new UnreadSummaries('truncated field');
    return end;
  }

  string(): string {
    const end = this.delimitedEnd();
    const value = utf8.decode(this.bytes.subarray(this.pos, end));
    this.pos = end;
    return value;
  }

  /** Skips a field the fleet does not read. */
  skip(field: number, wireType: number): void {
    if (field === 0) throw new UnreadSummaries('field number 0');
    switch (wireType) {
      case WIRE_VARINT:
        this.varint32();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.pos = this.delimitedEnd();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        // Groups are in none of these messages; anything else is not protobuf.
        throw new UnreadSummaries(`wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new UnreadSummaries('truncated field');
    this.pos += n;
  }
}

const isNonZero = (v: number | bigint): boolean => v !== 0 && v !== 0n;

/** A known field's wire type must be the one its type is written with. */
function expect(wireType: number, wanted: number): void {
  if (wireType !== wanted) throw new UnreadSummaries(`wire type ${wireType}, not ${wanted}`);
}

interface MutableTimestamp {
  seconds: bigint | number;
  nanos: number;
}

/** Reads a Timestamp's fields onto `into` (a second one for the same field merges into the first). */
function readTimestamp(r: Reader, into: MutableTimestamp | undefined): MutableTimestamp {
  const ts = into ?? { seconds: 0, nanos: 0 };
  while (r.pos < r.end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) {
      expect(wireType, WIRE_VARINT);
      ts.seconds = r.int64();
    } else if (field === 2) {
      expect(wireType, WIRE_VARINT);
      ts.nanos = r.varint32() | 0;
    } else r.skip(field, wireType);
  }
  return ts;
}

interface MutableVersion {
  version: { case?: string; value?: string };
}

function readVersion(r: Reader, into: MutableVersion | undefined): MutableVersion {
  const v = into ?? { version: {} };
  while (r.pos < r.end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 || field === 2) {
      expect(wireType, WIRE_LEN);
      v.version = { case: field === 1 ? 'major' : 'minor', value: r.string() };
    } else r.skip(field, wireType);
  }
  return v;
}

function readFragment(r: Reader): { id: string; name: string } {
  let id = '';
  let name = '';
  while (r.pos < r.end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) {
      expect(wireType, WIRE_LEN);
      id = r.string();
    } else if (field === 3) {
      expect(wireType, WIRE_LEN);
      name = r.string();
    } else r.skip(field, wireType);
  }
  return { id, name };
}

type MutablePart = {
  -readonly [K in keyof PartSummaryLike]: PartSummaryLike[K];
} & {
  lastAccess?: MutableTimestamp;
  lastOnline?: MutableTimestamp;
  viamServerVersion?: MutableVersion;
  fragments: { id: string; name: string }[];
};

function readPart(r: Reader): PartSummaryLike {
  const part: MutablePart = {
    partId: '',
    partName: '',
    isMainPart: false,
    onlineState: 0,
    secondsSinceOnline: 0,
    fragments: [],
  };
  while (r.pos < r.end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    switch (field) {
      case 1:
        expect(wireType, WIRE_LEN);
        part.partId = r.string();
        break;
      case 2:
        expect(wireType, WIRE_LEN);
        part.partName = r.string();
        break;
      case 11:
        expect(wireType, WIRE_VARINT);
        // As protobuf-es: any set bit of the 64, not only of the low 32.
        part.isMainPart = isNonZero(r.int64());
        break;
      case 12:
        expect(wireType, WIRE_VARINT);
        part.onlineState = r.varint32() | 0;
        break;
      case 13:
        expect(wireType, WIRE_VARINT);
        part.secondsSinceOnline = r.int64();
        break;
      case 14: {
        expect(wireType, WIRE_LEN);
        const into = part.lastAccess;
        part.lastAccess = r.message((m) => readTimestamp(m, into));
        break;
      }
      case 3: {
        expect(wireType, WIRE_LEN);
        const into = part.lastOnline;
        part.lastOnline = r.message((m) => readTimestamp(m, into));
        break;
      }
      case 4: {
        expect(wireType, WIRE_LEN);
        const into = part.viamServerVersion;
        part.viamServerVersion = r.message((m) => readVersion(m, into));
        break;
      }
      case 6:
        expect(wireType, WIRE_LEN);
        part.os = r.string();
        break;
      case 7:
        expect(wireType, WIRE_LEN);
        part.platform = r.string();
        break;
      case 9:
        expect(wireType, WIRE_LEN);
        part.fragments.push(r.message(readFragment));
        break;
      // Not shown, but the SDK reads them: held to the same form, so what it would refuse is left to it.
      case 5:
        expect(wireType, WIRE_LEN);
        r.message((m) => readVersion(m, undefined));
        break;
      case 8:
      case 10:
        expect(wireType, WIRE_LEN);
        r.skip(field, wireType);
        break;
      default:
        r.skip(field, wireType);
    }
  }
  return part;
}

function readMachine(r: Reader): MachineSummaryLike {
  let machineId = '';
  let machineName = '';
  const partSummaries: PartSummaryLike[] = [];
  while (r.pos < r.end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) {
      expect(wireType, WIRE_LEN);
      machineId = r.string();
    } else if (field === 2) {
      expect(wireType, WIRE_LEN);
      machineName = r.string();
    } else if (field === 3) {
      expect(wireType, WIRE_LEN);
      partSummaries.push(r.message(readPart));
    } else r.skip(field, wireType);
  }
  return { machineId, machineName, partSummaries };
}

function readLocation(r: Reader): LocationSummaryLike {
  let locationId = '';
  let locationName = '';
  const machineSummaries: MachineSummaryLike[] = [];
  while (r.pos < r.end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) {
      expect(wireType, WIRE_LEN);
      locationId = r.string();
    } else if (field === 2) {
      expect(wireType, WIRE_LEN);
      locationName = r.string();
    } else if (field === 3) {
      expect(wireType, WIRE_LEN);
      machineSummaries.push(r.message(readMachine));
    } else r.skip(field, wireType);
  }
  return { locationId, locationName, machineSummaries };
}

/**
 * Every location of a ListMachineSummariesResponse with its machines, as the fleet reads them.
 * Throws UnreadSummaries where the bytes are not plainly well formed.
 */
export function decodeSummaries(bytes: Uint8Array): LocationSummaryLike[] {
  const r = new Reader(bytes);
  const locations: LocationSummaryLike[] = [];
  while (r.pos < r.end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) {
      expect(wireType, WIRE_LEN);
      locations.push(r.message(readLocation));
    } else r.skip(field, wireType);
  }
  return locations;
}
