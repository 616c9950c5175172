import '../../security/boot.ts';
import '../../styles/page.css';
import { signalingAddress } from '../../config.ts';
import { startEarlyDial } from '../../controllers/dial.ts';
import { readCookieJar } from '../../lib/cookie-jar.ts';
import { apiKeyCredential, readCredentials } from '../../lib/credentials.ts';
import { showLoadFailed } from '../../widgets/load-failed.ts';

/**
 * The console is drawn once the dial has settled, or after this long if it has not (a slow or
 * unreachable machine then gets the console's own connecting and failure screens).
 */
const DRAW_AFTER_MS = 1500;
/** The console's code is imported this long after boot at the latest (see dialWaiting). */
const IMPORT_AFTER_MS = 600;
/** The signaling call the SDK makes just before it creates the peer connection. */
const WEBRTC_CONFIG = '/proto.rpc.webrtc.v1.SignalingService/OptionalWebRTCConfig';

/**
 * The single-machine app: the platform opens it at /machine/<key>/ with the machine's cookie. This
 * entry reads that cookie once and dials the machine at once, before any of the console's code
 * (Lit, the shell, the dashboard) is loaded: the dial waits for nothing a page that only dials would
 * not wait for. The console's code is fetched once the dial waits on the network (dialWaiting), and
 * drawn only when the dial has settled, so neither its evaluation nor its rendering competes with the
 * dial's steps for the main thread; the console then takes the dial's client (and the machine status
 * and resource list it asked for at once: src/controllers/first-status.ts).
 */
const result = readCredentials(window.location.pathname, readCookieJar());
const dial = result.ok
  ? startEarlyDial(result.credentials.hostname, apiKeyCredential(result.credentials), signalingAddress)
  : undefined;
const screens = (dial ? dialWaiting(dial.client) : Promise.resolve()).then(() => import('./mount.ts'));

/**
 * Resolves when the dial has reached WebRTC's wait on the network: the signaling server answered
 * for its WebRTC config, so the peer connection is being made and what follows is mostly ICE and
 * DTLS, with the main thread idle. The console's code is imported from then on: evaluated during
 * the dial's first steps (sign-in, config, offer), its chunks held each step back (bench: peer
 * connection created 1.37-1.43x the floor's before, 1.06-1.15x since). At the latest when the dial
 * settles, or IMPORT_AFTER_MS after boot whatever the dial does.
 */
function dialWaiting(client: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    let observer: PerformanceObserver | undefined;
    const done = () => {
      observer?.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, IMPORT_AFTER_MS);
    void client.then(done, done);
    try {
      observer = new PerformanceObserver((list) => {
        if (list.getEntries().some((e) => e.name.endsWith(WEBRTC_CONFIG))) done();
      });
      observer.observe({ type: 'resource' });
    } catch {
      done();
    }
  });
}

if (result.ok && dial) {
  const { credentials } = result;
  const note = document.createElement('p');
  note.className = 'boot-note';
  note.setAttribute('role', 'status');
  note.textContent = `Connecting to ${credentials.hostname}…`;
  document.body.prepend(note);
  const settled = Promise.race([
    dial.client.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => setTimeout(resolve, DRAW_AFTER_MS)),
  ]);
  Promise.all([screens, settled]).then(
    ([{ mountConsole }]) => {
      note.remove();
      mountConsole(credentials, dial);
    },
    () => {
      note.remove();
      showLoadFailed();
      // Nothing will drive or watch this machine: let its connection go.
      dial.client.then((client) => client.disconnect()).catch(() => undefined);
    },
  );
} else if (!result.ok) {
  const { failure } = result;
  screens.then(({ mountProblem }) => mountProblem(failure), showLoadFailed);
}
