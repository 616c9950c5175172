import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ViamClient } from 'virtual:viam-cloud-sdk';
import { cloudClient, type EarlyFleet } from '../cloud/fleet-request.ts';
import { scrub } from '../lib/connection-state.ts';
import { explainSignedOut, type Explanation } from '../lib/explanations.ts';
import { explainTokenFailure } from '../lib/token-explanations.ts';
import { toFleetView, type FleetView, type LocationSummaryLike, type OrgRef } from '../lib/fleet.ts';
import { classifyRpcError } from '../lib/rpc-error.ts';
import { errorMessage } from '../lib/summarize.ts';
import { afterPaint, nextTask } from '../lib/next-task.ts';
import { FLEET_SUMMARY_LIMIT, listSummaries } from '../cloud/fleet-summaries.ts';
import type { UserTokenResult } from '../lib/user-token.ts';

type Summaries = readonly LocationSummaryLike[];

export interface FleetOptions {
  /** Viam's app API, from build config only (src/config.ts); never from the URL. */
  readonly serviceHost: string;
  /** Reads the user's token from its cookie now: called for every refresh and every open. */
  readonly readToken: () => UserTokenResult;
  /** How often the list is refreshed while the page is visible. */
  readonly intervalMs?: number;
  /** The first request, already out (see startFleetRequest). */
  readonly early?: EarlyFleet;
}

export interface FleetState {
  /** loading: no answer yet; ready: a list to show; signed-out: only a new sign-in helps. */
  readonly phase: 'loading' | 'ready' | 'signed-out';
  /** The last good list. */
  readonly view?: FleetView;
  /** Epoch ms of the answer `view` came from. */
  readonly fetchedAt?: number;
  /** The latest refresh failed: what went wrong (scrubbed) and when. The list stays the last good one. */
  readonly error?: { readonly message: string; readonly at: number };
  /** Epoch ms since when a refresh has been waiting for the cloud. */
  readonly pendingSince?: number;
  /** Why the user must sign in again (phase signed-out). */
  readonly signedOut?: Explanation;
  /** The organizations of the list's locations are still being looked up (first load). */
  readonly orgsPending?: boolean;
}

/** Where a machine's console connects, or why it cannot. */
export type MachineAddress =
  | { readonly ok: true; readonly fqdn: string }
  | {
      readonly ok: false;
      readonly reason: 'signed-out' | 'forbidden' | 'not-found' | 'no-main-part' | 'error';
      readonly detail: string;
    };

export const FLEET_REFRESH_MS = 10_000;
/**
 * A refresh counts as in flight until it settles, so a slow cloud never gets a second list request
 * on top of the first (over HTTP/1.1 each would hold one of the browser's 6 connections to the
 * origin signaling also uses). Only one that never settles is given up after this.
 */
const GIVE_UP_MS = 30_000;
/** Organizations are looked up again when the list names a location they did not hold, at most this often. */
const ORG_LOOKUP_EVERY_MS = 60_000;
/** The organizations are asked for once the list is painted, or this long after it was drawn without a frame. */
const ORG_LOOKUP_WAIT_MS = 500;

/**
 * Owns the fleet's cloud client: makes it with the user's token (a new one whenever the cookie's
 * token changes: the transport's headers are fixed when it is made), asks ListMachineSummaries once
 * per refresh for the whole list, maps locations to organizations (ListOrganizations, then
 * ListLocations per organization, only when needed), and refreshes every 10 s while the page is
 * visible: never two requests at once, nothing while hidden, at once when shown again.
 */
