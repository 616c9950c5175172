/**
 * The machine's running operations and sessions, as the operations panel shows them. Pure: the
 * caller hands in what GetOperations and GetSessions answered (plain fields), this page's session
 * id and the clock.
 */

export interface RawOperation {
  readonly id: string;
  readonly method: string;
  readonly sessionId?: string | undefined;
  /** When it started, epoch ms (from the proto Timestamp), if the machine said. */
  readonly startedMs?: number | undefined;
}

export interface OperationView {
  readonly id: string;
  /** `BaseService/MoveStraight` rather than the full gRPC path. */
  readonly method: string;
  readonly startedMs: number | undefined;
  /** Started by this page's session. */
  readonly own: boolean;
  /** Started by another client's session (false with no session: a script, the machine itself). */
  readonly others: boolean;
}

/** At most this many rows are drawn; the rest are counted. */
export const MAX_OPERATION_ROWS = 50;

/** A gRPC method path without its package: `/viam.component.base.v1.BaseService/Spin` -> `BaseService/Spin`. */
export function shortMethod(method: string): string {
  const slash = method.lastIndexOf('/');
  const name = slash >= 0 ? method.slice(slash + 1) : method;
  const service = slash > 0 ? (method.slice(0, slash).split('.').pop() ?? '') : '';
  const text = service && name ? `${service}/${name}` : name || method || 'unknown';
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** Longest-running first; this page's own marked. Operations with no id are dropped (nothing to cancel). */
export function toOperationViews(ops: readonly RawOperation[], ownSessionId: string): OperationView[] {
  return ops
    .filter((o) => typeof o.id === 'string' && o.id !== '')
    .map((o) => {
      const session = o.sessionId ?? '';
      return {
        id: o.id,
        method: shortMethod(o.method),
        startedMs: typeof o.startedMs === 'number' && Number.isFinite(o.startedMs) ? o.startedMs : undefined,
        own: ownSessionId !== '' && session === ownSessionId,
        others: session !== '' && session !== ownSessionId,
      };
    })
    .sort((a, b) => (a.startedMs ?? Infinity) - (b.startedMs ?? Infinity) || a.id.localeCompare(b.id));
}

/** How long an operation has run, for a row. Clocks that disagree (a start in the future) read "just now". */
export function elapsedText(startedMs: number | undefined, now: number): string {
  if (startedMs === undefined) return '—';
  const s = Math.max(0, (now - startedMs) / 1000);
  if (s < 1) return 'just now';
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Epoch ms from a proto Timestamp's fields, if it has them. */
export function timestampMs(
  t: { readonly seconds: bigint; readonly nanos: number } | undefined,
): number | undefined {
  if (!t) return undefined;
  const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
  return Number.isFinite(ms) ? ms : undefined;
}
