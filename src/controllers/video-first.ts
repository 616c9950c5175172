import { StreamClient, type RobotClient } from '@viamrobotics/sdk';
import { isStreamOf } from '../lib/camera.ts';
import { prefKey, readPref, type StorageLike } from '../lib/card-prefs.ts';
import { loadDriveLayout, rememberedCamera } from '../lib/drive-prefs.ts';
import { nameOfKey } from '../lib/video-first.ts';
import { errorMessage } from '../lib/summarize.ts';

/**
 * Video first. On a fresh connection the camera the operator will see asks for its stream before
 * anything else, and the cards' first calls wait until the machine has answered that AddStream and
 * the first GetMachineStatus: the stream's renegotiation then is not queued behind a dozen first
 * polls, and a video source that keyframes only now and then is caught at its start. A priority with
 * a bound, not a race: after START_CAP_MS everything goes whatever is still unanswered, so a camera
 * that never answers (or never sends a frame) holds nothing back for long.
 *
 * Who does what: the dashboard says which camera will be on screen (`prestartStream`; for a
 * remembered drive view the machine app's mount does so first, `prestartRemembered`) and when the
 * status answered (`statusAnswered`); the camera card adopts the stream (`claimStream`) instead of
 * adding it again; PollController's non-status polls wait for `firstTurn`, the other cards for
 * `cardsTurn`, the cloud and the panels for `videoStarted`.
 */

/** How long to wait for the video track after AddStream before the card falls back to images. */
export const STREAM_TIMEOUT_MS = 6000;
/** The longest the cards' first calls wait for the stream and the status. */
export const START_CAP_MS = 500;
/** A prestarted stream no card took within this long is removed (the estimate was wrong). */
export const UNCLAIMED_MS = 4000;
/** How long the stand-in player keeps decoding after a card took the stream. */
const HANDOVER_MS = 3000;

/** One StreamClient per SDK client: each one subscribes to its client's events for good. */
const streamClients = new WeakMap<RobotClient, StreamClient>();
export function streamClientFor(client: RobotClient): StreamClient {
  let s = streamClients.get(client);
  if (!s) {
    s = new StreamClient(client);
    streamClients.set(client, s);
  }
  return s;
}

/**
 * Adds the camera's stream and resolves with it once its track arrives. `onAnswered` is called when
 * the machine answered AddStream (either way).
 */
export function openStream(
  streams: StreamClient,
  camera: string,
  timeoutMs: number,
  onAnswered?: () => void,
): Promise<MediaStream> {
  return new Promise<MediaStream>((resolve, reject) => {
    const onTrack = (event: unknown) => {
      const stream = (event as RTCTrackEvent).streams[0];
      if (!stream || !isStreamOf(stream.id, camera)) return;
      done();
      resolve(stream);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no video arrived within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      streams.off('track', onTrack);
    };
    streams.on('track', onTrack);
    streams.add(camera).then(
      () => onAnswered?.(),
      (error: unknown) => {
        onAnswered?.();
        done();
        reject(error instanceof Error ? error : new Error(errorMessage(error)));
      },
    );
  });
}

interface Gate {
  /** Holds not yet released: 'status', 'camera', and one per prestarted camera. */
  readonly holds: Set<string>;
  readonly open: Promise<void>;
  release(hold: string): void;
}

interface Prestart {
  /** Undefined: the card started the stream itself. */
  readonly stream: Promise<MediaStream> | undefined;
  /** Taken by a card, or given up on (removed): either way no card may take it any more. */
  settled: boolean;
  /** Stops the stand-in player, if there is one (unless a card adopted it). */
  release: () => void;
  /** The stand-in player once the track arrived, until a card adopts it (adoptPlayer). */
  player?: HTMLVideoElement;
}

const gates = new WeakMap<RobotClient, Gate>();
const prestarts = new WeakMap<RobotClient, Map<string, Prestart>>();
/**
 * Per connection with a prestarted stream: settles once the card that adopted its player showed its
 * first frame (see cardsTurn).
 */
const videoShown = new WeakMap<
  RobotClient,
  { readonly settled: Promise<void>; readonly settle: () => void }
>();

/**
 * When the other cards of this connection may be made: once the card of the stream asked for at
 * connecting has adopted its player and shown its first frame (or the stream failed), at most
 * START_CAP_MS after it was asked for. Making a screenful of cards meanwhile keeps the main thread
 * from the stream's renegotiation, the camera card's first draw and its first frame. Undefined when
 * no stream was asked for: nothing to wait for.
 */
export function cardsTurn(client: RobotClient): Promise<void> | undefined {
  return videoShown.get(client)?.settled;
}

/**
 * Resolves once this connection's start-up is over: its first calls may go (firstTurn) and the
 * stream asked for at connecting, if any, is shown (cardsTurn); at most START_CAP_MS after each
 * began. For what no first screen needs (the cloud, panels), so it does not compete with the video.
 */
export function videoStarted(client: RobotClient): Promise<void> {
  // The gate opens only once the dashboard decided on a camera: a prestart, if any, exists by then.
  return firstTurn(client).then(() => cardsTurn(client));
}

/** The connection's start-up gate, made at its first mention (the dashboard's, on connecting). */
function gateFor(client: RobotClient): Gate {
  const existing = gates.get(client);
  if (existing) return existing;
  // 'camera' until the dashboard has decided whether a camera asks for its stream first: without
  // it, calls could slip out between the status's answer and that decision.
  const holds = new Set<string>(['status', 'camera']);
  let opened = false;
  let openNow: () => void = () => undefined;
  const open = new Promise<void>((resolve) => (openNow = resolve));
  const finish = () => {
    if (opened) return;
    opened = true;
    clearTimeout(cap);
    holds.clear();
    openNow();
  };
  const cap = setTimeout(finish, START_CAP_MS);
  const gate: Gate = {
    holds,
    open,
    release(hold) {
      holds.delete(hold);
      if (holds.size === 0) finish();
    },
  };
  gates.set(client, gate);
  return gate;
}

