/** Build-time configuration. Nothing here comes from the URL: only the build decides where to connect. */

declare const __VIAM_SIGNALING_ADDRESS__: string;
declare const __VIAM_CLOUD_ADDRESS__: string;

/** Viam's signaling service, or the simulated cloud's in development and tests. */
export const signalingAddress: string = __VIAM_SIGNALING_ADDRESS__;

/**
 * Viam's app API (the fleet's machine list), the same origin as signaling: the page's
 * Content-Security-Policy lets it reach that one origin and nothing else.
 */
export const cloudAddress: string = __VIAM_CLOUD_ADDRESS__;
