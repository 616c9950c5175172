/**
 * The page-wide "stop everything" signal. The global stop fires it before it calls StopAll, so every
 * local drive loop ends at once, even while the machine is unreachable.
 */
export const STOP_ALL_EVENT = 'mc-stop-all';

export function signalStopAll(): void {
  window.dispatchEvent(new Event(STOP_ALL_EVENT));
}

/** Calls `listener` on every global stop; returns the unsubscribe function. */
export function onStopAll(listener: () => void): () => void {
  window.addEventListener(STOP_ALL_EVENT, listener);
  return () => window.removeEventListener(STOP_ALL_EVENT, listener);
}

/** Something other than the header (a gamepad's STOP button) asks the console for its global stop. */
export const STOP_REQUEST_EVENT = 'mc-stop-request';

export function requestStopAll(): void {
  window.dispatchEvent(new Event(STOP_REQUEST_EVENT));
}

/**
 * Stops what this page drives, and only that: every guard that holds or runs a motion sends its
 * Stop; a guard that was not driving sends nothing (so no other operator's drive is cut). For a
 * stop the operator may have meant without a key reaching the page (fullscreen left by the
 * browser's own Escape).
 */
export const STOP_DRIVING_EVENT = 'mc-stop-driving';

export function signalStopDriving(): void {
  window.dispatchEvent(new Event(STOP_DRIVING_EVENT));
}
