/**
 * What an operator chose on a card, remembered per machine and resource in localStorage: the refresh
 * rate, pin names typed into a board card, the camera source. Never anything secret; all bounded.
 */

export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/** How often a card polls. 'off' never polls; 'manual' polls only when asked. */
export type RefreshMode = 'off' | 'manual' | '500' | '1000' | '5000';

export const REFRESH_MODES: readonly { readonly mode: RefreshMode; readonly label: string }[] = [
  { mode: 'off', label: 'Off' },
  { mode: 'manual', label: 'Manual' },
  { mode: '500', label: '0.5 s' },
  { mode: '1000', label: '1 s' },
  { mode: '5000', label: '5 s' },
];

export function isRefreshMode(v: unknown): v is RefreshMode {
  return REFRESH_MODES.some((m) => m.mode === v);
}

/** The poll interval for a mode; null = no timed polls. */
export function intervalFor(mode: RefreshMode): number | null {
  return mode === 'off' || mode === 'manual' ? null : Number(mode);
}

/** The storage key of one preference of one resource on one machine. */
export function prefKey(machineKey: string, resourceKey: string, name: string): string {
  return `mc.card.v1.${machineKey}.${resourceKey}.${name}`;
}

export function readPref(storage: StorageLike | undefined, key: string): unknown {
  try {
    const text = storage?.getItem(key) ?? null;
    return text === null ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined; // blocked storage or a corrupt value: as if never set
  }
}

export function writePref(storage: StorageLike | undefined, key: string, value: unknown): void {
  try {
    storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or blocked storage: the choice just isn't remembered.
  }
}

export function loadRefreshMode(
  storage: StorageLike | undefined,
  key: string,
  fallback: RefreshMode,
): RefreshMode {
  const v = readPref(storage, key);
  return isRefreshMode(v) ? v : fallback;
}

/** A bounded most-recent-first list of short strings (pin names, sources). */
export function rememberString(list: readonly string[], value: string, limit = 12): string[] {
  const v = value.trim();
  if (v === '' || v.length > 100) return [...list];
  return [v, ...list.filter((x) => x !== v)].slice(0, limit);
}

export function stringList(v: unknown, limit = 50): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 100).slice(0, limit)
    : [];
}

/** The local storage, or undefined where it is blocked. */
export function localStore(): StorageLike | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
