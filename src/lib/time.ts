/** "just now", "4 s ago", "3 min ago", "2 h ago", "5 d ago". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** google.protobuf.Timestamp as the SDK decodes it (seconds is a bigint there). */
export interface TimestampLike {
  readonly seconds: bigint | number | string;
  readonly nanos: number;
}

/** The range google.protobuf.Timestamp allows: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const MIN_SECONDS = -62_135_596_800;
const MAX_SECONDS = 253_402_300_799;

/**
 * Epoch ms of a Timestamp, or undefined when it is missing, zero (proto3's unset value, not 1970),
 * NaN, or outside what a Timestamp may hold (seconds beyond years 1-9999, nanos beyond 0-999,999,999).
 */
export function timestampMs(t: TimestampLike | undefined): number | undefined {
  if (!t || typeof t !== 'object') return undefined;
  let seconds: number;
  try {
    seconds = Number(t.seconds);
  } catch {
    return undefined;
  }
  const nanos = typeof t.nanos === 'number' ? t.nanos : NaN;
  if (!Number.isInteger(seconds) || !Number.isInteger(nanos)) return undefined;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || nanos < 0 || nanos > 999_999_999) return undefined;
  if (seconds === 0 && nanos === 0) return undefined;
  return seconds * 1000 + nanos / 1e6;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local time with milliseconds; the date too unless it is the same day as `now`. */
export function formatAbsolute(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  const n = new Date(now);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  const sameDay =
    d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** "4 s ago"; a line a little in the future (clock skew) is "just now"; far off, the absolute time. */
export function formatRelative(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const age = now - ms;
  if (age < 0) return age > -5000 ? 'just now' : formatAbsolute(ms, now);
  return formatAge(age) || formatAbsolute(ms, now);
}

/** ISO 8601 UTC, for copied text; '-' without a time. */
export function formatIso(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '-' : d.toISOString();
}
