/**
 * One machine's side of Viam's cloud, through the SDK's app API client: its main part, its logs
 * (history pages and the live tail), and its cloud facts. Loaded lazily (see cloud-access.ts).
 *
 * Streams: in SDK 0.61.1 `AppClient.tailRobotPartLogs(id, queue, filter, errorsOnly = true)` takes
 * errorsOnly as its fourth argument, but gives no way to end the stream: it loops over the response
 * until the server ends it, and takes no AbortSignal. The AppClient is a thin wrapper over a
 * connect-es client it keeps in its `client` field (`private` only in its .d.ts; a plain field at
 * runtime), and connect-es clients take `{ signal }` on every call: aborting it cancels the fetch,
 * which closes the HTTP stream. So every call here goes through that client with a signal; should a
 * later SDK move it, the public methods are used instead and a tail then ends at its next batch.
 */
import { createViamClient, type ViamClient } from 'virtual:viam-cloud-sdk';
import type { appApi } from '@viamrobotics/sdk';
import { withTimeout } from '../lib/backoff.ts';
import {
  cloudText,
  historyItems,
  onlineView,
  type CloudAccessOptions,
  type CloudCredentialKind,
  type HistoryItem,
  type OnlineView,
} from '../lib/cloud.ts';
import type { HistoryQuery, LogPage, LogSource } from '../lib/log-feed.ts';
import type { RawLogEntry } from '../lib/logs.ts';

/** A unary cloud call slower than this is abandoned. */
const CALL_TIMEOUT_MS = 10_000;

type Signal = { readonly signal: AbortSignal };

interface LogsRequest {
  readonly id: string;
  readonly errorsOnly: boolean;
  readonly pageToken?: string;
  readonly levels?: string[];
  readonly end?: { readonly seconds: bigint; readonly nanos: number };
  readonly limit?: bigint;
}

/** The connect-es client inside AppClient: the calls used here, with their options. */
interface AppServiceCalls {
  getRobotParts(req: { robotId: string }, opts: Signal): Promise<{ parts: readonly appApi.RobotPart[] }>;
  getRobot(req: { id: string }, opts: Signal): Promise<{ robot?: appApi.Robot | undefined }>;
  getLocation(req: { locationId: string }, opts: Signal): Promise<{ location?: appApi.Location | undefined }>;
  getOrganization(
    req: { organizationId: string },
    opts: Signal,
  ): Promise<{ organization?: appApi.Organization | undefined }>;
  getRobotPartHistory(
    req: { id: string },
    opts: Signal,
  ): Promise<{ history: readonly appApi.RobotPartHistoryEntry[] }>;
  getRobotPartLogs(req: LogsRequest, opts: Signal): Promise<{ logs: RawLogEntry[]; nextPageToken: string }>;
  tailRobotPartLogs(
    req: { id: string; errorsOnly: boolean },
    opts: Signal,
  ): AsyncIterable<{ logs: RawLogEntry[] }>;
}

const CALLS: readonly (keyof AppServiceCalls)[] = [
  'getRobotParts',
  'getRobot',
  'getLocation',
  'getOrganization',
  'getRobotPartHistory',
  'getRobotPartLogs',
  'tailRobotPartLogs',
];

/** The AppClient's own connect-es client, when it still has one with every call used here. */
function innerClient(client: ViamClient): AppServiceCalls | undefined {
  const inner = (client.appClient as unknown as { client?: Record<string, unknown> }).client;
  if (!inner || typeof inner !== 'object') return undefined;
  return CALLS.every((name) => typeof inner[name] === 'function')
    ? (inner as unknown as AppServiceCalls)
    : undefined;
}

/** The public AppClient methods shaped like the inner client (no cancellation: see the file comment). */
function publicCalls(client: ViamClient): AppServiceCalls {
  const app = client.appClient;
  return {
    getRobotParts: async (req) => ({ parts: await app.getRobotParts(req.robotId) }),
    getRobot: async (req) => ({ robot: await app.getRobot(req.id) }),
    getLocation: async (req) => ({ location: await app.getLocation(req.locationId) }),
    getOrganization: async (req) => ({ organization: await app.getOrganization(req.organizationId) }),
    getRobotPartHistory: async (req) => ({ history: await app.getRobotPartHistory(req.id) }),
    getRobotPartLogs: (req) => app.getRobotPartLogs(req.id, undefined, undefined, req.pageToken ?? ''),
    tailRobotPartLogs: (req, opts) => publicTail(client, req.id, opts.signal),
  };
}

