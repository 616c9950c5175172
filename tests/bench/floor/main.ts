/**
 * The benchmark's floor: the least any app on this SDK can do to be useful. It reads the same machine
 * cookie, connects with createRobotClient exactly as the console does, and shows the number of
 * resources. Built by tests/bench/run.ts with the console's own Vite config, so the console's bundle
 * and timings can be set against it.
 *
 * Markers for the benchmark: body[data-connection="connected"] once the client is up, and
 * [data-resource-count] once the resource names arrived. The client is left on `window.floorClient`
 * so the benchmark can time bare SDK calls as the peer of the console's commands.
 */
import { createRobotClient, type RobotClient } from '@viamrobotics/sdk';

declare global {
  interface Window {
    floorClient?: RobotClient;
  }
}

declare const __VIAM_SIGNALING_ADDRESS__: string;

interface MachineCookie {
  hostname: string;
  credentials: { authEntity: string; payload: string };
}

function readCookie(key: string): MachineCookie | undefined {
  for (const pair of document.cookie.split(/;\s*/)) {
    const eq = pair.indexOf('=');
    if (eq < 0 || decodeURIComponent(pair.slice(0, eq)) !== key) continue;
    return JSON.parse(decodeURIComponent(pair.slice(eq + 1))) as MachineCookie;
  }
  return undefined;
}

const out = document.getElementById('out') as HTMLElement;
const key = decodeURIComponent(window.location.pathname.split('/')[2] ?? '');
const cookie = readCookie(key);

if (!cookie) {
  out.textContent = 'No credentials for this machine';
} else {
  try {
    const client = await createRobotClient({
      host: cookie.hostname,
      credentials: {
        type: 'api-key',
        authEntity: cookie.credentials.authEntity,
        payload: cookie.credentials.payload,
      },
      signalingAddress: __VIAM_SIGNALING_ADDRESS__,
      noReconnect: true,
      dialTimeout: 10_000,
    });
    window.floorClient = client;
    document.body.dataset['connection'] = 'connected';
    const names = await client.resourceNames();
    out.textContent = `${names.length} resources`;
    out.dataset['resourceCount'] = String(names.length);
  } catch (error: unknown) {
    out.textContent = `Failed: ${error instanceof Error ? error.message : String(error)}`;
    document.body.dataset['connection'] = 'failed';
  }
}
