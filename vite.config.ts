import { defineConfig, loadEnv } from 'vite';
import { viamHostingProxy, type MockMachine } from './tests/dev/viam-hosting-proxy.ts';

/** Where the SDK signals to reach a machine over WebRTC, unless the build says otherwise. */
export const DEFAULT_SIGNALING_ADDRESS = 'https://app.viam.com:443';

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
    server: { port: 5173, strictPort: false },
    preview: { port: 4173, strictPort: true },
    plugins: [viamHostingProxy(mockMachine)],
  };
});
