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
/** One character per byte, whatever the byte (windows-1252, the Encoding Standard's "latin1"). */
const bytewise = new TextDecoder('latin1');
const NON_ASCII = /[^\0-\x7f]/;

/** The bytes are not a plainly well-formed answer: the SDK's decode is the judge. */
export class UnreadSummaries extends Error {
  override name = 'UnreadSummaries';
}

const TWO_32 = 2 ** 32;

class Reader {
  pos = 0;
  /** Where the message being read ends: nothing inside it may reach past. */
  end: number;
  /** The wire type of the field `next` read last. */
  wireType = 0;
  constructor(readonly bytes: Uint8Array) {
    this.end = bytes.length;
  }

  /** The next field's number (its wire type in `wireType`), or 0 at the end of the message. */
  next(): number {
    if (this.pos >= this.end) return 0;
    const tag = this.varint32();
    this.wireType = tag & 7;
    const field = tag >>> 3;
    if (field === 0) throw new UnreadSummaries('field number 0');
    return field;
  }

  /** The field just read is a known one: its wire type must be the one its type is written with. */
  private want(wireType: number): void {
    if (this.wireType !== wireType) throw new UnreadSummaries(`wire type ${this.wireType}, not ${wireType}`);
  }

  stringField(): string {
    this.want(WIRE_LEN);
    return this.string();
  }

  int32Field(): number {
    this.want(WIRE_VARINT);
    return this.varint32() | 0;
  }

  int64Field(): number | bigint {
    this.want(WIRE_VARINT);
    return this.int64();
  }

  /** The message in the field just read, read by `read` within its length. */
  messageField<T>(read: (r: Reader) => T): T {
    this.want(WIRE_LEN);
    const outer = this.end;
    this.end = this.delimitedEnd();
    const value = read(this);
    this.end = outer;
    return value;
  }

  /** Skips the field just read: one the fleet does not read (newer protos may add some). */
  skipField(): void {
    switch (this.wireType) {
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
        throw new UnreadSummaries(`wire type ${this.wireType}`);
    }
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
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new UnreadSummaries('truncated varint');
      const byte = bytes[this.pos++] ?? 0;
      if (i < 5) value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value % TWO_32;
      scale *= 128;
    }
    throw new UnreadSummaries('varint too long');
  }

  /** A varint read as an int64: a number where it is exact, a bigint beyond that. */
  int64(): number | bigint {
    const start = this.pos;
    // Up to 7 bytes (< 2^49: every time in seconds, every count) the sum is exact as it goes.
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw new UnreadSummaries('truncated varint');
      const byte = this.bytes[this.pos++] ?? 0;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    this.pos = start;
    return this.wideInt64();
  }

  /** A varint of 8 to 10 bytes as an int64, from its two 32-bit halves. */
  private wideInt64(): number | bigint {
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

  /**
   * The whole answer as one character per byte, decoded once, on the first string read. The strings
   * cut from it share it (V8 keeps a long cut as a view of its parent): a list holds it, ~115 KB for
   * 500 machines, for as long as it holds the names.
   */
  #bytewise: string | undefined;

  string(): string {
    const end = this.delimitedEnd();
    const start = this.pos;
    this.pos = end;
    // Most strings (ids, most names, versions) are ASCII: cut from the answer decoded once, a byte a
    // character, instead of a call into the UTF-8 decoder for each (in the page, 500 machines' strings
    // took ~12 ms that way, ~1 ms this way). A string with any other byte is UTF-8 decoded.
    this.#bytewise ??= bytewise.decode(this.bytes);
    const cut = this.#bytewise.slice(start, end);
    return NON_ASCII.test(cut) ? utf8.decode(this.bytes.subarray(start, end)) : cut;
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new UnreadSummaries('truncated field');
    this.pos += n;
  }
}

interface MutableTimestamp {
  seconds: bigint | number;
  nanos: number;
}

