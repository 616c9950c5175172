/**
 * The logs panel's data life (src/lib/log-feed.ts) against a stand-in cloud: pages newest first
 * with offset tokens, a tail that pushes what is written while it is open, faults on demand, and a
 * manual clock. The real cloud path is covered by the e2e suite.
 */
import { describe, expect, it } from 'vitest';
import { explainLogsProblem } from '../../src/lib/cloud.ts';
import {
  LogFeed,
  type Clock,
  type HistoryQuery,
  type LogPage,
  type LogSource,
} from '../../src/lib/log-feed.ts';
import { NO_FILTER, type RawLogEntry } from '../../src/lib/logs.ts';

const T0 = 1_780_000_000;
const KEY = 'key-secret-abcdef123456';

class ManualClock implements Clock {
  t = T0 * 1000;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #next = 1;
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.#next++;
    this.#timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  };
  get pending(): number {
    return this.#timers.length;
  }
  /** Moves time on, running due timers (and the promises they settle) in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.#timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
    await settle();
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

interface OpenTail {
  readonly onBatch: (entries: readonly RawLogEntry[]) => void;
  readonly signal: AbortSignal;
  readonly fail: (error: Error) => void;
}

/** A cloud with one part's logs. */
class FakeCloud implements LogSource {
  readonly credential = 'api-key' as const;
  readonly written: RawLogEntry[] = [];
  readonly tails: OpenTail[] = [];
  readonly queries: HistoryQuery[] = [];
  historyFault: Error | 'hang' | undefined;
  tailFault: Error | undefined;
  renewed = 0;
  pageSize = 5;

  secrets(): readonly string[] {
    return [KEY];
  }

  renew(): void {
    this.renewed += 1;
  }

  get openTails(): number {
    return this.tails.filter((t) => !t.signal.aborted).length;
  }

  write(
    count: number,
    level = 'info',
    message = (i: number) => `line ${i}`,
    at?: (n: number) => number,
  ): void {
    for (let i = 0; i < count; i++) {
      const n = this.written.length;
      const entry: RawLogEntry = {
        level,
        time: { seconds: BigInt(at ? at(n) : T0 + n), nanos: 0 },
        loggerName: 'rdk.test',
        message: message(n),
      };
      this.written.push(entry);
      for (const tail of this.tails) if (!tail.signal.aborted) tail.onBatch([entry]);
    }
  }

  history(query: HistoryQuery, signal: AbortSignal): Promise<LogPage> {
    this.queries.push(query);
    if (this.historyFault === 'hang') {
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(grpcError(1, 'aborted'))),
      );
    }
    if (this.historyFault) return Promise.reject(this.historyFault);
    const offset = Number(query.pageToken || '0');
    const newestFirst = this.written.slice().reverse();
    const entries = newestFirst.slice(offset, offset + this.pageSize);
    const next = offset + this.pageSize < newestFirst.length ? String(offset + this.pageSize) : '';
    return Promise.resolve({ entries, nextPageToken: next });
  }

  tail(onBatch: (entries: readonly RawLogEntry[]) => void, signal: AbortSignal): Promise<void> {
    if (this.tailFault) return Promise.reject(this.tailFault);
    return new Promise((resolve, reject) => {
      this.tails.push({ onBatch, signal, fail: reject });
      signal.addEventListener('abort', () => resolve());
    });
  }

  failTail(error: Error): void {
    for (const tail of this.tails) if (!tail.signal.aborted) tail.fail(error);
  }
}

function setup(options: ConstructorParameters<typeof LogFeed>[1] = {}) {
  const clock = new ManualClock();
  const cloud = new FakeCloud();
  const feed = new LogFeed(cloud, { clock, retryBaseMs: 1000, historyTimeoutMs: 5000, ...options });
  const messages = () => feed.view.lines.map((l) => l.message);
  return { clock, cloud, feed, messages };
}

