/**
 * Which camera the page will show on its first screen, worked out before any card is drawn, so its
 * stream can be asked for the moment the machine answers (see src/controllers/video-first.ts). Pure.
 */

export interface FirstScreenCard {
  readonly key: string;
  readonly api: string;
  readonly collapsed: boolean;
}

export interface FirstScreenGeometry {
  /** Width of the card grid, px. */
  readonly gridWidth: number;
  /** Where the grid starts below the top of the window, px. */
  readonly gridTop: number;
  /** The window's height, px. */
  readonly viewportHeight: number;
}

export const CAMERA_API = 'rdk:component:camera';

/** The dashboard's grid: columns of at least 22 rem (352 px) with 16 px gaps. */
const MIN_COLUMN_PX = 352;
const GAP_PX = 16;
/**
 * A card's height before it is drawn is not known; the rover's arm and base cards are about this tall
 * and most are shorter. Erring tall means a camera near the fold is left to start itself once seen
 * (as before) rather than streamed for nothing.
 */
export const ROW_ESTIMATE_PX = 460;
/** A collapsed card is its header alone. */
const COLLAPSED_ROW_PX = 56;

/**
 * The first camera among `cards` (in the order drawn, hidden ones left out) whose row is within the
 * window by the estimate above, or undefined.
 */
export function firstScreenCamera(
  cards: readonly FirstScreenCard[],
  geometry: FirstScreenGeometry,
): string | undefined {
  const columns = Math.max(1, Math.floor((geometry.gridWidth + GAP_PX) / (MIN_COLUMN_PX + GAP_PX)));
  let top = geometry.gridTop;
  for (let row = 0; row * columns < cards.length; row++) {
    if (top >= geometry.viewportHeight) return undefined;
    const inRow = cards.slice(row * columns, (row + 1) * columns);
    const height = inRow.every((c) => c.collapsed) ? COLLAPSED_ROW_PX : ROW_ESTIMATE_PX;
    // (A page scrolled down, as on a reconnect, has rows above the window.)
    const camera = inRow.find((c) => c.api === CAMERA_API && !c.collapsed);
    if (camera && top + height > 0) return camera.key;
    top += height + GAP_PX;
  }
  return undefined;
}

/** `namespace:type:subtype/name` -> name (a remote's `remote:name` is kept whole). */
export function nameOfKey(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(slash + 1);
}
