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
