/**
 * ListMachineSummaries for the fleet, read straight from the answer's bytes.
 *
 * The SDK decodes an answer through protobuf-es's reflection in the task it arrives in: 500
 * machines took 60-80 ms on the bench's VM, a long task in the floor page too. Here the same call
 * (the same request, on the cloud client's own transport: same headers, credentials and
 * interceptors) is made by an AppClient whose answer comes back undecoded, and the fields the fleet
 * shows are read from it by src/lib/summary-decode.ts (pure). Bytes that reader will not vouch for
 * are decoded by the SDK's own type, which words what is wrong with them.
 *
 * The SDK keeps the transport (on the client, typed private) and AppClient's class to itself: where
 * either is not as expected (another SDK version), the SDK's own call is made.
 */
import type { ViamClient } from '@viamrobotics/sdk';
import type { LocationSummaryLike } from '../lib/fleet.ts';
import { decodeSummaries, UnreadSummaries } from '../lib/summary-decode.ts';

type AppClient = ViamClient['appClient'];

/**
 * What the fleet asks for in its one ListMachineSummaries call. A fleet this size is listed without a
 * long task (only the rows near the viewport are drawn); an answer that holds exactly this many
 * machines may be cut short, and the list says so (and never calls a machine beyond it "gone").
 */
export const FLEET_SUMMARY_LIMIT = 1000;

/** A protobuf-es message type, as far as this module uses one. */
export interface MessageTypeLike {
  readonly typeName: string;
  fromBinary(bytes: Uint8Array): unknown;
}

function isMessageType(value: unknown): value is MessageTypeLike {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const type = value as Partial<MessageTypeLike>;
  return typeof type.fromBinary === 'function' && typeof type.typeName === 'string';
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

/** Every machine the caller may see (up to `limit`), as ListMachineSummaries answers, by location. */
export async function listSummaries(
  client: ViamClient,
  limit: number,
): Promise<readonly LocationSummaryLike[]> {
  const lister = rawListClient(client);
  if (!lister) return client.appClient.listMachineSummaries('', [], [], limit);
  const answer: unknown = await lister.listMachineSummaries('', [], [], limit);
  // Decoded already: the method's output type was not one this module knows how to keep raw.
  if (Array.isArray(answer)) return answer as LocationSummaryLike[];
  const { bytes, type } = (answer ?? {}) as Partial<RawAnswer>;
  if (!(bytes instanceof Uint8Array) || !isMessageType(type))
    throw new Error('parse binary: no ListMachineSummaries answer');
  return readAnswer(bytes, type);
}

/**
 * The answer's locations: read by summary-decode.ts, or, where the bytes are not plainly well formed,
 * by the SDK's type (which says what is wrong with them if it cannot read them either).
 */
export function readAnswer(bytes: Uint8Array, type: MessageTypeLike): readonly LocationSummaryLike[] {
  try {
    return decodeSummaries(bytes);
  } catch (error: unknown) {
    if (!(error instanceof UnreadSummaries)) throw error;
    return decodeWhole(bytes, type);
  }
}

function decodeWhole(bytes: Uint8Array, type: MessageTypeLike): readonly LocationSummaryLike[] {
  try {
    return (type.fromBinary(bytes) as { locationSummaries: LocationSummaryLike[] }).locationSummaries;
  } catch (error: unknown) {
    // Worded as the SDK's transport words a decoding failure. (Not lib/summarize's errorMessage: this
    // module is in the fleet page's first script, which that module's chunk is not.)
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`parse binary: ${reason}`, { cause: error });
  }
}