describe('LogFeed', () => {
  it('opens one tail, reads the newest page, then follows new lines', async () => {
    const { clock, cloud, feed, messages } = setup();
    cloud.write(8);
    feed.start();
    await clock.advance(0);
    expect(feed.status.phase).toBe('live');
    expect(cloud.openTails).toBe(1);
    expect(messages()).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    cloud.write(2);
    await clock.advance(100);
    expect(messages().slice(-2)).toEqual(['line 8', 'line 9']);
    feed.start(); // already open: no second stream
    expect(cloud.openTails).toBe(1);
  });

  it('loads older pages one at a time until the start of history', async () => {
    const { clock, cloud, feed, messages } = setup();
    cloud.write(12);
    feed.start();
    await clock.advance(0);
    await feed.loadOlder();
    expect(messages()).toHaveLength(10);
    expect(messages()[0]).toBe('line 2');
    await feed.loadOlder();
    expect(messages()[0]).toBe('line 0');
    expect(feed.status.older).toBe('end');
    expect(cloud.queries.map((q) => q.pageToken)).toEqual(['', '5', '10']);
    expect(cloud.queries.map((q) => q.limit)).toEqual([undefined, 500, 500]);
  });

  it('ends the stream on stop and on a hidden tab, and fills the gap without duplicates on resume', async () => {
    const { clock, cloud, feed, messages } = setup();
    cloud.write(3);
    feed.start();
    await clock.advance(0);
    feed.pause();
    expect(cloud.openTails).toBe(0);
    expect(feed.status.phase).toBe('paused');
    cloud.write(7); // written while hidden: more than one page
    feed.resume();
    await clock.advance(100);
    expect(cloud.openTails).toBe(1);
    expect(messages()).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i}`));
    feed.stop();
    expect(cloud.openTails).toBe(0);
    expect(feed.status.phase).toBe('stopped');
    await clock.advance(60_000);
    expect(cloud.openTails).toBe(0);
  });

  it('reconnects after a drop with backoff, losing and duplicating nothing', async () => {
    const { clock, cloud, feed, messages } = setup();
    cloud.write(4);
    feed.start();
    await clock.advance(0);
    cloud.failTail(grpcError(14, 'connection reset'));
    await clock.advance(0);
    expect(feed.status.phase).toBe('retrying');
    expect(feed.status.problem?.kind).toBe('unavailable');
    expect(cloud.openTails).toBe(0);
    cloud.write(3); // lost by the dropped stream
    await clock.advance(1300);
    expect(feed.status.phase).toBe('live');
    expect(cloud.openTails).toBe(1);
    cloud.write(1);
    await clock.advance(100);
    expect(messages()).toEqual(Array.from({ length: 8 }, (_, i) => `line ${i}`));
    expect(new Set(feed.store.lines.map((l) => l.key)).size).toBe(8);
  });

  it('backs off longer after each failure and says the cloud cannot be reached', async () => {
    const { clock, cloud, feed } = setup();
    cloud.historyFault = grpcError(14, 'upstream connect error');
    feed.start();
    await clock.advance(0);
    const first = feed.status.nextRetryAt ?? 0;
    expect(first - clock.now()).toBeGreaterThanOrEqual(1000);
    await clock.advance(first - clock.now());
    const second = (feed.status.nextRetryAt ?? 0) - clock.now();
    expect(second).toBeGreaterThanOrEqual(2000);
    expect(feed.status.attempt).toBe(2);
    expect(cloud.openTails).toBe(0); // a failed attempt does not leave its stream open
    const text = explainLogsProblem(
      feed.status.problem ?? { kind: 'unknown', detail: '', retry: true },
      'api-key',
      second,
    );
    expect(text).toMatch(/cannot be reached.*Trying again in \d+ s/);
    cloud.historyFault = undefined;
    await clock.advance(second);
    expect(feed.status.phase).toBe('live');
  });

  it('counts a slow cloud as a failure and retries', async () => {
    const { clock, cloud, feed } = setup();
    cloud.historyFault = 'hang';
    feed.start();
    await clock.advance(4900);
    expect(feed.status.phase).toBe('connecting');
    await clock.advance(200);
    expect(feed.status.phase).toBe('retrying');
    expect(feed.status.problem?.kind).toBe('slow');
  });

  it('stops calmly when the key may not read logs, and never retries', async () => {
    const { clock, cloud, feed } = setup();
    cloud.historyFault = grpcError(7, `permission denied for ${KEY}`);
    feed.start();
    await clock.advance(0);
    expect(feed.status.phase).toBe('blocked');
    expect(feed.status.problem?.detail).not.toContain(KEY);
    expect(
      explainLogsProblem(feed.status.problem ?? { kind: 'unknown', detail: '', retry: true }, 'api-key'),
    ).toBe('This key cannot read logs for this machine.');
    expect(cloud.openTails).toBe(0);
    const queries = cloud.queries.length;
    await clock.advance(120_000);
    expect(cloud.queries.length).toBe(queries);
    expect(clock.pending).toBe(0);
  });

  it('renews the client once on Unauthenticated, then asks to sign in again', async () => {
    const { clock, cloud, feed } = setup();
    cloud.tailFault = grpcError(16, 'token expired');
    feed.start();
    await clock.advance(0);
    expect(cloud.renewed).toBe(1);
    await clock.advance(0);
    expect(feed.status.phase).toBe('blocked');
    expect(feed.status.problem?.kind).toBe('unauthenticated');
    expect(
      explainLogsProblem(feed.status.problem ?? { kind: 'unknown', detail: '', retry: true }, 'access-token'),
    ).toMatch(/^Sign in again/);
  });

  it('drops a flood with a count instead of taking every line', async () => {
    const { clock, cloud, feed } = setup();
    feed.start();
    await clock.advance(0);
    let updates = 0;
    feed.subscribe(() => (updates += 1));
    for (let s = 0; s < 30; s++) {
      cloud.write(100); // 1,000 lines/s, one line a message
      await clock.advance(100);
    }
    // Listeners (the panel's renders) hear of it once a flush, not once a line.
    expect(updates).toBeLessThanOrEqual(2 * (3000 / 50));
    expect(feed.status.dropped).toBeGreaterThan(1500);
    expect(feed.store.length + feed.status.dropped).toBe(3000);
    expect(feed.store.length).toBeLessThanOrEqual(200 + 3 * 200);
  });

  it('keeps a bounded window: follows by letting old lines go, reads history by letting new ones go', async () => {
    const { clock, cloud, feed, messages } = setup({ limits: { maxLines: 10, maxChars: 1e9 } });
    cloud.write(10);
    feed.start();
    await clock.advance(0);
    cloud.write(8);
    await clock.advance(100);
    expect(messages()[0]).toBe('line 8');
    expect(feed.status.older).toBe('idle');
    // The operator scrolls up: older lines come back, the newest are let go.
    feed.setFollowing(false);
    await feed.loadOlder();
    expect(messages()[0]).toBe('line 3');
    expect(feed.status.newerMissing).toBe(true);
    cloud.write(3);
    await clock.advance(100);
    expect(feed.status.newLines).toBe(3);
    expect(messages()).toHaveLength(10);
    // Back to the newest: the window reloads them from history.
    feed.jumpToLatest();
    await clock.advance(0);
    expect(feed.status.newerMissing).toBe(false);
    expect(feed.status.newLines).toBe(0);
    expect(messages().slice(-1)).toEqual(['line 20']);
  });

  it('counts new lines while the operator reads, and stops counting when they follow again', async () => {
    const { clock, cloud, feed } = setup();
    cloud.write(5);
    feed.start();
    await clock.advance(0);
    feed.setFollowing(false);
    cloud.write(4);
    await clock.advance(100);
    expect(feed.status.newLines).toBe(4);
    feed.setFollowing(true);
    expect(feed.status.newLines).toBe(0);
  });

  it('restarts the window when a gap is too wide to fill', async () => {
    const { clock, cloud, feed, messages } = setup({ maxGapPages: 2 });
    cloud.write(3);
    feed.start();
    await clock.advance(0);
    feed.pause();
    cloud.write(30);
    feed.resume();
    await clock.advance(0);
    expect(messages()[0]).toBe('line 23');
    expect(messages()).toHaveLength(10);
    expect(feed.status.older).toBe('idle');
  });

  it('keeps the previous filter when a regular expression is invalid, and says why', async () => {
    const { clock, cloud, feed, messages } = setup();
    cloud.write(5, 'error', (i) => `error ${i}`);
    cloud.write(5, 'info');
    feed.start();
    await clock.advance(0);
    expect(feed.setFilter({ ...NO_FILTER, text: 'line [5-6]', regex: true })).toBeUndefined();
    expect(messages()).toEqual(['line 5', 'line 6']);
    const error = feed.setFilter({ ...NO_FILTER, text: 'line [5-', regex: true });
    expect(error?.kind).toBe('invalid-regex');
    expect(feed.status.filterError?.message).toBeTruthy();
    expect(messages()).toEqual(['line 5', 'line 6']);
    cloud.write(1);
    await clock.advance(100);
    expect(messages()).toEqual(['line 5', 'line 6']);
    feed.setFilter({ ...NO_FILTER, text: 'line 1', regex: false });
    expect(messages()).toEqual(['line 10']);
    expect(feed.status.filterError).toBeUndefined();
    expect(feed.store.counts.error).toBe(0); // the five errors were older than the first page
  });

  it('keeps the cloud order of lines that share one time, across pages', async () => {
    const { clock, cloud, feed, messages } = setup();
    cloud.write(
      12,
      'info',
      (n) => `same ${n}`,
      () => T0 + 5,
    );
    feed.start();
    await clock.advance(0);
    while (feed.status.older !== 'end') await feed.loadOlder();
    expect(messages()).toEqual(Array.from({ length: 12 }, (_, i) => `same ${i}`));
  });

  it('follows page tokens, so a cloud that pages by arrival (not time) loses nothing', async () => {
    const { clock, cloud, feed, messages } = setup();
    cloud.write(
      8,
      'info',
      (n) => `new ${n}`,
      (n) => T0 + 1000 + n,
    );
    // Written later, stamped earlier (as viam-server uploads a backlog): they page after the others.
    cloud.write(
      8,
      'info',
      (n) => `backlog ${n}`,
      (n) => T0 + n,
    );
    feed.start();
    await clock.advance(0);
    while (feed.status.older !== 'end') await feed.loadOlder();
    expect(messages()).toHaveLength(16);
    expect(messages().slice(0, 2)).toEqual(['backlog 8', 'backlog 9']);
    // A gap after a hidden tab, with a backlog in it, is filled the same way.
    feed.pause();
    cloud.write(
      6,
      'info',
      (n) => `late ${n}`,
      (n) => T0 + 500 + n,
    );
    cloud.write(
      3,
      'info',
      (n) => `after ${n}`,
      (n) => T0 + 2000 + n,
    );
    feed.resume();
    await clock.advance(0);
    expect(messages()).toHaveLength(25);
    expect(new Set(messages()).size).toBe(25);
  });

  it('never shows the key, wherever a line carries it', async () => {
    const { clock, cloud, feed } = setup();
    cloud.write(3, 'info', (i) => `auth ${KEY} #${i}`);
    feed.start();
    await clock.advance(0);
    expect(JSON.stringify(feed.store.lines)).not.toContain(KEY);
  });
});
