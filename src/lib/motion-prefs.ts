/**
 * Per-browser operator preferences for motion: whether to confirm large motions typed as numbers.
 * Stored in localStorage (nothing secret); blocked storage means "ask".
 */
const CONFIRM_KEY = 'mc.confirm-large-motions';

export function confirmLargeMotions(): boolean {
  try {
    return window.localStorage.getItem(CONFIRM_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setConfirmLargeMotions(on: boolean): void {
  try {
    window.localStorage.setItem(CONFIRM_KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered; the default (ask) stays.
  }
}

/** Thresholds above which a typed motion asks first. */
export const LARGE_MOTION = {
  /** Base.MoveStraight distance, mm. */
  straightMm: 500,
} as const;
