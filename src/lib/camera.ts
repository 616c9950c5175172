/** Pure helpers for the camera card: picking a source, naming snapshots, matching live streams. */

export interface ImageLike {
  readonly sourceName: string;
  readonly mimeType: string;
  readonly image: Uint8Array;
}

/** The image of `source`, or the first one when the source is gone or none was chosen. */
export function pickImage<T extends ImageLike>(images: readonly T[], source: string): T | undefined {
  return images.find((i) => i.sourceName === source) ?? images[0];
}

/** The distinct source names, in the machine's order. */
export function sourceNames(images: readonly ImageLike[]): string[] {
  return [...new Set(images.map((i) => i.sourceName))];
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** MIME types a browser can draw in an <img>. */
export function isDisplayable(mimeType: string): boolean {
  return mimeType in EXTENSIONS;
}

/** `cam-2026-01-31T12-00-05.png`: safe on every file system. */
export function snapshotFileName(camera: string, at: Date, mimeType: string): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replaceAll(':', '-');
  const safe = camera.replace(/[^A-Za-z0-9._-]+/g, '_') || 'camera';
  return `${safe}-${stamp}.${EXTENSIONS[mimeType] ?? 'bin'}`;
}

/** The MediaStream id a machine gives a camera's stream (':' is not allowed in an msid). */
export function streamIdFor(camera: string): string {
  return camera.replaceAll(':', '+');
}

/** Does a received stream belong to `camera`? */
export function isStreamOf(streamId: string, camera: string): boolean {
  return streamId === camera || streamId === streamIdFor(camera);
}

/**
 * The picture's pixel under a point, for a picture of `width`×`height` shown with object-fit:
 * contain in `box` (client coordinates). Undefined outside the picture (the letterbox bars) or when
 * the picture's size is not known yet.
 */
export function pixelAt(
  clientX: number,
  clientY: number,
  box: { readonly left: number; readonly top: number; readonly width: number; readonly height: number },
  width: number,
  height: number,
): { x: number; y: number } | undefined {
  if (!(width > 0) || !(height > 0) || !(box.width > 0) || !(box.height > 0)) return undefined;
  const scale = Math.min(box.width / width, box.height / height);
  const shownW = width * scale;
  const shownH = height * scale;
  const left = box.left + (box.width - shownW) / 2;
  const top = box.top + (box.height - shownH) / 2;
  const x = Math.floor((clientX - left) / scale);
  const y = Math.floor((clientY - top) / scale);
  if (!Number.isFinite(x) || !Number.isFinite(y) || x < 0 || y < 0 || x >= width || y >= height)
    return undefined;
  return { x, y };
}

/** A stream resolution as the select shows and takes it: `640x480`. */
export const resolutionLabel = (r: { readonly width: number; readonly height: number }): string =>
  `${r.width}x${r.height}`;