/** Reads a Timestamp's fields onto `into` (a second one for the same field merges into the first). */
function readTimestamp(r: Reader, into: MutableTimestamp | undefined): MutableTimestamp {
  const ts = into ?? { seconds: 0, nanos: 0 };
  for (let field = r.next(); field !== 0; field = r.next()) {
    if (field === 1) ts.seconds = r.int64Field();
    else if (field === 2) ts.nanos = r.int32Field();
    else r.skipField();
  }
  return ts;
}

interface MutableVersion {
  version: { case?: string; value?: string };
}

function readVersion(r: Reader, into: MutableVersion | undefined): MutableVersion {
  const v = into ?? { version: {} };
  for (let field = r.next(); field !== 0; field = r.next()) {
    if (field === 1 || field === 2)
      v.version = { case: field === 1 ? 'major' : 'minor', value: r.stringField() };
    else r.skipField();
  }
  return v;
}

function readFragment(r: Reader): { id: string; name: string } {
  let id = '';
  let name = '';
  for (let field = r.next(); field !== 0; field = r.next()) {
    if (field === 1) id = r.stringField();
    else if (field === 3) name = r.stringField();
    else r.skipField();
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
  for (let field = r.next(); field !== 0; field = r.next()) {
    switch (field) {
      case 1:
        part.partId = r.stringField();
        break;
      case 2:
        part.partName = r.stringField();
        break;
      case 11: {
        // As protobuf-es: any set bit of the 64, not only of the low 32.
        const value = r.int64Field();
        part.isMainPart = value !== 0 && value !== 0n;
        break;
      }
      case 12:
        part.onlineState = r.int32Field();
        break;
      case 13:
        part.secondsSinceOnline = r.int64Field();
        break;
      case 14: {
        const into = part.lastAccess;
        part.lastAccess = r.messageField((m) => readTimestamp(m, into));
        break;
      }
      case 3: {
        const into = part.lastOnline;
        part.lastOnline = r.messageField((m) => readTimestamp(m, into));
        break;
      }
      case 4: {
        const into = part.viamServerVersion;
        part.viamServerVersion = r.messageField((m) => readVersion(m, into));
        break;
      }
      case 6:
        part.os = r.stringField();
        break;
      case 7:
        part.platform = r.stringField();
        break;
      case 9:
        part.fragments.push(r.messageField(readFragment));
        break;
      // Not shown, but the SDK reads them: held to the same form, so what it would refuse is left to it.
      case 5:
        r.messageField((m) => readVersion(m, undefined));
        break;
      case 8:
      case 10:
        r.stringField();
        break;
      default:
        r.skipField();
    }
  }
  return part;
}

/** An id (1), a name (2) and a list of messages (3): the shape of a location and of a machine. */
function readNamedList<T>(r: Reader, readItem: (r: Reader) => T): { id: string; name: string; items: T[] } {
  let id = '';
  let name = '';
  const items: T[] = [];
  for (let field = r.next(); field !== 0; field = r.next()) {
    if (field === 1) id = r.stringField();
    else if (field === 2) name = r.stringField();
    else if (field === 3) items.push(r.messageField(readItem));
    else r.skipField();
  }
  return { id, name, items };
}

function readMachine(r: Reader): MachineSummaryLike {
  const { id, name, items } = readNamedList(r, readPart);
  return { machineId: id, machineName: name, partSummaries: items };
}

function readLocation(r: Reader): LocationSummaryLike {
  const { id, name, items } = readNamedList(r, readMachine);
  return { locationId: id, locationName: name, machineSummaries: items };
}

/**
 * Every location of a ListMachineSummariesResponse with its machines, as the fleet reads them.
 * Throws UnreadSummaries where the bytes are not plainly well formed.
 */
export function decodeSummaries(bytes: Uint8Array): LocationSummaryLike[] {
  const r = new Reader(bytes);
  const locations: LocationSummaryLike[] = [];
  for (let field = r.next(); field !== 0; field = r.next()) {
    if (field === 1) locations.push(r.messageField(readLocation));
    else r.skipField();
  }
  return locations;
}