/** Resolves when this connection's first calls may go: the stream and status answered, or the cap. */
export function firstTurn(client: RobotClient): Promise<void> {
  return gateFor(client).open;
}

/** The dashboard decided which camera, if any, asks for its stream first on this connection. */
export function cameraDecided(client: RobotClient): void {
  gateFor(client).release('camera');
}

/** The machine answered (or refused) the first GetMachineStatus on this connection. */
export function statusAnswered(client: RobotClient): void {
  gateFor(client).release('status');
}

/**
 * Asks for `camera`'s stream now, ahead of the cards' first calls, for the card that will show it to
 * take with `claimStream`. At most once per camera and connection; a stream no card takes is
 * removed after UNCLAIMED_MS.
 */
export function prestartStream(client: RobotClient, camera: string): void {
  const mine = prestarts.get(client) ?? new Map<string, Prestart>();
  prestarts.set(client, mine);
  if (mine.has(camera)) return;
  const gate = gateFor(client);
  const hold = `stream:${camera}`;
  gate.holds.add(hold);
  const streams = streamClientFor(client);
  const stream = openStream(streams, camera, STREAM_TIMEOUT_MS, () => gate.release(hold));
  const entry: Prestart = { stream, settled: false, release: () => undefined };
  mine.set(camera, entry);
  if (!videoShown.has(client)) {
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    setTimeout(settle, START_CAP_MS);
    videoShown.set(client, { settled, settle });
  }
  stream.catch(() => videoShown.get(client)?.settle());
  // The browser decodes a track only once something plays it, and then from its next keyframe,
  // which may be a second away: a stand-in player takes the stream's opening keyframe. The card that
  // takes the stream adopts the player itself (adoptPlayer), so its first frame is already there
  // when the card is drawn; not adopted, it is let go after the handover.
  stream.then(
    (media) => {
      const player = document.createElement('video');
      player.muted = true;
      player.playsInline = true;
      player.srcObject = media;
      player.play().catch(() => undefined);
      entry.player = player;
      entry.release = () => {
        if (entry.player !== player) return; // adopted: the card's now
        entry.player = undefined;
        player.pause();
        player.srcObject = null;
      };
      if (entry.settled) setTimeout(entry.release, HANDOVER_MS);
    },
    () => undefined, // a card that claims it gets the rejection
  );
  setTimeout(() => {
    if (entry.settled) return;
    entry.settled = true;
    entry.release();
    stream.then(
      () => streams.remove(camera).catch(() => undefined),
      () => undefined,
    );
  }, UNCLAIMED_MS);
}

/** Whether `cameraKey`'s card would show a stream now: the tab is visible, the camera not set to images. */
export function streamWanted(store: StorageLike | undefined, machineKey: string, cameraKey: string): boolean {
  return (
    document.visibilityState === 'visible' &&
    readPref(store, prefKey(machineKey, cameraKey, 'view')) !== 'images'
  );
}

/**
 * The drive view's camera, asked for the moment the console takes the connection when this browser
 * remembers the drive view on for the machine: before the console is drawn (the dashboard's own
 * call for the same camera, once it has read the same layout, then does nothing twice).
 */
export function prestartRemembered(
  client: RobotClient,
  machineKey: string,
  store: StorageLike | undefined,
): void {
  if (!store) return;
  const camera = rememberedCamera(loadDriveLayout(store, machineKey));
  if (camera !== undefined && streamWanted(store, machineKey, camera))
    prestartStream(client, nameOfKey(camera));
}

/**
 * The stand-in player of the stream prestarted for `camera`, playing `stream`, for the card that
 * claimed that stream to show in place of its own <video>: its decoder has run since the track
 * arrived, so a frame is there the moment it is drawn. Once; undefined when there is none.
 */
export function adoptPlayer(
  client: RobotClient,
  camera: string,
  stream: MediaStream,
): HTMLVideoElement | undefined {
  const entry = prestarts.get(client)?.get(camera);
  const player = entry?.player;
  if (!entry || !player || player.srcObject !== stream) return undefined;
  entry.player = undefined;
  // The other cards' turn, and the cloud's, comes once its first frame is on the screen (or
  // START_CAP_MS after the stream was asked for): made meanwhile, they held that frame back.
  const settle = () => videoShown.get(client)?.settle();
  if (typeof player.requestVideoFrameCallback === 'function') player.requestVideoFrameCallback(settle);
  else queueMicrotask(settle);
  return player;
}

/**
 * The stream prestarted for `camera` on this connection, once: the card that calls this owns it
 * from then on (and removes it when it leaves). Undefined when none was started or it was taken;
 * the caller then adds the stream itself, and no prestart follows on this connection.
 */
export function claimStream(client: RobotClient, camera: string): Promise<MediaStream> | undefined {
  const mine = prestarts.get(client) ?? new Map<string, Prestart>();
  prestarts.set(client, mine);
  const entry = mine.get(camera);
  if (!entry) {
    // The card starts this stream itself: a late prestart must not add it a second time.
    mine.set(camera, { stream: undefined, settled: true, release: () => undefined });
    return undefined;
  }
  if (entry.settled) return undefined;
  entry.settled = true;
  setTimeout(() => entry.release(), HANDOVER_MS);
  return entry.stream;
}
