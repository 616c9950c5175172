/**
 * A ListMachineSummariesResponse split at its machines, so a long answer can be decoded a run of
 * machines per task (the SDK decodes the whole answer in one task: 500 machines took 60-80 ms on the
 * bench's VM). Only the outer two levels are read here; the machines themselves are decoded by the
 * SDK's own LocationSummary type, given only their bytes.
 *
 *   ListMachineSummariesResponse { repeated LocationSummary location_summaries = 1; }
 *   LocationSummary { string location_id = 1; string location_name = 2;
 *                     repeated MachineSummary machine_summaries = 3; }
 *
 * Pure and synchronous: cheap, since a machine's bytes are only delimited, never read. Malformed
 * input throws; the caller then lets the SDK decode the whole answer and report it.
 */

export interface LocationSlices {
  readonly locationId: string;
  readonly locationName: string;
  /** How many machines the location holds. */
  readonly count: number;
  /**
   * Machines `first` to `first + n - 1`, as a LocationSummary's bytes whose field 3 holds exactly
   * them: a view of the answer from the first one's tag to the last one's end. Any other field of
   * the location that lies between them (its id or name written late, an unknown field) comes along
   * and is read as what it is; only the machines are taken from the decoded message.
   */
  machines(first: number, n: number): Uint8Array;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder();

class WireReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** A varint that fits in 32 bits unsigned (tags and lengths); longer ones are malformed here. */
  uint32(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.bytes[this.pos++];
      if (byte === undefined) throw new Error('truncated varint');
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (value > 0xffff_ffff) throw new Error('varint out of range');
        return value;
      }
    }
    throw new Error('varint too long');
  }

  /**
   * The next length-delimited field's bytes (a view, not a copy). A field this reader knows must be
   * length-delimited; any other wire type is malformed (the SDK would misread it).
   */
  delimited(wireType = WIRE_LEN): Uint8Array {
    if (wireType !== WIRE_LEN) throw new Error(`wire type ${wireType} for a length-delimited field`);
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.bytes.length) throw new Error('truncated field');
    const view = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return view;
  }

  /** Skips a field this reader does not keep (an unknown field: newer protos may add some). */
  skip(field: number, wireType: number): void {
    if (field === 0) throw new Error('field number 0');
    switch (wireType) {
      case WIRE_VARINT:
        for (let i = 0; ; i++) {
          const byte = this.bytes[this.pos++];
          if (byte === undefined || i >= 10) throw new Error('bad varint');
          if ((byte & 0x80) === 0) return;
        }
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.delimited();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        // Groups (3, 4) are not in these messages; anything else is not protobuf.
        throw new Error(`unexpected wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.bytes.length) throw new Error('truncated field');
    this.pos += n;
  }
}

function readLocation(bytes: Uint8Array): LocationSlices {
  const reader = new WireReader(bytes);
  let locationId = '';
  let locationName = '';
  // Where each machine's field starts (its tag) and ends, in `bytes`.
  const starts: number[] = [];
  const ends: number[] = [];
  while (!reader.done) {
    const start = reader.pos;
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field >= 1 && field <= 3) {
      const value = reader.delimited(wireType);
      if (field === 1) locationId = utf8.decode(value);
      else if (field === 2) locationName = utf8.decode(value);
      else {
        starts.push(start);
        ends.push(reader.pos);
      }
    } else reader.skip(field, wireType);
  }
  const machines = (first: number, n: number): Uint8Array => {
    const last = first + n - 1;
    if (first < 0 || n < 1 || last >= starts.length) throw new RangeError(`machines ${first}+${n}`);
    return bytes.subarray(starts[first], ends[last]);
  };
  return { locationId, locationName, count: starts.length, machines };
}

/** The answer's locations, each with its machines' undecoded bytes. Throws on malformed input. */
export function sliceSummaries(bytes: Uint8Array): LocationSlices[] {
  const reader = new WireReader(bytes);
  const locations: LocationSlices[] = [];
  while (!reader.done) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) locations.push(readLocation(reader.delimited(wireType)));
    else reader.skip(field, wireType);
  }
  return locations;
}
