import { ContextProvider } from '@lit/context';
import { createRobotClient, type RobotClient } from '@viamrobotics/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { connectionContext, robotClientContext } from '../contexts.ts';
import { backoffDelay, withTimeout } from '../lib/backoff.ts';
import {
  classifyConnectionError,
  scrub,
  type ConnectionProblem,
  type ConnectionSnapshot,
  type CredentialSource,
  type DialCredential,
  type SessionHealth,
} from '../lib/connection-state.ts';
import { timestampMs } from '../lib/operations.ts';
import { otherClientCount, sessionList } from '../lib/other-clients.ts';
import { sessionManagerOf } from '../lib/sdk-session.ts';
import { isUnimplemented } from '../lib/rpc-error.ts';
import { errorMessage } from '../lib/summarize.ts';
import { dialConf, type Dialer, type EarlyDial } from './dial.ts';
import { prefetchFirstCalls } from './first-status.ts';

export type { Dialer } from './dial.ts';

export interface ConnectionOptions {
  /** The machine's address: the cookie's hostname, or the main part's fqdn from the cloud. */
  readonly host: string;
  /** Called for every dial, so a credential the platform refreshed is used by the next client. */
  readonly credential: CredentialSource;
  /** From build config only (see src/config.ts); never from the URL. */
  readonly signalingAddress: string;
  /** Replaceable in unit tests; createRobotClient everywhere else. */
  readonly dial?: Dialer;
  /**
   * A dial the app's entry already started for this host (before the console's code loaded): the
   * first attempt adopts it instead of dialling again, if its credential is still the current one.
   */
  readonly earlyDial?: EarlyDial;
}

/** How often the machine is asked whether it is there (while the page is visible). */
export const PULSE_INTERVAL_MS = 1000;
/**
 * A pulse slower than this counts as a miss: long enough that a busy machine or link does not flap
 * the banner, short enough that a lost machine shows within 3 s (1 s interval + this).
 */
const PULSE_TIMEOUT_MS = 1200;
/** Misses in a row after which the client is dropped and dialled anew... */
const PULSE_MISSES_TO_REDIAL = 2;
/**
 * ...if the machine has also been silent this long: no answer to any check, not even a late one.
 * On a lossy link (20 % of datagrams lost) or one that flaps, a check's answer can come after its
 * timeout, when SCTP retransmits it: that link is slow, not lost, and keeping its client keeps the
 * way a key-release Stop reaches the machine (a redial on such a link takes seconds, during which
 * no Stop can leave the page). A blackout answers nothing and is still found by the second miss.
 */
const SILENT_TO_REDIAL_MS = 2000;
/** Automatic retries back off from this... */
const RETRY_BASE_MS = 250;
/** ...up to this. */
export const MAX_RETRY_DELAY_MS = 10_000;
/**
 * ...but no more than this while a connection this page had is unreachable (a link outage): the
 * page cannot tell when the link returns, so it keeps trying, and comes back within about this long
 * of it. Each such attempt already waits for its WebRTC checks (seconds), which bounds the rate.
 */
export const LOST_LINK_RETRY_MAX_MS = 1000;
/** How long after connecting the machine session is started (see #adopt). */
const SESSION_START_DELAY_MS = 300;
/** Sessions are checked against the machine's list every this many pulses. */
const SESSION_CHECK_EVERY = 5;
/** What a machine without sessions means for the operator (the header shows it). */
const NO_SESSIONS =
  'the page’s own dead-man still stops motion when you let go, leave the window or hide the tab, but nothing stops the machine if this page vanishes';

function sameDial(early: EarlyDial, host: string, credential: DialCredential): boolean {
  const a = early.credential;
  return (
    early.host === host &&
    a.type === credential.type &&
    a.payload === credential.payload &&
    (a.type !== 'api-key' || (credential.type === 'api-key' && a.authEntity === credential.authEntity))
  );
}

/**
 * Owns the one SDK client of the page: dials it, watches that the machine still answers, replaces the
 * client when it does not, keeps a machine session alive, and provides the client and the connection
 * state through @lit/context. A client never outlives this controller, and a replaced client is
 * disconnected before its successor is dialled.
 */
