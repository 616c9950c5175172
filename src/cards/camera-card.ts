import { ContextConsumer } from '@lit/context';
import { CameraClient, type RobotClient, type StreamClient } from '@viamrobotics/sdk';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { connectionContext, machineKeyContext, robotClientContext } from '../contexts.ts';
import { PollController } from '../controllers/poll-controller.ts';
import { FullscreenController } from '../controllers/fullscreen.ts';
import {
  adoptPlayer,
  claimStream,
  openStream,
  STREAM_TIMEOUT_MS,
  streamClientFor,
} from '../controllers/video-first.ts';
import {
  isDisplayable,
  pickImage,
  pixelAt,
  resolutionLabel,
  snapshotFileName,
  sourceNames,
} from '../lib/camera.ts';
import { localStore, prefKey, readPref, writePref } from '../lib/card-prefs.ts';
import { methodSupport, UNSUPPORTED } from '../lib/method-support.ts';
import { FrameMeter } from '../lib/frame-meter.ts';
import { timestampMs, type Resource } from '../lib/resources.ts';
import { errorMessage } from '../lib/summarize.ts';
import { base } from '../styles/tokens.ts';
import { cardStyles, pollStatusStyles, renderPollStatus } from './poll-status.ts';
import { containUpdate, type CardElement } from './card-element.ts';
import { RefreshSetting, renderRefreshControl, senseStyles } from './sense-card.ts';
import { renderDoCommand } from './card-base.ts';
import { rawService } from './sdk-service.ts';

type Want = 'live' | 'images';
type Live =
  | { readonly phase: 'idle' }
  | { readonly phase: 'starting' }
  | { readonly phase: 'playing' }
  | { readonly phase: 'failed'; readonly reason: string };

interface Frame {
  readonly image: Uint8Array;
  readonly mimeType: string;
  readonly sourceName: string;
  /** Every source the camera offered the last time it was asked for all of them. */
  readonly sources: readonly string[];
  /** When the machine captured it (machine clock), if it said. */
  readonly capturedAt: number | undefined;
}

/** With a source chosen, still ask for every source now and then, to keep the picker current. */
const ALL_SOURCES_EVERY = 20;

interface SingleImage {
  readonly image: Uint8Array;
  readonly mimeType: string;
}
type GetImageClient = { getImage(request: { name: string }): Promise<SingleImage> };

/**
 * GetImage, which SDK 0.61.1 no longer wraps but older viam-servers and micro-RDK cameras serve
 * instead of GetImages: one image per call.
 */
function getImage(client: RobotClient, camera: string): Promise<SingleImage> {
  return (rawService(client, CameraClient) as GetImageClient).getImage({ name: camera });
}

/** A muted inline <video> for live view: `video`, or a new one. */
function liveVideo(video: HTMLVideoElement = document.createElement('video')): HTMLVideoElement {
  video.muted = true;
  video.playsInline = true;
  video.setAttribute('muted', '');
  video.setAttribute('playsinline', '');
  return video;
}

/**
 * A camera: live video over the machine's WebRTC connection when it allows, else images polled with
 * GetImages at the operator's rate; a source picker; FPS and frame age; snapshots. Nothing runs while
 * the tab is hidden or the card is off screen, and every object URL is revoked once replaced.
 */
export class CameraCard extends LitElement implements CardElement {
  static override properties = {
    resource: { attribute: false },
    protoService: { attribute: false },
    _want: { state: true },
    _live: { state: true },
    _source: { state: true },
    _src: { state: true },
    _snapshotError: { state: true },
    _resolutions: { state: true },
    _resolution: { state: true },
    _optionsResult: { state: true },
    _pixel: { state: true },
  };

  declare resource: Resource | undefined;
  declare protoService: string;
  declare _want: Want;
  declare _live: Live;
  declare _source: string;
  /** Object URL of the frame on show (image mode). */
  declare _src: string | undefined;
  declare _snapshotError: string | undefined;
  /** Stream resolutions the machine offers for this camera (empty: none offered, or not asked yet). */
  declare _resolutions: readonly { readonly width: number; readonly height: number }[];
  /** The one chosen, as `WxH`, or '' for the camera's default. */
  declare _resolution: string;
  declare _optionsResult: { readonly ok: boolean; readonly text: string } | undefined;
  /** The picture's pixel under the pointer. */
  declare _pixel: { readonly x: number; readonly y: number } | undefined;

