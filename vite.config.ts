import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import { TRUSTED_TYPES_POLICIES } from './src/lib/trusted-types.ts';
import { viamHostingProxy, type MockMachine } from './tests/dev/viam-hosting-proxy.ts';

/** Where the SDK signals to reach a machine over WebRTC, unless the build says otherwise. */
export const DEFAULT_SIGNALING_ADDRESS = 'https://app.viam.com:443';

/**
 * Where the fleet app reaches Viam's app API: the signaling service's origin unless the build says
 * otherwise, and then it must still be that origin (the CSP allows one).
 */
export function cloudAddressFor(signalingAddress: string, configured: string | undefined): string {
  const origin = new URL(signalingAddress).origin;
  if (configured === undefined) return origin;
  const cloud = new URL(configured).origin;
  if (cloud !== origin) {
    throw new Error(`VIAM_CLOUD_ADDRESS (${cloud}) must have the signaling address's origin (${origin})`);
  }
  return cloud;
}

/** The pages one build produces: the single-machine app and the fleet app, sharing chunks. */
export const PAGES = { index: 'index.html', fleet: 'fleet.html' } as const;

/**
 * Builds every page of PAGES that the build's root holds. A root without the fleet page (the
 * benchmark's floor page, built with this config) keeps Vite's default single input.
 */
function pagesPlugin(): Plugin {
  return {
    name: 'pages',
    config(config) {
      const root = resolve(config.root ?? process.cwd());
      if (!existsSync(join(root, PAGES.fleet))) return undefined;
      const input = Object.fromEntries(Object.entries(PAGES).map(([name, file]) => [name, join(root, file)]));
      return { build: { rolldownOptions: { input } } };
    },
  };
}

/** How the fleet's cloud client imports the SDK (see cloudSdkPlugin). */
export const CLOUD_SDK_ID = 'virtual:viam-cloud-sdk';

/**
 * The SDK ships as ONE module, and a module shared by two pages carries the code both use: the
 * single-machine page would download the fleet's app API client (~20 KB gzip). So in a build the
 * fleet's cloud client imports a second instance of the SDK module, tree-shaken for the app API
 * alone, and the machine page's instance stays exactly what it was. The dev server keeps one.
 */
function cloudSdkPlugin(): Plugin {
  let serving = false;
  return {
    name: 'viam-cloud-sdk',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    async resolveId(id, importer) {
      if (id !== CLOUD_SDK_ID) return null;
      const resolved = await this.resolve('@viamrobotics/sdk', importer, { skipSelf: true });
      if (!resolved) return null;
      return serving ? resolved : { ...resolved, id: `${resolved.id}?cloud` };
    },
  };
}

/**
 * The Content-Security-Policy of the built app, as a <meta> tag (the platform serves static files, so
 * no header can be set). No inline or eval'd script; network only to the signaling service (not even
 * to the app's own origin, which the SDK's direct-dial fallback would otherwise reach with the key);
 * blob: for the SDK's heartbeat Worker and for camera frames. Trusted Types: every DOM sink that
 * parses script or HTML takes only values from the named policies (Lit's, and the app's for the SDK's
 * Worker, src/security/trusted-worker.ts), each created once.
 */
export function contentSecurityPolicy(signalingAddress: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    // blob: is the page's own data (a camera snapshot's download reads it), never the network.
    `connect-src ${new URL(signalingAddress).origin} blob:`,
    'worker-src blob:',
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    `trusted-types ${TRUSTED_TYPES_POLICIES.join(' ')}`,
  ].join('; ');
}

function cspPlugin(signalingAddress: string): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            content: contentSecurityPolicy(signalingAddress),
          },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

export default defineConfig(({ command, mode }) => {
  // Only VIAM_* names are read; Vite exposes nothing of them to the bundle except what `define` says.
  // A production build (`vite build` in mode production) ignores .env files on purpose, so a
  // developer's local setup can never end up in the uploaded app.
  const fromFiles = command === 'serve' ? loadEnv(mode, process.cwd(), 'VIAM_') : {};
  const env = (name: string): string | undefined => {
    const value = process.env[name] ?? fromFiles[name];
    return value === undefined || value === '' ? undefined : value;
  };

  const signalingAddress = env('VIAM_SIGNALING_ADDRESS') ?? DEFAULT_SIGNALING_ADDRESS;
  const cloudAddress = cloudAddressFor(signalingAddress, env('VIAM_CLOUD_ADDRESS'));
  const hostname = env('VIAM_MACHINE_HOST');
  const apiKeyId = env('VIAM_API_KEY_ID');
  const apiKey = env('VIAM_API_KEY');
  const mockMachine: MockMachine | undefined =
    hostname && apiKeyId && apiKey
      ? { hostname, apiKeyId, apiKey, machineId: env('VIAM_MACHINE_ID') ?? hostname }
      : undefined;
  // The fleet's sign-in for the dev and preview servers' `userToken` cookie: a server header only,
  // never part of the bundle.
  const userToken = env('VIAM_USER_TOKEN');

  return {
    // Relative asset URLs: the platform serves the app under /machine/<key>/ with an injected <base href>.
    base: './',
    define: {
      __VIAM_SIGNALING_ADDRESS__: JSON.stringify(signalingAddress),
      __VIAM_CLOUD_ADDRESS__: JSON.stringify(cloudAddress),
    },
    build: {
      target: 'es2022',
      sourcemap: false,
    },
    server: {
      port: 5173,
      strictPort: false,
      // Build outputs (test and benchmark builds included) are not sources.
      watch: { ignored: ['**/dist/**', '**/dist-*/**', '**/bench-results/**', '**/test-results/**'] },
    },
    optimizeDeps: { entries: Object.values(PAGES) },
    preview: { port: 4173, strictPort: true },
    plugins: [
      pagesPlugin(),
      cloudSdkPlugin(),
      viamHostingProxy(mockMachine, userToken),
      cspPlugin(signalingAddress),
    ],
  };
});