export class ConnectionController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: ConnectionOptions;
  readonly #clientProvider: ContextProvider<typeof robotClientContext>;
  readonly #stateProvider: ContextProvider<typeof connectionContext>;
  #client: RobotClient | undefined;
  /** Bumped whenever the client is dropped, so late results of an old client or dial are ignored. */
  #generation = 0;
  /** While a session the machine dropped is being replaced (see #renewSession). */
  #renewing = false;
  /** While a periodic session check is out (see #checkSession). */
  #checkingSession = false;
  #detachClient: (() => void) | undefined;
  #everConnected = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pulseTimer: ReturnType<typeof setTimeout> | undefined;
  #pulseMisses = 0;
  /** performance.now() of the current client's last answer to a check, however late. */
  #heardAt = 0;
  #pulseCount = 0;
  /** Every credential payload this controller dialled with: scrubbed from any text it shows. */
  readonly #secrets: string[] = [];
  /** The entry's dial, until the first attempt takes it (or drops it). */
  #earlyDial: EarlyDial | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: ConnectionOptions) {
    this.#host = host;
    this.#options = options;
    this.#earlyDial = options.earlyDial;
    this.#clientProvider = new ContextProvider(host, {
      context: robotClientContext,
      initialValue: undefined,
    });
    this.#stateProvider = new ContextProvider(host, {
      context: connectionContext,
      initialValue: { phase: 'connecting', hostname: options.host, attempt: 1 },
    });
    host.addController(this);
  }

  get state(): ConnectionSnapshot {
    return this.#stateProvider.value;
  }

  get client(): RobotClient | undefined {
    return this.#client;
  }

  /** The secrets this controller has used so far (for other places that must scrub them). */
  get secrets(): readonly string[] {
    return this.#secrets;
  }

  hostConnected(): void {
    window.addEventListener('pagehide', this.#onPageHide);
    window.addEventListener('online', this.#retrySoon);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.connect();
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.#onPageHide);
    window.removeEventListener('online', this.#retrySoon);
    window.removeEventListener('pageshow', this.#onPageShow);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#dropClient();
    this.#update({ phase: 'closed' }, true);
  }

  /**
   * A call was answered SESSION_EXPIRED: the machine let the session lapse while the connection
   * stayed up (heartbeats held back by a poor link). The SDK keeps heartbeating the dead id and every
   * motion call fails until a new session starts: start one now, once, rather than at the next
   * periodic check.
   */
  sessionLapsed(): void {
    const client = this.#client;
    const session = this.state.session;
    if (client && session?.state === 'active') void this.#renewSession(client, this.#generation, session.id);
  }

  /** Dials now (the Retry button, or the first dial). Drops any client this controller had. */
  connect(): void {
    const retrying = this.state.phase === 'reconnecting' || this.state.phase === 'failed';
    void this.#dial(retrying ? (this.state.attempt ?? 0) + 1 : 1);
  }

  async #dial(attempt: number): Promise<void> {
    this.#dropClient();
    const generation = this.#generation;
    const phase = this.#everConnected ? 'reconnecting' : 'connecting';
    this.#update({ phase, attempt, nextAttemptAt: undefined });
    const { host, signalingAddress } = this.#options;
    const early = this.#earlyDial;
    this.#earlyDial = undefined;
    const credential = this.#options.credential();
    const adopt =
      early !== undefined && attempt === 1 && !('problem' in credential) && sameDial(early, host, credential);
    // An entry's dial this attempt does not take (a Retry came first) is closed once it lands.
    if (early && !adopt) void early.client.then((c) => c.disconnect()).catch(() => undefined);
    if ('problem' in credential) {
      this.#fail(credential.problem, attempt);
      return;
    }
    if (!this.#secrets.includes(credential.payload)) this.#secrets.push(credential.payload);
    const dial = this.#options.dial ?? createRobotClient;
    try {
      const client = await (adopt ? early.client : dial(dialConf(host, credential, signalingAddress)));
      if (generation !== this.#generation) {
        // Superseded (retry, pagehide or teardown while dialing): this client must not live on.
        void client.disconnect().catch(() => undefined);
        return;
      }
      this.#adopt(client);
    } catch (error: unknown) {
      if (generation !== this.#generation) return;
      this.#fail(classifyConnectionError(error, this.#secrets, credential.type), attempt);
    }
  }

  #fail(problem: ConnectionProblem, attempt: number): void {
    // A user who was signed out or may not reach this machine will not be let in by trying again:
    // say so and wait for them, whatever happened before.
    const final = problem.kind === 'signed-out' || problem.kind === 'forbidden';
    // A refused key will not fix itself either, unless this page was connected before (then the
    // machine, not the key, is the likely cause).
    const retry = !final && (this.#everConnected || problem.kind !== 'auth');
    const delay = backoffDelay(
      attempt - 1,
      RETRY_BASE_MS,
      this.#everConnected && problem.kind === 'unreachable' ? LOST_LINK_RETRY_MAX_MS : MAX_RETRY_DELAY_MS,
    );
    this.#update({
      phase: this.#everConnected && !final ? 'reconnecting' : 'failed',
      problem,
      attempt,
      nextAttemptAt: retry ? Date.now() + delay : undefined,
    });
    if (retry) {
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        void this.#dial(attempt + 1);
      }, delay);
    }
  }

  #adopt(client: RobotClient): void {
    // The status and the resource list first, before the cards and checks below ask anything
    // (once per client).
    prefetchFirstCalls(client);
    this.#client = client;
    this.#everConnected = true;
    const generation = this.#generation;
    const onDisconnected = () => {
      if (generation === this.#generation) this.#lost();
    };
    client.on('disconnected', onDisconnected);
    this.#detachClient = () => client.off('disconnected', onDisconnected);
    this.#clientProvider.setValue(client);
    this.#pulseMisses = 0;
    this.#heardAt = performance.now();
    this.#update({
      phase: 'connected',
      problem: undefined,
      attempt: undefined,
      nextAttemptAt: undefined,
      transport: client.peerConnection ? 'webrtc' : 'grpc',
      lastSeenAt: Date.now(),
      session: { state: 'starting' },
      // A new connection knows nothing yet of what runs on the machine.
      operations: undefined,
      sessions: undefined,
    });
    // Not at the very moment of connecting: starting a session makes the SDK query the machine's
    // reflection service, which would compete with the first machine status the operator waits for.
    setTimeout(() => {
      if (generation === this.#generation) void this.#startSession(client, generation);
    }, SESSION_START_DELAY_MS);
    this.#schedulePulse(PULSE_INTERVAL_MS);
  }

  /** The machine stopped answering: drop the client and dial again at once. */
  #lost(): void {
    if (!this.#client) return;
    void this.#dial(1);
  }

  #dropClient(): void {
    this.#generation += 1;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    clearTimeout(this.#pulseTimer);
    this.#pulseTimer = undefined;
    const client = this.#client;
    this.#client = undefined;
    this.#detachClient?.();
    this.#detachClient = undefined;
    if (this.#clientProvider.value !== undefined) this.#clientProvider.setValue(undefined);
    if (client) void client.disconnect().catch(() => undefined);
  }

  #schedulePulse(delayMs: number): void {
    clearTimeout(this.#pulseTimer);
    this.#pulseTimer = setTimeout(() => {
      this.#pulseTimer = undefined;
      void this.#pulse();
    }, delayMs);
  }

  /** Asks the machine whether it is there; measures the round trip; checks the session now and then. */
  async #pulse(): Promise<void> {
    const client = this.#client;
    if (!client || document.visibilityState === 'hidden') return; // resumed by #onVisibility
    const generation = this.#generation;
    const started = performance.now();
    const check = client.getOperations();
    // An answer counts as heard even after its check timed out (see SILENT_TO_REDIAL_MS).
    check.then(
      () => {
        if (generation === this.#generation) this.#heardAt = performance.now();
      },
      () => undefined,
    );
    try {
      const ops = await withTimeout(check, PULSE_TIMEOUT_MS, 'machine check');
      if (generation !== this.#generation) return;
      const rttMs = performance.now() - started;
      this.#pulseMisses = 0;
      this.#update({
        phase: 'connected',
        rttMs,
        lastSeenAt: Date.now(),
        problem: undefined,
        operations: ops.map((o) => ({
          id: o.id,
          method: o.method,
          sessionId: o.sessionId,
          startedMs: timestampMs(o.started),
        })),
      });
      this.#pulseCount += 1;
      // Beside the pulses, not in their way: a session check waiting out its timeout on a stalled
      // link must not put off the next pulse, which is what says the link stalled (within 3 s).
      if (this.#pulseCount % SESSION_CHECK_EVERY === 0) void this.#checkSession(client, generation);
    } catch (error: unknown) {
      if (generation !== this.#generation) return;
      this.#pulseMisses += 1;
      if (
        this.#pulseMisses >= PULSE_MISSES_TO_REDIAL &&
        performance.now() - this.#heardAt >= SILENT_TO_REDIAL_MS
      ) {
        this.#lost();
        return;
      }
      // A miss: say so at once (motion guards stop what this page was driving), and give the same
      // client a quick next chance: a slow link answers late.
      this.#update({
        phase: 'reconnecting',
        problem: {
          kind: 'unreachable',
          detail: scrub(errorMessage(error), this.#secrets),
        },
      });
      this.#schedulePulse(PULSE_INTERVAL_MS / 2);
      return;
    }
    if (generation === this.#generation) this.#schedulePulse(PULSE_INTERVAL_MS);
  }

  /**
   * Starts the machine session the SDK leaves off, so the machine itself stops what this page moved
   * if the page vanishes. The SDK then sends its heartbeats (from a Worker) and adds the session id to
   * motion calls.
   */
  async #startSession(client: RobotClient, generation: number, renewing = false): Promise<void> {
    const manager = sessionManagerOf(client);
    if (!manager) {
      this.#setSession(generation, { state: 'unsupported', detail: 'this SDK has no session manager' });
      return;
    }
    this.#setSession(generation, renewing ? { state: 'starting', renewing } : { state: 'starting' });
    try {
      await manager.getSessionMetadata();
      const id = client.sessionId;
      this.#setSession(
        generation,
        id === ''
          ? { state: 'unsupported', detail: NO_SESSIONS }
          : { state: 'active', id, confirmedAt: Date.now() },
      );
      // Other operators show at once, not only at the next periodic check.
      if (id !== '') void this.#countOtherClients(client, generation);
    } catch (error: unknown) {
      // Over WebRTC the SDK loses the Unimplemented code of an older viam-server's answer (and so
      // does not notice by itself): the classifier reads it from the message.
      this.#setSession(
        generation,
        isUnimplemented(error)
          ? { state: 'unsupported', detail: NO_SESSIONS }
          : { state: 'error', detail: scrub(errorMessage(error), this.#secrets) },
      );
    }
  }

  /** The machine dropped session `lapsedId`: says so, and starts a new one (one renewal at a time). */
  async #renewSession(client: RobotClient, generation: number, lapsedId: string | undefined): Promise<void> {
    if (this.#renewing) return;
    this.#renewing = true;
    this.#setSession(generation, { state: 'expired', ...(lapsedId ? { id: lapsedId } : {}) });
    sessionManagerOf(client)?.reset();
    try {
      await this.#startSession(client, generation, true);
    } finally {
      this.#renewing = false;
    }
  }

  /** Confirms the session is still on the machine's list; starts a new one if it expired. */
  async #checkSession(client: RobotClient, generation: number): Promise<void> {
    const session = this.state.session;
    if (session?.state !== 'active' && session?.state !== 'expired') return;
    if (this.#checkingSession) return;
    this.#checkingSession = true;
    try {
      const sessions = await withTimeout(client.getSessions(), PULSE_TIMEOUT_MS, 'session check');
      if (generation !== this.#generation) return;
      const id = client.sessionId;
      this.#update({ otherClients: otherClientCount(sessions, id), sessions: sessionList(sessions, id) });
      if (id !== '' && sessions.some((s) => s.id === id)) {
        this.#setSession(generation, { state: 'active', id, confirmedAt: Date.now() });
        return;
      }
      await this.#renewSession(client, generation, session.id);
    } catch {
      // A failed check is the pulse's business, not the session's.
    } finally {
      this.#checkingSession = false;
    }
  }

  async #countOtherClients(client: RobotClient, generation: number): Promise<void> {
    try {
      const sessions = await withTimeout(client.getSessions(), PULSE_TIMEOUT_MS, 'session check');
      if (generation === this.#generation)
        this.#update({
          otherClients: otherClientCount(sessions, client.sessionId),
          sessions: sessionList(sessions, client.sessionId),
        });
    } catch {
      // The periodic check tries again.
    }
  }

  #setSession(generation: number, session: SessionHealth): void {
    if (generation === this.#generation) this.#update({ session });
  }

  #update(patch: Partial<ConnectionSnapshot>, replace = false): void {
    const base: ConnectionSnapshot = replace
      ? { phase: 'closed', hostname: this.#options.host }
      : this.#stateProvider.value;
    // Undefined in a patch clears the field.
    const merged: Record<string, unknown> = { ...base, ...patch };
    const next = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
    this.#stateProvider.setValue(next as unknown as ConnectionSnapshot);
    this.#host.requestUpdate();
  }

  readonly #onVisibility = (): void => {
    if (document.visibilityState !== 'visible') return;
    if (this.#client && this.#pulseTimer === undefined) void this.#pulse();
    else this.#retrySoon();
  };

  /**
   * The network came back, or the operator looked at the tab again: while waiting out a backoff,
   * try now rather than up to 10 s later.
   */
  readonly #retrySoon = (): void => {
    if (this.#retryTimer === undefined || this.#client) return;
    this.connect();
  };

  readonly #onPageHide = (event: PageTransitionEvent): void => {
    // Leaving (or entering the back/forward cache): drop the connection; pageshow reconnects.
    this.#dropClient();
    this.#update({ phase: 'closed' }, true);
    if (event.persisted) window.addEventListener('pageshow', this.#onPageShow, { once: true });
  };

  readonly #onPageShow = (): void => {
    this.connect();
  };
}