export class FleetController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: FleetOptions;
  #state: FleetState = { phase: 'loading' };
  #client: ViamClient | undefined;
  #clientToken: string | undefined;
  readonly #tokens: string[] = [];
  #orgOfLocation = new Map<string, OrgRef>();
  #orgsLookedUpAt: number | undefined;
  #inFlightSince: number | undefined;
  /** The latest list answer, kept to show again once the organizations are known. */
  #latest: { readonly locations: Summaries; readonly fetchedAt: number } | undefined;
  /** An organization lookup is out. */
  #namingOrgs = false;
  #early: EarlyFleet | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #connected = false;
  /** Bumped on disconnect, so an answer for a page that moved on is dropped. */
  #epoch = 0;

  constructor(host: ReactiveControllerHost, options: FleetOptions) {
    this.#host = host;
    this.#options = options;
    this.#early = options.early;
    host.addController(this);
  }

  get state(): FleetState {
    return this.#state;
  }

  /** Every token this page has used: nothing it shows may contain one. */
  get secrets(): readonly string[] {
    return this.#tokens;
  }

  hostConnected(): void {
    this.#connected = true;
    document.addEventListener('visibilitychange', this.#onVisibility);
    void this.refresh();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#epoch += 1;
    this.#inFlightSince = undefined;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Asks for the list now, unless a request is already out (then its answer is the refresh). */
  async refresh(): Promise<void> {
    if (!this.#connected || this.#state.phase === 'signed-out') return;
    const now = Date.now();
    if (this.#inFlightSince !== undefined && now - this.#inFlightSince < GIVE_UP_MS) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const epoch = this.#epoch;
    this.#inFlightSince = now;
    this.#set({ pendingSince: now });
    try {
      // The entry's request (startFleetRequest) serves the first refresh only, whatever its outcome.
      const early = this.#early;
      this.#early = undefined;
      const client = await this.#clientNow(early);
      if (!client) return;
      const locations =
        early && this.#clientToken === early.token
          ? await early.list
          : await listSummaries(client, FLEET_SUMMARY_LIMIT);
      if (epoch !== this.#epoch) return;
      // The answer was read in the task it came in (listSummaries); mapping it waits for the next
      // task, so reading, mapping and drawing a long list never add up to one long task.
      await nextTask();
      if (epoch !== this.#epoch) return;
      this.#inFlightSince = undefined;
      this.#latest = { locations, fetchedAt: Date.now() };
      // The organizations' names come from a chain of two calls (ListOrganizations, then
      // ListLocations per organization), asked once the list is on screen and apart from the
      // refresh: never in the list's way (their answers and the cloud's work on them shared the
      // page's cores with drawing the list), nor beside it on a cloud that answers one call at a
      // time. The list shows grouped by location; the organizations' headings follow.
      const unknown = locations.some((l) => !this.#orgOfLocation.has(l.locationId));
      const lookUp =
        !this.#namingOrgs &&
        (this.#orgsLookedUpAt === undefined ||
          (unknown && Date.now() - this.#orgsLookedUpAt > ORG_LOOKUP_EVERY_MS));
      // Mapping a long list and drawing it are tasks of their own too.
      const orgs = this.#orgOfLocation;
      const view = this.#viewOfLatest();
      await nextTask();
      if (epoch !== this.#epoch) return;
      // Pending from now: a location of no known organization is not called "unknown" meanwhile.
      if (lookUp) this.#namingOrgs = true;
      // Mapped again only if the organizations came in meanwhile.
      this.#show(orgs === this.#orgOfLocation ? view : undefined);
      if (lookUp) void this.#nameOrgs(client, epoch);
    } catch (error: unknown) {
      if (epoch !== this.#epoch) return;
      if (classifyRpcError(error).kind === 'unauthenticated') {
        this.#signOut(explainSignedOut('Viam’s cloud'));
        return;
      }
      this.#set({
        error: { message: scrub(errorMessage(error), this.#tokens), at: Date.now() },
        pendingSince: undefined,
      });
    } finally {
      if (epoch === this.#epoch) {
        this.#inFlightSince = undefined;
        this.#schedule();
      }
    }
  }

  /** After a sign-in problem: reads the cookie again (the platform may have refreshed it) and retries. */
  retry(): void {
    if (this.#state.phase === 'signed-out')
      this.#set({ phase: this.#state.view ? 'ready' : 'loading', signedOut: undefined });
    void this.refresh();
  }

  /**
   * The main part's fqdn: createRobotClient's host. Asked when a machine is opened (one call), since a
   * part summary names the part but not its address.
   */
  async addressOf(machineId: string): Promise<MachineAddress> {
    try {
      const client = await this.#clientNow();
      if (!client) return { ok: false, reason: 'signed-out', detail: 'sign-in cookie' };
      const parts = await client.appClient.getRobotParts(machineId);
      const main = parts.find((p) => p.mainPart) ?? (parts.length === 1 ? parts[0] : undefined);
      if (!main || main.fqdn === '')
        return { ok: false, reason: 'no-main-part', detail: `${parts.length} parts` };
      return { ok: true, fqdn: main.fqdn };
    } catch (error: unknown) {
      const { kind } = classifyRpcError(error);
      const detail = scrub(errorMessage(error), this.#tokens);
      if (kind === 'unauthenticated') {
        this.#signOut(explainSignedOut('Viam’s cloud'));
        return { ok: false, reason: 'signed-out', detail };
      }
      if (kind === 'permission-denied') return { ok: false, reason: 'forbidden', detail };
      if (kind === 'not-found') return { ok: false, reason: 'not-found', detail };
      return { ok: false, reason: 'error', detail };
    }
  }

  /** The cloud client for the token the cookie holds now; undefined (and signed out) if it holds none. */
  async #clientNow(early?: EarlyFleet): Promise<ViamClient | undefined> {
    const read = this.#options.readToken();
    if (!read.ok) {
      this.#signOut(explainTokenFailure(read.failure));
      return undefined;
    }
    const token = read.token.accessToken;
    if (!this.#tokens.includes(token)) this.#tokens.push(token);
    if (this.#client && this.#clientToken === token) return this.#client;
    // The entry's client, for the token it was made with; a new one for any other token.
    const made = early?.token === token ? early.client : undefined;
    const client = await (made ?? cloudClient(this.#options.serviceHost, read.token));
    this.#client = client;
    this.#clientToken = token;
    return client;
  }

  /** The latest list mapped with the organizations known now. */
  #viewOfLatest(): FleetView | undefined {
    const latest = this.#latest;
    if (!latest) return undefined;
    return toFleetView(
      latest.locations,
      this.#orgOfLocation,
      latest.fetchedAt,
      FLEET_SUMMARY_LIMIT,
      this.#state.view,
    );
  }

  /** Shows the latest list with the organizations known now (`mapped`: it, mapped already). */
  #show(mapped?: FleetView): void {
    const latest = this.#latest;
    const view = mapped ?? this.#viewOfLatest();
    if (!latest || !view) return;
    // While a lookup is out, a location of no known organization is not called "unknown" yet.
    const orgsPending =
      this.#namingOrgs && latest.locations.some((l) => !this.#orgOfLocation.has(l.locationId));
    this.#set({
      phase: this.#state.phase === 'signed-out' ? 'signed-out' : 'ready',
      view,
      fetchedAt: latest.fetchedAt,
      orgsPending: orgsPending || undefined,
      error: undefined,
      pendingSince: this.#inFlightSince,
    });
  }

  /**
   * Once the list just shown is painted (or ORG_LOOKUP_WAIT_MS without a frame), looks the
   * organizations up, then shows the latest list (of whichever refresh) with them. The caller set
   * #namingOrgs before showing that list; it is cleared here, however the lookup ends.
   */
  async #nameOrgs(client: ViamClient, epoch: number): Promise<void> {
    try {
      await afterPaint(ORG_LOOKUP_WAIT_MS);
      if (epoch !== this.#epoch) return;
      await this.#lookUpOrgs(client);
    } finally {
      this.#namingOrgs = false;
    }
    if (epoch === this.#epoch) this.#show();
  }

  /** Maps locations to organizations; never throws: without names the list is grouped by location. */
  async #lookUpOrgs(client: ViamClient): Promise<void> {
    this.#orgsLookedUpAt = Date.now();
    try {
      const orgs = await client.appClient.listOrganizations();
      const lists = await Promise.all(
        orgs.map((org) => client.appClient.listLocations(org.id).catch(() => [])),
      );
      const next = new Map<string, OrgRef>();
      orgs.forEach((org, i) => {
        for (const location of lists[i] ?? []) {
          // A location shared between organizations belongs to its primary one.
          const primary = location.organizations.find((o) => o.primary)?.organizationId;
          if (!next.has(location.id) || primary === org.id)
            next.set(location.id, { id: org.id, name: org.name });
        }
      });
      this.#orgOfLocation = next;
    } catch {
      // Without organization names the list still shows, grouped by location; a token the cloud
      // no longer takes is found by the list's own call.
    }
  }

  #signOut(explanation: Explanation): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#set({ phase: 'signed-out', signedOut: explanation, pendingSince: undefined });
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#connected || this.#state.phase === 'signed-out' || document.visibilityState === 'hidden')
      return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.refresh();
    }, this.#options.intervalMs ?? FLEET_REFRESH_MS);
  }

  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'hidden') {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      return;
    }
    void this.refresh();
  };

  #set(patch: Partial<FleetState>): void {
    // Undefined in a patch clears the field.
    const merged: Record<string, unknown> = { ...this.#state, ...patch };
    this.#state = Object.fromEntries(
      Object.entries(merged).filter(([, v]) => v !== undefined),
    ) as unknown as FleetState;
    this.#host.requestUpdate();
  }
}
