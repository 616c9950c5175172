/**
 * What the drive view remembers: per machine, whether it is on and which cameras and base it shows;
 * per browser, the stale-video stop. Stored in localStorage (nothing secret); anything unreadable
 * is the default. Pure apart from the storage handed in.
 */

export interface DriveLayout {
  readonly on: boolean;
  /** Resource keys of the cameras shown, first = the one the operator drives by; at most 4. */
  readonly cameras: readonly string[];
  /** Resource key of the base driven, if chosen. */
  readonly base: string | undefined;
  /**
   * The camera the view last showed first, chosen or not: its stream is asked for the moment the
   * machine answers, before the resource list says which camera the view will show.
   */
  readonly lastCamera?: string;
}

export interface StaleVideoPrefs {
  /** Stop and lock driving when the drive camera's newest frame is older than `thresholdMs`. */
  readonly on: boolean;
  readonly thresholdMs: number;
}

export const MAX_DRIVE_CAMERAS = 4;
export const DEFAULT_STALE: StaleVideoPrefs = { on: true, thresholdMs: 500 };
export const STALE_LIMITS = { minMs: 100, maxMs: 5000 } as const;
const OFF: DriveLayout = { on: false, cameras: [], base: undefined };

const layoutKey = (machineKey: string) => `mc.drive:${machineKey}`;
const STALE_KEY = 'mc.stale-video';

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function read(store: Store, key: string): unknown {
  try {
    const raw = store.getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

function write(store: Store, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // Not remembered; this page keeps it.
  }
}

const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function sanitizeLayout(value: unknown): DriveLayout {
  const o = asRecord(value);
  const cameras = Array.isArray(o.cameras)
    ? [...new Set(o.cameras.filter((c): c is string => typeof c === 'string' && c.length <= 500))].slice(
        0,
        MAX_DRIVE_CAMERAS,
      )
    : [];
  const base = typeof o.base === 'string' && o.base.length <= 500 ? o.base : undefined;
  const lastCamera =
    typeof o.lastCamera === 'string' && o.lastCamera.length > 0 && o.lastCamera.length <= 500
      ? o.lastCamera
      : undefined;
  return { on: o.on === true, cameras, base, ...(lastCamera === undefined ? {} : { lastCamera }) };
}

export function sanitizeStale(value: unknown): StaleVideoPrefs {
  const o = asRecord(value);
  const t =
    typeof o.thresholdMs === 'number' && Number.isFinite(o.thresholdMs)
      ? o.thresholdMs
      : DEFAULT_STALE.thresholdMs;
  return {
    on: o.on !== false,
    thresholdMs: Math.round(Math.min(STALE_LIMITS.maxMs, Math.max(STALE_LIMITS.minMs, t))),
  };
}

export function loadDriveLayout(store: Store, machineKey: string): DriveLayout {
  const v = read(store, layoutKey(machineKey));
  return v === undefined ? OFF : sanitizeLayout(v);
}

export function saveDriveLayout(store: Store, machineKey: string, layout: DriveLayout): void {
  write(store, layoutKey(machineKey), sanitizeLayout(layout));
}

export function loadStale(store: Store): StaleVideoPrefs {
  const v = read(store, STALE_KEY);
  return v === undefined ? DEFAULT_STALE : sanitizeStale(v);
}

export function saveStale(store: Store, prefs: StaleVideoPrefs): void {
  write(store, STALE_KEY, sanitizeStale(prefs));
}

/** The camera whose stream a page with this layout asks for at connecting, if any. */
export function rememberedCamera(layout: DriveLayout): string | undefined {
  return layout.on ? (layout.cameras[0] ?? layout.lastCamera) : undefined;
}

/**
 * The cameras and base the view shows, from what the operator chose and what the machine has now:
 * chosen ones that are gone are dropped; with none left, the first camera and the first base.
 */
export function resolveDrive(
  layout: DriveLayout,
  cameraKeys: readonly string[],
  baseKeys: readonly string[],
): { cameras: string[]; base: string | undefined } {
  const cameras = layout.cameras.filter((k) => cameraKeys.includes(k));
  const base = layout.base !== undefined && baseKeys.includes(layout.base) ? layout.base : baseKeys[0];
  const first = cameraKeys[0];
  return { cameras: cameras.length > 0 ? cameras : first !== undefined ? [first] : [], base };
}

/** Whether the drive camera's newest frame is too old to drive by (no frame yet counts as stale). */
export function isStale(lastFrameAt: number | undefined, now: number, prefs: StaleVideoPrefs): boolean {
  if (!prefs.on) return false;
  return lastFrameAt === undefined || now - lastFrameAt > prefs.thresholdMs;
}
