/** Build-time configuration. Nothing here comes from the URL: only the build decides where to signal. */

declare const __VIAM_SIGNALING_ADDRESS__: string;

/** Viam's signaling service, or the simulated machine's in development and tests. */
export const signalingAddress: string = __VIAM_SIGNALING_ADDRESS__;

/**
 * Viam's app API (logs, cloud facts): the signaling service's origin, so the page's
 * Content-Security-Policy still allows that one origin and nothing else.
 */
export const cloudAddress: string = new URL(signalingAddress).origin;
