/**
 * The SDK as the cloud client imports it: the same package, imported with a query so that a build
 * makes it a separate module instance, tree-shaken for the app API alone. The SDK ships as ONE
 * module, and every statement any chunk uses goes where that module goes (the machine page's entry):
 * without this, the app API client (~20 KB gzip) would be downloaded before the first status.
 */
declare module '@viamrobotics/sdk?cloud' {
  export { createViamClient, type ViamClient } from '@viamrobotics/sdk';
}