  readonly #client = new ContextConsumer(this, {
    context: robotClientContext,
    subscribe: true,
    callback: () => this.#syncLive(),
  });
  readonly #connection = new ContextConsumer(this, {
    context: connectionContext,
    subscribe: true,
    callback: () => this.#syncLive(),
  });
  readonly #machine = new ContextConsumer(this, {
    context: machineKeyContext,
    subscribe: true,
    callback: () => this.#loadPrefs(),
  });
  readonly #refresh = new RefreshSetting(this, {
    resourceKey: () => this.resource?.key,
    fallback: '1000',
    onChange: () => this.#poll.intervalChanged(),
  });
  readonly #poll = new PollController<Frame>(this, {
    key: () => this.resource?.key ?? '',
    intervalMs: () => (this.#usingImages ? this.#refresh.intervalMs : null),
    task: (client) => this.#fetchFrame(client),
  });
  readonly #meter = new FrameMeter();
  readonly #fullscreen = new FullscreenController(this, () =>
    this.renderRoot.querySelector<HTMLElement>('.view'),
  );
  #pointer: { x: number; y: number } | undefined;
  #pointerFrame: number | undefined;
  #camera: { client: RobotClient; camera: CameraClient } | undefined;
  #polls = 0;
  #knownSources: readonly string[] = [];
  #seen: number | undefined;
  #frameAt: number | undefined;
  #capturedAt: number | undefined;
  #frame: Frame | undefined;
  #revoke: string[] = [];
  #prefsFor: string | undefined;
  // Live video.
  #liveClient: RobotClient | undefined;
  #liveGeneration = 0;
  /**
   * The live view. An element of its own rather than one in the template: the stream the page asked
   * for at connecting comes with a player already decoding it (adoptPlayer), which takes its place.
   */
  #videoEl = liveVideo();
  #failedClient: RobotClient | undefined;
  #onScreen = false;
  #attached = false;
  #observer: IntersectionObserver | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.protoService = '';
    this._want = 'live';
    this._live = { phase: 'idle' };
    this._resolutions = [];
    this._resolution = '';
    this._source = '';
  }

  /** A throw while rendering stays in this card: its frame shows why (see containUpdate). */
  protected override update(changed: PropertyValues): void {
    containUpdate(this, () => super.update(changed));
  }

  static override styles = [
    base,
    cardStyles,
    pollStatusStyles,
    senseStyles,
    css`
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2);
        align-items: center;
      }
      .view:fullscreen {
        border-radius: 0;
      }
      /* Inside the picture, so it is there in fullscreen too (the rest of the card is not). */
      .corner {
        position: absolute;
        top: var(--mc-space-2);
        right: var(--mc-space-2);
        font-size: 0.8rem;
        opacity: 0.85;
      }
      .view {
        position: relative;
        background: #000;
        border-radius: var(--mc-radius);
        overflow: hidden;
        aspect-ratio: 4 / 3;
        display: grid;
        place-items: center;
      }
      .view img,
      .view video {
        width: 100%;
        height: 100%;
        object-fit: contain;
        display: block;
      }
      .view [hidden] {
        display: none;
      }
      .overlay {
        position: absolute;
        left: var(--mc-space-2);
        bottom: var(--mc-space-2);
        background: rgb(0 0 0 / 65%);
        color: #fff;
        font-size: 0.75rem;
        font-variant-numeric: tabular-nums;
        padding: 2px 6px;
        border-radius: 4px;
      }
      .placeholder {
        color: #ccc;
        font-size: 0.85rem;
        padding: var(--mc-space-3);
        text-align: center;
        position: absolute;
      }
      .note {
        font-size: 0.8rem;
        color: var(--mc-text-muted);
        margin: var(--mc-space-1) 0 0;
        overflow-wrap: anywhere;
      }
    `,
  ];

  get #connected(): boolean {
    return this.#connection.value?.phase === 'connected' && this.#client.value !== undefined;
  }

  /** Images are polled when the operator wants them, or live video failed on this connection. */
  get #usingImages(): boolean {
    return (
      !this.#imagesUnsupported &&
      (this._want === 'images' ||
        this.#liveUnsupported ||
        (this.#failedClient !== undefined && this.#failedClient === this.#client.value))
    );
  }

  /**
   * The machine answered AddStream Unimplemented on this connection (no stream service, or none for
   * this camera): remembered page-wide, so neither this card nor a new one asks again.
   */
  get #liveUnsupported(): boolean {
    return methodSupport.unsupported(this.#client.value, this.resource?.key ?? '', 'AddStream');
  }

  /** The model answered GetImages Unimplemented on this connection: live video is all it offers. */
  get #imagesUnsupported(): boolean {
    return this.#poll.unsupported !== undefined;
  }

  get #video(): HTMLVideoElement | null {
    return this.#videoEl.getRootNode() === this.renderRoot ? this.#videoEl : null;
  }

  #loadPrefs(): void {
    const key = this.#prefKey('view');
    if (key === undefined || key === this.#prefsFor) return;
    this.#prefsFor = key;
    const store = localStore();
    const want = readPref(store, key);
    this._want = want === 'images' ? 'images' : 'live';
    const source = readPref(store, this.#prefKey('source') ?? '');
    this._source = typeof source === 'string' && source.length <= 100 ? source : '';
    this.#poll.intervalChanged();
    this.#syncLive();
  }

  #prefKey(name: string): string | undefined {
    const r = this.resource?.key;
    return r === undefined ? undefined : prefKey(this.#machine.value ?? '', r, name);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#attached = true;
    this.#loadPrefs();
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#observer = new IntersectionObserver((entries) => {
      const entry = entries.at(-1);
      if (!entry) return;
      this.#onScreen = entry.isIntersecting;
      this.#syncLive();
    });
    this.#observer.observe(this);
    this.#ticker = setInterval(() => {
      if (this._live.phase === 'playing' && document.visibilityState === 'visible') this.requestUpdate();
    }, 500);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#attached = false;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#observer?.disconnect();
    clearInterval(this.#ticker);
    this.#stopLive();
    for (const url of this.#revoke) URL.revokeObjectURL(url);
    this.#revoke = [];
    if (this._src) URL.revokeObjectURL(this._src);
    this._src = undefined;
  }

  readonly #onVisibility = (): void => this.#syncLive();

  /** Starts or stops the live stream to match what the page allows right now. */
  #syncLive(): void {
    const client = this.#client.value;
    const should =
      this.#attached &&
      (this._want === 'live' || this.#imagesUnsupported) &&
      this.#connected &&
      client !== undefined &&
      client !== this.#failedClient &&
      !this.#liveUnsupported &&
      document.visibilityState === 'visible' &&
      this.#onScreen &&
      this.resource !== undefined;
    if (should && this.#liveClient !== client) {
      this.#stopLive();
      void this.#startLive(client);
    } else if (!should && this.#liveClient !== undefined) {
      this.#stopLive();
    }
  }

  async #startLive(client: RobotClient): Promise<void> {
    const name = this.resource?.name ?? '';
    const generation = ++this.#liveGeneration;
    this.#liveClient = client;
    this._live = { phase: 'starting' };
    const streams = streamClientFor(client);
    try {
      // The dashboard may have asked for this stream already, the moment the machine answered.
      const stream = await (claimStream(client, name) ?? openStream(streams, name, STREAM_TIMEOUT_MS));
      if (generation !== this.#liveGeneration) return;
      const player = adoptPlayer(client, name, stream);
      if (player) {
        const old = this.#videoEl;
        old.pause();
        old.srcObject = null;
        this.#videoEl = liveVideo(player);
      }
      this._live = { phase: 'playing' };
      await this.updateComplete;
      const video = this.#video;
      if (!video) throw new Error('no video element');
      if (video.srcObject !== stream) video.srcObject = stream;
      this.#meter.reset();
      this.#countFrames(video, generation);
      void this.#loadResolutions(streams, name, generation);
      await video.play().catch(() => undefined); // muted autoplay is allowed; a refusal shows a still
    } catch (error: unknown) {
      // Learnt even when this attempt was superseded (the card scrolled away): an Unimplemented
      // AddStream must not be asked again when it comes back.
      const lacks = methodSupport.learn(client, this.resource?.key ?? '', 'AddStream', error);
      if (generation !== this.#liveGeneration) return;
      this.#liveClient = undefined;
      this.#failedClient = client;
      this._live = { phase: 'failed', reason: errorMessage(error) };
      if (!lacks) streams.remove(name).catch(() => undefined);
      this.#poll.intervalChanged();
    }
  }

  /** The stream resolutions the machine offers (the SDK answers [] when it offers none or fails). */
  async #loadResolutions(streams: StreamClient, name: string, generation: number): Promise<void> {
    const list = await streams.getOptions(name).catch(() => []);
    if (generation !== this.#liveGeneration) return;
    this._resolutions = list
      .filter((r) => r.width > 0 && r.height > 0)
      .slice(0, 20)
      .map((r) => ({ width: r.width, height: r.height }));
  }

  async #setResolution(value: string): Promise<void> {
    const client = this.#liveClient;
    const name = this.resource?.name ?? '';
    if (!client) return;
    const streams = streamClientFor(client);
    const chosen = this._resolutions.find((r) => resolutionLabel(r) === value);
    const previous = this._resolution;
    this._resolution = chosen ? value : '';
    try {
      if (chosen) await streams.setOptions(name, chosen.width, chosen.height);
      else await streams.resetOptions(name);
      this._optionsResult = {
        ok: true,
        text: chosen
          ? `Stream set to ${chosen.width}×${chosen.height}.`
          : 'Stream back to the camera’s default.',
      };
    } catch (error: unknown) {
      this._resolution = previous;
      // The select shows what the operator picked until told otherwise.
      await this.updateComplete;
      const select = this.renderRoot.querySelector<HTMLSelectElement>('[data-input="camera-resolution"]');
      if (select) select.value = previous;
      this._optionsResult = { ok: false, text: `The machine refused the resolution: ${errorMessage(error)}` };
    }
  }

  async #pictureInPicture(): Promise<void> {
    const video = this.#video;
    if (!video) return;
    try {
      if (document.pictureInPictureElement === video) await document.exitPictureInPicture();
      else await video.requestPictureInPicture();
    } catch (error: unknown) {
      this._optionsResult = { ok: false, text: `Picture in picture failed: ${errorMessage(error)}` };
    }
  }

  /** Pixel coordinates under the pointer, worked out once per frame however fast the pointer moves. */
  readonly #onPointerMove = (event: PointerEvent): void => {
    this.#pointer = { x: event.clientX, y: event.clientY };
    if (this.#pointerFrame !== undefined) return;
    this.#pointerFrame = requestAnimationFrame(() => {
      this.#pointerFrame = undefined;
      const p = this.#pointer;
      const video = this.#video;
      const img = this.renderRoot.querySelector<HTMLImageElement>('.view img');
      const shown = this._live.phase === 'playing' ? video : img;
      const w = shown instanceof HTMLVideoElement ? shown.videoWidth : (shown?.naturalWidth ?? 0);
      const h = shown instanceof HTMLVideoElement ? shown.videoHeight : (shown?.naturalHeight ?? 0);
      const pixel = p && shown ? pixelAt(p.x, p.y, shown.getBoundingClientRect(), w, h) : undefined;
      if (pixel?.x !== this._pixel?.x || pixel?.y !== this._pixel?.y) this._pixel = pixel;
    });
  };

  readonly #onPointerLeave = (): void => {
    this.#pointer = undefined;
    this._pixel = undefined;
  };

  #stopLive(): void {
    const client = this.#liveClient;
    this.#liveClient = undefined;
    this.#liveGeneration += 1;
    const video = this.#video;
    if (video) {
      video.pause();
      video.srcObject = null;
    }
    if (this._live.phase !== 'failed') this._live = { phase: 'idle' };
    this._resolutions = [];
    this._resolution = '';
    const name = this.resource?.name;
    if (
      client &&
      name !== undefined &&
      client === this.#client.value &&
      this.#connected &&
      !this.#liveUnsupported
    ) {
      streamClientFor(client)
        .remove(name)
        .catch(() => undefined); // the stream may already be gone with its peer
    }
  }

  /** The live view's element, labelled and shown or hidden as the template's elements are. */
  #liveView(name: string, playing: boolean): HTMLVideoElement {
    const video = this.#videoEl;
    video.setAttribute('aria-label', `Live video from ${name}`);
    video.hidden = !playing;
    return video;
  }

  #countFrames(video: HTMLVideoElement, generation: number): void {
    const onFrame = (now: number, metadata: VideoFrameCallbackMetadata) => {
      if (generation !== this.#liveGeneration) return;
      // A frame's age counts from when its last packet arrived, not from when it was shown: the
      // jitter buffer may hold frames for a while, and a picture that stopped arriving is stale
      // from then on (the drive view's stale-video stop reads this).
      const received = metadata.receiveTime;
      this.#meter.frame(typeof received === 'number' && received > 0 && received <= now ? received : now);
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  #retryLive(): void {
    this.#failedClient = undefined;
    this._live = { phase: 'idle' };
    this.#poll.intervalChanged();
    this.#syncLive();
  }

  #setWant(want: Want): void {
    this._want = want;
    const key = this.#prefKey('view');
    if (key !== undefined) writePref(localStore(), key, want);
    if (want === 'live') this.#failedClient = undefined;
    this.#poll.intervalChanged();
    this.#syncLive();
  }

  #setSource(source: string): void {
    this._source = source;
    const key = this.#prefKey('source');
    if (key !== undefined) writePref(localStore(), key, source);
    this.#poll.refresh();
  }

  async #fetchFrame(client: RobotClient): Promise<Frame> {
    if (this.#camera?.client !== client) {
      this.#camera = { client, camera: new CameraClient(client, this.resource?.name ?? '') };
    }
    const camera = this.#camera.camera;
    const key = this.resource?.key ?? '';
    const source = this._source;
    const all = source === '' || this.#polls % ALL_SOURCES_EVERY === 0 || this.#knownSources.length === 0;
    this.#polls += 1;
    const first = await methodSupport.call(client, key, 'GetImages', () =>
      camera.getImages(all ? [] : [source]),
    );
    if (first === UNSUPPORTED) return this.#fetchSingle(client, key);
    let response = first;
    if (!all && response.images.length === 0) response = await camera.getImages([]);
    if (all || response.images.length > 1) this.#knownSources = sourceNames(response.images);
    const image = pickImage(response.images, source);
    if (!image) throw new Error('the camera returned no image');
    return {
      image: image.image,
      mimeType: image.mimeType,
      sourceName: image.sourceName,
      sources: this.#knownSources,
      capturedAt: timestampMs(response.metadata.capturedAt),
    };
  }

  /** A camera without GetImages: GetImage, or, without that either, the poll ends for this connection. */
  async #fetchSingle(client: RobotClient, key: string): Promise<Frame> {
    const name = this.resource?.name ?? '';
    const single = await methodSupport.call(client, key, 'GetImage', () => getImage(client, name));
    if (single === UNSUPPORTED)
      throw new Error('this camera serves no images (GetImages and GetImage unimplemented)');
    return {
      image: single.image,
      mimeType: single.mimeType || 'image/jpeg',
      sourceName: name,
      sources: [],
      capturedAt: undefined,
    };
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('resource')) this.#loadPrefs();
    const at = this.#poll.updatedAt;
    const frame = this.#poll.value;
    if (at !== undefined && at !== this.#seen && frame) {
      this.#seen = at;
      this.#frame = frame;
      this.#frameAt = Date.now();
      this.#capturedAt = frame.capturedAt;
      this.#meter.frame(performance.now());
      if (isDisplayable(frame.mimeType)) {
        if (this._src) this.#revoke.push(this._src);
        this._src = URL.createObjectURL(
          new Blob([frame.image as Uint8Array<ArrayBuffer>], { type: frame.mimeType }),
        );
      }
    }
  }

  override updated(): void {
    // The <img> now points at the new URL; the old one has been drawn and is no longer needed.
    for (const url of this.#revoke) URL.revokeObjectURL(url);
    this.#revoke = [];
    // For tests and the curious: how many object URLs this card holds (at most the one on show).
    const view = this.renderRoot.querySelector<HTMLElement>('.view');
    if (view) view.dataset['objectUrls'] = String(this._src ? 1 : 0);
    this.#syncLive();
  }

  async #snapshot(): Promise<void> {
    this._snapshotError = undefined;
    const name = this.resource?.name ?? 'camera';
    try {
      let blob: Blob;
      if (this._live.phase === 'playing' && this.#video) {
        const video = this.#video;
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext('2d')?.drawImage(video, 0, 0);
        blob = await new Promise<Blob>((resolve, reject) =>
          canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no frame to capture'))), 'image/png'),
        );
      } else if (this.#frame) {
        blob = new Blob([this.#frame.image as Uint8Array<ArrayBuffer>], { type: this.#frame.mimeType });
      } else {
        throw new Error('no frame yet');
      }
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = snapshotFileName(name, new Date(), blob.type);
      a.click();
      // The download has its own copy once started.
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error: unknown) {
      this._snapshotError = `Snapshot failed: ${errorMessage(error)}`;
    }
  }

  /**
   * When the newest frame arrived (performance.now), in either mode; undefined before the first.
   * The drive view's stale-video stop reads it.
   */
  get lastFrameAt(): number | undefined {
    return this.#meter.lastAt;
  }

  /** Frames per second over the last two seconds. */
  get fps(): number {
    return this.#meter.fps(performance.now());
  }

  #overlay(): string {
    const now = performance.now();
    const fps = this.#meter.fps(now);
    const last = this.#meter.lastAt;
    let age: number | undefined;
    if (this._live.phase === 'playing') age = last === undefined ? undefined : now - last;
    else if (this.#frameAt !== undefined) {
      const captured = this.#capturedAt;
      const sinceCapture = captured === undefined ? undefined : Date.now() - captured;
      // Trust the machine's capture time unless the clocks plainly disagree.
      age =
        sinceCapture !== undefined && sinceCapture >= 0 && sinceCapture < 3_600_000
          ? sinceCapture
          : Date.now() - this.#frameAt;
    }
    const ageText =
      age === undefined ? '' : age < 1000 ? `${Math.round(age)} ms` : `${(age / 1000).toFixed(1)} s`;
    const pixel = this._pixel ? ` · x ${this._pixel.x}, y ${this._pixel.y}` : '';
    return `${fps.toFixed(1)} fps${ageText ? ` · frame age ${ageText}` : ''}${pixel}`;
  }

  override render() {
    const connected = this.#connected;
    const name = this.resource?.name ?? '';
    const live = this._live;
    const images = this.#usingImages;
    const playing = live.phase === 'playing' && !images;
    const mode = playing ? 'live' : images ? 'images' : 'starting';
    const sources = this.#poll.value?.sources ?? [];
    const frame = this.#poll.value;
    const hasFrame = playing || this._src !== undefined;
    return html`
      <div class="top">
        <div class="refresh" role="group" aria-label="Video">
          <label
            >View
            <select
              data-input="camera-view"
              @change=${(e: Event) => this.#setWant((e.target as HTMLSelectElement).value === 'images' ? 'images' : 'live')}
            >
              <option value="live" ?selected=${this._want === 'live'}>Live video</option>
              <option
                value="images"
                ?selected=${this._want === 'images'}
                ?disabled=${this.#imagesUnsupported}
              >
                ${this.#imagesUnsupported ? 'Images (not supported by this model)' : 'Images'}
              </option>
            </select></label
          >
          ${
            sources.length > 1
              ? html`<label
                  >Source
                  <select
                    data-input="camera-source"
                    @change=${(e: Event) => this.#setSource((e.target as HTMLSelectElement).value)}
                  >
                    ${sources.map((s) => html`<option value=${s} ?selected=${s === (this._source || frame?.sourceName)}>${s}</option>`)}
                  </select></label
                >`
              : nothing
          }
        </div>
        <div class="tools">
          ${
            playing && this._resolutions.length > 0
              ? html`<label
                  >Resolution
                  <select
                    data-input="camera-resolution"
                    @change=${(e: Event) => void this.#setResolution((e.target as HTMLSelectElement).value)}
                  >
                    <option value="" ?selected=${this._resolution === ''}>Camera default</option>
                    ${this._resolutions.map((r) => html`<option value=${resolutionLabel(r)} ?selected=${this._resolution === resolutionLabel(r)}>${r.width}×${r.height}</option>`)}
                  </select></label
                >`
              : nothing
          }
          ${
            playing && document.pictureInPictureEnabled
              ? html`<button data-action="pip" @click=${() => void this.#pictureInPicture()}>
                  Picture in picture
                </button>`
              : nothing
          }
          <button data-action="snapshot" ?disabled=${!hasFrame} @click=${() => void this.#snapshot()}>
            Snapshot
          </button>
        </div>
      </div>
      ${
        this._optionsResult
          ? html`<p
              class=${this._optionsResult.ok ? 'note' : 'result error'}
              role="status"
              data-options-result
            >
              ${this._optionsResult.text}
            </p>`
          : nothing
      }
      <div
        class="view"
        data-camera-mode=${mode}
        data-frames=${this.#meter.count}
        @pointermove=${this.#onPointerMove}
        @pointerleave=${this.#onPointerLeave}
      >
        ${this.#liveView(name, playing)}
        <img
          alt=${`Latest image from ${name}`}
          src=${this._src ?? ''}
          ?hidden=${playing || this._src === undefined}
        />
        ${
          !playing && this._src === undefined
            ? html`<p class="placeholder">
                ${!connected ? 'Not connected' : live.phase === 'starting' && !images ? 'Starting live video…' : images && this.#refresh.mode === 'off' ? 'Image polling is off' : 'Waiting for a frame…'}
              </p>`
            : nothing
        }
        ${hasFrame ? html`<span class="overlay" data-overlay aria-hidden="true">${this.#overlay()}</span>` : nothing}
        ${
          hasFrame
            ? html`<button
                class="corner"
                data-action="camera-fullscreen"
                @click=${() => void this.#fullscreen.toggle()}
              >
                ${this.#fullscreen.active ? 'Leave fullscreen' : 'Fullscreen'}
              </button>`
            : nothing
        }
      </div>
      ${
        live.phase === 'failed' && (this._want === 'live' || this.#imagesUnsupported)
          ? html`<p class="note" data-live-fallback>
              Live video unavailable
              (${live.reason})${this.#imagesUnsupported ? '' : '; showing images instead'}.
              <button ?disabled=${!connected} @click=${() => this.#retryLive()}>Try live again</button>
            </p>`
          : nothing
      }
      ${
        this.#liveUnsupported && live.phase !== 'failed'
          ? html`<p class="note" data-unsupported="AddStream">
              Live video is not supported by this machine.
            </p>`
          : nothing
      }
      ${
        this.#imagesUnsupported
          ? html`<p class="note" data-unsupported="GetImages">
              Images (GetImages) are not supported by this
              model${this._want === 'images' ? '; showing live video instead' : ''}.
            </p>`
          : nothing
      }
      ${frame && !isDisplayable(frame.mimeType) ? html`<p class="note">This browser cannot show ${frame.mimeType} images.</p>` : nothing}
      ${
        images
          ? html`<div class="row">
                ${renderRefreshControl(this.#refresh, this.#poll, { name, connected })}
              </div>
              ${renderPollStatus(this.#poll)}`
          : nothing
      }
      ${this._snapshotError ? html`<p class="result error" role="alert">${this._snapshotError}</p>` : nothing}
      ${renderDoCommand(this.resource, this.protoService)}
    `;
  }
}

customElements.define('camera-card', CameraCard);

declare global {
  interface HTMLElementTagNameMap {
    'camera-card': CameraCard;
  }
}
