/**
 * The SDK's machine-session manager, as SDK 0.61.1 has it (a private field of RobotClient, which the
 * SDK never starts by itself: see the README's safety section). Pinned SDK, checked shape: a client
 * without it is treated as one without sessions.
 */
export interface SessionManagerLike {
  getSessionMetadata(): Promise<Headers>;
  reset(): void;
}

/** The manager's field read by sessionStartPending: set while a session start is under way. */
interface SessionManagerState {
  readonly starting?: unknown;
}

export function sessionManagerOf(client: unknown): SessionManagerLike | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  const candidate = (client as { sessionManager?: Partial<SessionManagerLike> }).sessionManager;
  return typeof candidate?.getSessionMetadata === 'function' && typeof candidate.reset === 'function'
    ? (candidate as SessionManagerLike)
    : undefined;
}

/**
 * While the SDK starts a machine session (the connection's first, or a new one after the machine
 * dropped the last), it holds back every session-monitored call (SetPower, MoveStraight, GoFor…)
 * until the start and its reflection queries are done; Stop is not monitored and goes out at once.
 * A motion handed to the SDK then would reach the machine after a Stop sent later, and move it after
 * its release. Returns the start's end while one is under way; undefined when none is (a monitored
 * call then goes out at once, or, with no session yet, as the SDK decides). A rejection is the
 * start's failure, which the motion call itself would have met.
 *
 * Only a start under way: with none (a start that failed, sessions unsupported, or the SDK's own
 * reset after a failed heartbeat) asking for one here would start one the SDK might not (it does
 * only for methods it knows to be monitored), and a machine whose starts fail could not be driven.
 */
export function sessionStartPending(client: unknown): Promise<unknown> | undefined {
  const manager = sessionManagerOf(client);
  if (!manager) return undefined;
  const state = manager as SessionManagerLike & SessionManagerState;
  if (state.starting === undefined) return undefined;
  return manager.getSessionMetadata();
}
