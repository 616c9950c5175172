/**
 * ListMachineSummaries for the fleet, decoded a few machines per task.
 *
 * The SDK decodes an answer in the task it arrives in: 500 machines took 60-80 ms on the bench's VM,
 * a long task in the floor page too. Here the same call (the same request, on the cloud client's own
 * transport: same headers, credentials and interceptors) is made by an AppClient whose answer comes
 * back undecoded; its locations are split at their machines (src/lib/summary-slices.ts), and runs of
 * machines are decoded by the SDK's own LocationSummary type, about SLICE_MS of decoding per task.
 *
 * The SDK keeps the transport (on the client, typed private) and AppClient's class to itself: where
 * either is not as expected (another SDK version), the SDK's own call is made, decoded whole.
 */
import type { ViamClient } from '@viamrobotics/sdk';
import type { LocationSummaryLike, MachineSummaryLike } from '../lib/fleet.ts';
import { nextTask } from '../lib/next-task.ts';
import { errorMessage } from '../lib/summarize.ts';
import { sliceSummaries } from '../lib/summary-slices.ts';

/** How long one task may spend decoding machines before the page gets the main thread back. */
export const SLICE_MS = 8;
/** Machines in the first run, before there is a measure of how long one takes. */
const FIRST_RUN = 16;

type AppClient = ViamClient['appClient'];

/** A protobuf-es message type, as far as this module uses one. */
interface MessageTypeLike {
  readonly typeName: string;
  readonly fields: { find(no: number): { readonly T?: unknown } | undefined };
  fromBinary(bytes: Uint8Array): unknown;
}

function isMessageType(value: unknown): value is MessageTypeLike {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const type = value as Partial<MessageTypeLike>;
  return typeof type.fromBinary === 'function' && typeof type.fields?.find === 'function';
}

/** The answer as it came, and the type the SDK would have decoded it with. */
interface RawAnswer {
  readonly bytes: Uint8Array;
  readonly type: MessageTypeLike;
}

/** A connect Transport, as far as this module uses one. */
interface TransportLike {
  unary(
    service: unknown,
    method: { readonly name?: unknown; readonly O?: unknown },
    ...rest: unknown[]
  ): unknown;
  stream(...args: unknown[]): unknown;
}

/** Made once per cloud client (null: that client has none). */
const rawListClients = new WeakMap<ViamClient, AppClient | null>();

/** An AppClient like the cloud client's whose ListMachineSummaries answers a RawAnswer. */
function rawListClient(client: ViamClient): AppClient | undefined {
  let made = rawListClients.get(client);
  if (made === undefined) {
    made = makeRawListClient(client) ?? null;
    rawListClients.set(client, made);
  }
  return made ?? undefined;
}

function makeRawListClient(client: ViamClient): AppClient | undefined {
  const transport = (client as unknown as { transport?: Partial<TransportLike> }).transport;
  const AppClientClass: unknown = client.appClient.constructor;
  if (typeof transport?.unary !== 'function' || typeof transport.stream !== 'function') return undefined;
  if (typeof AppClientClass !== 'function') return undefined;
  const inner = transport as TransportLike;
  const raw: TransportLike = {
    unary: (service, method, ...rest) => {
      const type = method.O;
      if (method.name !== 'ListMachineSummaries' || !isMessageType(type))
        return inner.unary(service, method, ...rest);
      // The AppClient reads `locationSummaries` off the answer: that is where the bytes wait.
      const O = {
        typeName: type.typeName,
        fromBinary: (bytes: Uint8Array) => ({ locationSummaries: { bytes, type } satisfies RawAnswer }),
      };
      return inner.unary(service, { ...method, O }, ...rest);
    },
    stream: (...args) => inner.stream(...args),
  };
  return new (AppClientClass as new (transport: TransportLike) => AppClient)(raw);
}

export interface SliceOptions {
  /** Decoding time per task, ms. */
  readonly sliceMs?: number;
  /** Gives the main thread back between slices. */
  readonly pause?: () => Promise<void>;
}

/** Every machine the caller may see (up to `limit`), as ListMachineSummaries answers, by location. */
export async function listInSlices(
  client: ViamClient,
  limit: number,
  options: SliceOptions = {},
): Promise<readonly LocationSummaryLike[]> {
  const lister = rawListClient(client);
  if (!lister) return client.appClient.listMachineSummaries('', [], [], limit);
  const answer: unknown = await lister.listMachineSummaries('', [], [], limit);
  // Decoded already: the method's output type was not one this module knows how to keep raw.
  if (Array.isArray(answer)) return answer as LocationSummaryLike[];
  const { bytes, type } = (answer ?? {}) as Partial<RawAnswer>;
  if (!(bytes instanceof Uint8Array) || !isMessageType(type))
    throw new Error('parse binary: no ListMachineSummaries answer');
  return decodeInSlices(bytes, type, options);
}

async function decodeInSlices(
  bytes: Uint8Array,
  type: MessageTypeLike,
  { sliceMs = SLICE_MS, pause = nextTask }: SliceOptions,
): Promise<readonly LocationSummaryLike[]> {
  // LocationSummary is field 1 of the answer.
  const locationType = type.fields.find(1)?.T;
  let locations;
  try {
    if (!isMessageType(locationType)) throw new Error('not the ListMachineSummariesResponse it should be');
    locations = sliceSummaries(bytes);
  } catch {
    // The SDK decodes it whole, and says what is wrong with it if it cannot.
    return decodeWhole(bytes, type);
  }
  const decoded: LocationSummaryLike[] = [];
  // Each run of machines is sized to fill what is left of the slice, from how long the last run took
  // per machine (the first runs are slower: the decoder's code is not yet optimized).
  let msPerMachine: number | undefined;
  let sliceStart = performance.now();
  for (const location of locations) {
    const machineSummaries: MachineSummaryLike[] = [];
    for (let at = 0; at < location.count;) {
      let left = sliceMs - (performance.now() - sliceStart);
      if (left <= 0) {
        await pause();
        sliceStart = performance.now();
        left = sliceMs;
      }
      const n = Math.min(
        location.count - at,
        msPerMachine === undefined ? FIRST_RUN : Math.max(1, Math.floor(left / msPerMachine)),
      );
      const started = performance.now();
      const run = parse(
        () => (locationType.fromBinary(location.machines(at, n)) as LocationSummaryLike).machineSummaries,
      );
      msPerMachine = Math.max((performance.now() - started) / n, 0.001);
      machineSummaries.push(...run);
      at += n;
    }
    decoded.push({
      locationId: location.locationId,
      locationName: location.locationName,
      machineSummaries,
    });
  }
  return decoded;
}

function decodeWhole(bytes: Uint8Array, type: MessageTypeLike): readonly LocationSummaryLike[] {
  return parse(
    () => (type.fromBinary(bytes) as { locationSummaries: LocationSummaryLike[] }).locationSummaries,
  );
}

/** A decoding failure, worded as the SDK's transport words one ("parse binary: …"). */
function parse<T>(decode: () => T): T {
  try {
    return decode();
  } catch (error: unknown) {
    throw new Error(`parse binary: ${errorMessage(error)}`, { cause: error });
  }
}
