/**
 * The SDK as the cloud clients import it (the fleet list; a machine's logs and cloud facts): the same
 * package, a separate module instance in a build (see cloudSdkPlugin in vite.config.ts), so the
 * single-machine page's first script never carries the app API client.
 */
declare module 'virtual:viam-cloud-sdk' {
  export { createViamClient, type ViamClient, appApi } from '@viamrobotics/sdk';
}
