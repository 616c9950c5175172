/**
 * The benchmark's video floor: the least an app on this SDK can do to show a camera. It connects
 * with createRobotClient as the console does and at once asks StreamClient.getStream for the camera
 * named in the query (`?camera=cam`), nothing else; built with the console's own Vite config, so the
 * console's time to first frame can be set against it (the peer of the SDK's teleop example).
 *
 * Markers for the benchmark: body[data-connection="connected"] once the client is up; the first
 * frame is read off the page's <video> (requestVideoFrameCallback).
 */
import { createRobotClient, StreamClient } from '@viamrobotics/sdk';

declare const __VIAM_SIGNALING_ADDRESS__: string;

interface MachineCookie {
  hostname: string;
  credentials: { authEntity: string; payload: string };
}

// As in main.ts (not imported from it: a shared chunk would add a request to both pages).
function readCookie(key: string): MachineCookie | undefined {
  for (const pair of document.cookie.split(/;\s*/)) {
    const eq = pair.indexOf('=');
    if (eq < 0 || decodeURIComponent(pair.slice(0, eq)) !== key) continue;
    return JSON.parse(decodeURIComponent(pair.slice(eq + 1))) as MachineCookie;
  }
  return undefined;
}

const out = document.getElementById('out') as HTMLElement;
const video = document.querySelector('video') as HTMLVideoElement;
const key = decodeURIComponent(window.location.pathname.split('/')[2] ?? '');
const camera = new URLSearchParams(window.location.search).get('camera') ?? 'cam';
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
    document.body.dataset['connection'] = 'connected';
    video.srcObject = await new StreamClient(client).getStream(camera);
    out.textContent = `Streaming ${camera}`;
    await video.play().catch(() => undefined);
  } catch (error: unknown) {
    out.textContent = `Failed: ${error instanceof Error ? error.message : String(error)}`;
    document.body.dataset['connection'] = 'failed';
  }
}
