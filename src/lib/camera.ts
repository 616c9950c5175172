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
