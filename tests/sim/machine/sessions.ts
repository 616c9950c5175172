/**
 * Sessions as rdk's session manager keeps them: a client starts one, heartbeats it at least once per
 * window, and when the window lapses every resource whose last safety-monitored call carried that
 * session is stopped. An expired id is forgotten, so later use of it fails with SESSION_EXPIRED.
 */
import { randomUUID } from 'node:crypto';

export type Transport = 'webrtc' | 'grpc-web';

export interface SimSession {
  readonly id: string;
  readonly transport: Transport;
  readonly started: number;
  deadline: number;
}

/** How often expiry is checked; expiry fires at most this late after the window lapses. */
export const EXPIRY_CHECK_MS = 50;

export class SessionManager {
  private readonly sessions = new Map<string, SimSession>();
  /** resource full name -> id of the session whose monitored call last touched it */
  private readonly owners = new Map<string, string>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly windowMs: number,
    private readonly now: () => number,
    private readonly onExpire: (session: SimSession, resources: string[]) => void,
  ) {}

  start(transport: Transport): SimSession {
    const t = this.now();
    const session: SimSession = { id: randomUUID(), transport, started: t, deadline: t + this.windowMs };
    this.sessions.set(session.id, session);
    this.ensureTimer();
    return session;
  }

  /** A live session, after first expiring any that lapsed (so a late caller sees the truth). */
  find(id: string): SimSession | undefined {
    this.expireDue();
    return this.sessions.get(id);
  }

  heartbeat(id: string): SimSession | undefined {
    const s = this.find(id);
    if (s) s.deadline = this.now() + this.windowMs;
    return s;
  }

  all(): SimSession[] {
    this.expireDue();
    return [...this.sessions.values()];
  }

  /** A safety-monitored call on `resource`: with a session it becomes the owner, without one nobody is. */
  associate(resource: string, sessionId: string | undefined): void {
    if (sessionId === undefined) this.owners.delete(resource);
    else this.owners.set(resource, sessionId);
  }

  ownerOf(resource: string): string | undefined {
    return this.owners.get(resource);
  }

  forgetResource(resource: string): void {
    this.owners.delete(resource);
  }

  /** Drop every session without stopping anything (machine restart). */
  clear(): void {
    this.sessions.clear();
    this.owners.clear();
    this.stopTimer();
  }

  expireDue(): void {
    const t = this.now();
    for (const s of [...this.sessions.values()]) {
      if (t < s.deadline) continue;
      this.sessions.delete(s.id);
      const owned: string[] = [];
      for (const [res, owner] of this.owners) {
        if (owner === s.id) owned.push(res);
      }
      for (const res of owned) this.owners.delete(res);
      this.onExpire(s, owned);
    }
    if (this.sessions.size === 0) this.stopTimer();
  }

  dispose(): void {
    this.stopTimer();
  }

  private ensureTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(
      () => this.expireDue(),
      Math.min(EXPIRY_CHECK_MS, Math.max(5, this.windowMs / 4)),
    );
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