/** AppClient.tailRobotPartLogs as an async iterable; it can only stop when the next batch comes. */
async function* publicTail(
  client: ViamClient,
  partId: string,
  signal: AbortSignal,
): AsyncIterable<{ logs: RawLogEntry[] }> {
  const queue: RawLogEntry[] = [];
  let wake: (() => void) | undefined;
  const end: { done: boolean; failure?: Error } = { done: false };
  const sink = {
    push: (entry: RawLogEntry) => {
      // Throwing makes the SDK's loop leave, which ends the stream.
      if (signal.aborted) throw new Error('log stream closed');
      queue.push(entry);
      wake?.();
    },
  };
  client.appClient
    .tailRobotPartLogs(partId, sink as unknown as appApi.TailRobotPartLogsResponse['logs'], undefined, false)
    .then(
      () => (end.done = true),
      (error: unknown) => {
        end.failure = error instanceof Error ? error : new Error('the log stream failed');
        end.done = true;
      },
    )
    .finally(() => wake?.());
  signal.addEventListener('abort', () => wake?.(), { once: true });
  while (!signal.aborted) {
    if (queue.length > 0) {
      yield { logs: queue.splice(0) };
      continue;
    }
    if (end.done) {
      if (end.failure) throw end.failure;
      return;
    }
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}

/** An error the way the SDK's would look, for a credential that cannot be read at all. */
function unauthenticated(message: string): Error {
  return Object.assign(new Error(message), { code: 16 });
}

export interface MainPart {
  readonly id: string;
  readonly name: string;
  readonly locationId: string;
  readonly online: OnlineView;
}

/** One fact, or why it is not known. */
export type Fact<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export interface MachineFacts {
  readonly machineName: Fact<string>;
  readonly online: Fact<OnlineView>;
  readonly location: Fact<string>;
  readonly organization: Fact<string>;
  readonly history: Fact<readonly HistoryItem[]>;
}

async function fact<T>(work: Promise<T>): Promise<Fact<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error: unknown) {
    return { ok: false, error };
  }
}

export class MachineCloud implements LogSource {
  readonly #options: CloudAccessOptions;
  #client: Promise<{ client: ViamClient; calls: AppServiceCalls }> | undefined;
  #part: Promise<MainPart> | undefined;

  constructor(options: CloudAccessOptions) {
    this.#options = options;
  }

  get credential(): CloudCredentialKind {
    const credential = this.#options.credential();
    return 'type' in credential ? credential.type : 'access-token';
  }

  secrets(): readonly string[] {
    return this.#options.secrets();
  }

  renew(): void {
    this.#client = undefined;
  }

  /** The cloud client, made once (an API key is exchanged for a token when it is made). */
  #calls(): Promise<AppServiceCalls> {
    this.#client ??= (async () => {
      const credential = this.#options.credential();
      if (!('type' in credential)) throw unauthenticated('no credential to reach the cloud with');
      const client = await withTimeout(
        createViamClient({ serviceHost: this.#options.cloudAddress, credentials: credential }),
        CALL_TIMEOUT_MS,
        'cloud sign-in',
      );
      return { client, calls: innerClient(client) ?? publicCalls(client) };
    })();
    const made = this.#client;
    made.catch(() => {
      if (this.#client === made) this.#client = undefined;
    });
    return made.then((c) => c.calls);
  }

