/**
 * How good the link to the machine is, from the round trips the connection check measures. Pure.
 * The median of the last few samples, so one slow check (a busy machine, one retransmission) does
 * not flag the link, and a link that is slow most of the time is.
 */

export type LinkQuality = 'good' | 'degraded' | 'poor';

/** Round trips at or above this make driving feel late (a stop lands a quarter second after release). */
export const DEGRADED_RTT_MS = 250;
/** At or above this, stops can take a second. */
export const POOR_RTT_MS = 1000;
/** Samples the judgement looks at. */
export const LINK_WINDOW = 5;

export function linkQuality(recentRttMs: readonly number[]): LinkQuality | undefined {
  const window = recentRttMs.filter((r) => Number.isFinite(r) && r >= 0).slice(-LINK_WINDOW);
  if (window.length === 0) return undefined;
  const sorted = [...window].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(mid)] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return median >= POOR_RTT_MS ? 'poor' : median >= DEGRADED_RTT_MS ? 'degraded' : 'good';
}

/** The header's words for it (nothing when the link is good). */
export function describeLinkQuality(quality: LinkQuality | undefined): string | undefined {
  return quality === 'degraded' ? 'slow link' : quality === 'poor' ? 'very slow link' : undefined;
}
