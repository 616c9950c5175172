import { VisionClient, type RobotClient } from '@viamrobotics/sdk';
import { css, html, nothing, svg } from 'lit';
import { formatNumber } from '../lib/readings.ts';
import { SenseCard } from './sense-card.ts';

export interface Box {
  readonly label: string;
  readonly confidence: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface VisionFrame {
  readonly camera: string;
  readonly image: { readonly bytes: Uint8Array; readonly mimeType: string } | undefined;
  readonly boxes: readonly Box[];
}

interface DetectionLike {
  readonly xMin?: bigint;
  readonly yMin?: bigint;
  readonly xMax?: bigint;
  readonly yMax?: bigint;
  readonly confidence: number;
  readonly className: string;
}

/** Detections as boxes in image pixels; detections without a box, or with a nonsensical one, are dropped. */
export function toBoxes(detections: readonly DetectionLike[]): Box[] {
  const boxes: Box[] = [];
  for (const d of detections.slice(0, 200)) {
    if (d.xMin === undefined || d.yMin === undefined || d.xMax === undefined || d.yMax === undefined)
      continue;
    const [x0, y0, x1, y1] = [d.xMin, d.yMin, d.xMax, d.yMax].map(Number) as [number, number, number, number];
    if (![x0, y0, x1, y1].every(Number.isFinite) || x1 <= x0 || y1 <= y0) continue;
    boxes.push({
      label: d.className,
      confidence: d.confidence,
      x: x0,
      y: y0,
      width: x1 - x0,
      height: y1 - y0,
    });
  }
  return boxes;
}

/**
 * A vision service: detections from a camera drawn over that camera's frame (one CaptureAllFromCamera
 * per refresh, so image and boxes always match), with the count and best confidence plotted.
 */
export class VisionCard extends SenseCard<VisionFrame> {
  static override properties = {
    ...SenseCard.properties,
    _camera: { state: true },
    _cameras: { state: true },
  };
  declare _camera: string;
  declare _cameras: readonly string[];

  #sdk: { client: RobotClient; vision: VisionClient } | undefined;
  #camerasFor: RobotClient | undefined;
  #url: { frame: VisionFrame; url: string } | undefined;
  #size = { width: 0, height: 0 };

  constructor() {
    super();
    this._camera = '';
    this._cameras = [];
  }

  protected override async read(client: RobotClient): Promise<VisionFrame> {
    if (this.#sdk?.client !== client) {
      this.#sdk = { client, vision: new VisionClient(client, this.resource?.name ?? '') };
    }
    if (this.#camerasFor !== client) {
      this.#camerasFor = client;
      const names = await client.resourceNames();
      this._cameras = names.filter((n) => n.subtype === 'camera').map((n) => n.name);
    }
    const camera = this._camera || this._cameras[0] || '';
    if (camera === '') return { camera, image: undefined, boxes: [] };
    const result = await this.#sdk.vision.captureAllFromCamera(camera, {
      returnImage: true,
      returnDetections: true,
      returnClassifications: false,
      returnObjectPointClouds: false,
    });
    return {
      camera,
      image: result.image ? { bytes: result.image.image, mimeType: result.image.mimeType } : undefined,
      boxes: toBoxes(result.detections),
    };
  }

  protected override plotValues(frame: VisionFrame): Record<string, number> {
    return {
      detections: frame.boxes.length,
      'best confidence': frame.boxes.reduce((best, b) => Math.max(best, b.confidence), 0),
    };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#url) URL.revokeObjectURL(this.#url.url);
    this.#url = undefined;
  }

  /** One object URL per frame shown; the previous one is revoked, so memory stays flat. */
  #urlFor(frame: VisionFrame): string | undefined {
    if (!frame.image) return undefined;
    if (this.#url?.frame === frame) return this.#url.url;
    if (this.#url) URL.revokeObjectURL(this.#url.url);
    const url = URL.createObjectURL(
      new Blob([frame.image.bytes as BlobPart], { type: frame.image.mimeType || 'image/jpeg' }),
    );
    this.#url = { frame, url };
    return url;
  }

  static override styles = [
    ...SenseCard.styles,
    css`
      figure {
        position: relative;
        margin: var(--mc-space-2) 0;
        background: #000;
        aspect-ratio: 4 / 3;
        max-width: 100%;
      }
      figure img,
      figure svg {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      rect {
        fill: none;
        stroke: #22d3ee;
        stroke-width: 3;
        vector-effect: non-scaling-stroke;
      }
      text {
        fill: #22d3ee;
        font: 14px var(--mc-font);
        paint-order: stroke;
        stroke: #000;
        stroke-width: 3px;
      }
    `,
  ];

  protected override renderCommands() {
    return html`<div class="row">
      <label
        >Camera
        <select
          data-input="vision-camera"
          @change=${(e: Event) => {
            this._camera = (e.target as HTMLSelectElement).value;
            this.poll.refresh();
          }}
        >
          ${this._cameras.map((c) => html`<option value=${c} ?selected=${c === (this._camera || this._cameras[0])}>${c}</option>`)}
        </select></label
      >
    </div>`;
  }

  protected override renderValues(frame: VisionFrame) {
    const url = this.#urlFor(frame);
    const { width, height } = this.#size;
    return html`
      ${
        url
          ? html`<figure>
              <img
                src=${url}
                alt=${`Frame from ${frame.camera} with ${frame.boxes.length} detections`}
                @load=${(e: Event) => {
                  const img = e.target as HTMLImageElement;
                  if (img.naturalWidth !== width || img.naturalHeight !== height) {
                    this.#size = { width: img.naturalWidth, height: img.naturalHeight };
                    this.requestUpdate();
                  }
                }}
              />
              ${
                width > 0
                  ? html`<svg
                      viewBox="0 0 ${width} ${height}"
                      preserveAspectRatio="xMidYMid meet"
                      aria-hidden="true"
                      data-overlay
                    >
                      ${frame.boxes.map(
                        (b) =>
                          svg`<rect x=${b.x} y=${b.y} width=${b.width} height=${b.height}></rect>
                        <text x=${b.x + 4} y=${Math.max(14, b.y - 4)}>${b.label} ${formatNumber(b.confidence * 100)}%</text>`,
                      )}
                    </svg>`
                  : nothing
              }
            </figure>`
          : html`<p>No image from ${frame.camera || 'a camera'}.</p>`
      }
      <ul data-detections aria-label="Detections">
        ${frame.boxes.map(
          (b) =>
            html`<li data-detection=${b.label}>
              ${b.label}: ${formatNumber(b.confidence * 100)}% at (${b.x}, ${b.y}) ${b.width}×${b.height}
            </li>`,
        )}
      </ul>
      ${frame.boxes.length === 0 ? html`<p>No detections.</p>` : nothing}
    `;
  }
}

customElements.define('vision-card', VisionCard);

declare global {
  interface HTMLElementTagNameMap {
    'vision-card': VisionCard;
  }
}
