/**
 * The SDK as the fleet's cloud client imports it: the same package, a separate module instance in a
 * build (see cloudSdkPlugin in vite.config.ts), so the single-machine page never carries it.
 */
declare module 'virtual:viam-cloud-sdk' {
  export { createViamClient, type ViamClient, appApi } from '@viamrobotics/sdk';
}
