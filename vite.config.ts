import { defineConfig, loadEnv, type Plugin } from 'vite';
import { TRUSTED_TYPES_POLICIES } from './src/lib/trusted-types.ts';
import { viamHostingProxy, type MockMachine } from './tests/dev/viam-hosting-proxy.ts';

/** Where the SDK signals to reach a machine over WebRTC, unless the build says otherwise. */
export const DEFAULT_SIGNALING_ADDRESS = 'https://app.viam.com:443';

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
    `connect-src ${new URL(signalingAddress).origin}`,
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
  const hostname = env('VIAM_MACHINE_HOST');
  const apiKeyId = env('VIAM_API_KEY_ID');
  const apiKey = env('VIAM_API_KEY');
  const mockMachine: MockMachine | undefined =
    hostname && apiKeyId && apiKey
      ? { hostname, apiKeyId, apiKey, machineId: env('VIAM_MACHINE_ID') ?? hostname }
      : undefined;

  return {
    // Relative asset URLs: the platform serves the app under /machine/<key>/ with an injected <base href>.
    base: './',
    define: {
      __VIAM_SIGNALING_ADDRESS__: JSON.stringify(signalingAddress),
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
    optimizeDeps: { entries: ['index.html'] },
    preview: { port: 4173, strictPort: true },
    plugins: [viamHostingProxy(mockMachine), cspPlugin(signalingAddress)],
  };
});
