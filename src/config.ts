/** Build-time configuration. Nothing here comes from the URL: only the build decides where to signal. */

declare const __VIAM_SIGNALING_ADDRESS__: string;

/** Viam's signaling service, or the simulated machine's in development and tests. */
export const signalingAddress: string = __VIAM_SIGNALING_ADDRESS__;