  /** A unary call with a deadline and the caller's signal. */
  async #unary<T>(
    call: (calls: AppServiceCalls, opts: Signal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const calls = await this.#calls();
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await withTimeout(call(calls, { signal: controller.signal }), CALL_TIMEOUT_MS, 'cloud call');
    } finally {
      controller.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The machine's main part, asked once (GetRobotParts). */
  mainPart(): Promise<MainPart> {
    this.#part ??= this.#unary((c, o) => c.getRobotParts({ robotId: this.#options.machineId }, o)).then(
      ({ parts }) => {
        const main = parts.find((p) => p.mainPart) ?? (parts.length === 1 ? parts[0] : undefined);
        if (!main) throw Object.assign(new Error('the machine has no main part'), { code: 5 });
        return {
          id: main.id,
          name: cloudText(main.name, this.secrets()),
          locationId: main.locationId,
          online: onlineView(main),
        };
      },
    );
    const asked = this.#part;
    asked.catch(() => {
      if (this.#part === asked) this.#part = undefined;
    });
    return asked;
  }

  // --- LogSource ----------------------------------------------------------------------------

  async history(query: HistoryQuery, signal: AbortSignal): Promise<LogPage> {
    const part = await this.mainPart();
    const request: LogsRequest = {
      id: part.id,
      errorsOnly: false,
      pageToken: query.pageToken,
      // Lines older than the window: ask the cloud for them directly (GetRobotPartLogs' `end`).
      ...(query.before !== undefined && query.pageToken === '' ? { end: timestamp(query.before) } : {}),
      ...(query.limit === undefined ? {} : { limit: BigInt(query.limit) }),
    };
    const response = await this.#unary((c, o) => c.getRobotPartLogs(request, o), signal);
    return { entries: response.logs, nextPageToken: response.nextPageToken };
  }

  async tail(onBatch: (entries: readonly RawLogEntry[]) => void, signal: AbortSignal): Promise<void> {
    // Read anew after every await: the panel may have closed meanwhile.
    const closed = () => signal.aborted;
    const part = await this.mainPart();
    const calls = await this.#calls();
    if (closed()) return;
    try {
      for await (const response of calls.tailRobotPartLogs({ id: part.id, errorsOnly: false }, { signal })) {
        if (closed()) return;
        onBatch(response.logs);
      }
    } catch (error: unknown) {
      if (closed()) return;
      throw error;
    }
  }

  // --- Facts ------------------------------------------------------------------------------

  /** Organization and location names, the cloud's online state, the part's config history. */
  async facts(signal?: AbortSignal): Promise<MachineFacts> {
    const secrets = this.secrets();
    const part = fact(this.mainPart());
    const robot = fact(this.#unary((c, o) => c.getRobot({ id: this.#options.machineId }, o), signal));
    const place = part.then(async (p) => {
      if (!p.ok) throw p.error;
      const { location: loc } = await this.#unary(
        (c, o) => c.getLocation({ locationId: p.value.locationId }, o),
        signal,
      );
      if (!loc) throw Object.assign(new Error('location not found'), { code: 5 });
      return loc;
    });
    // Each fact is wrapped at once: a failure is a fact, never an unhandled rejection meanwhile.
    const location = fact(place.then((l) => cloudText(l.name, secrets)));
    const organization = fact(
      place.then(async (loc) => {
        const orgs = loc.organizations;
        const orgId = (orgs.find((o) => o.primary) ?? orgs[0])?.organizationId;
        if (!orgId) throw Object.assign(new Error('the location names no organization'), { code: 5 });
        const { organization: org } = await this.#unary(
          (c, o) => c.getOrganization({ organizationId: orgId }, o),
          signal,
        );
        return cloudText(org?.name, secrets);
      }),
    );
    const history = fact(
      part.then(async (p) => {
        if (!p.ok) throw p.error;
        const { history: entries } = await this.#unary(
          (c, o) => c.getRobotPartHistory({ id: p.value.id }, o),
          signal,
        );
        return historyItems(entries, secrets);
      }),
    );
    const [robotFact, partFact] = await Promise.all([robot, part]);
    return {
      machineName: robotFact.ok
        ? { ok: true, value: cloudText(robotFact.value.robot?.name, secrets) }
        : { ok: false, error: robotFact.error },
      online: partFact.ok
        ? { ok: true, value: partFact.value.online }
        : robotFact.ok
          ? { ok: true, value: onlineView(robotFact.value.robot) }
          : { ok: false, error: partFact.error },
      location: await location,
      organization: await organization,
      history: await history,
    };
  }
}

function timestamp(ms: number): { seconds: bigint; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}
