/**
 * The operator's card layout for one machine: order, collapsed and hidden cards. Pure helpers plus a
 * small storage adapter; stored per machine in localStorage (never anything secret).
 */

export interface LayoutPrefs {
  readonly order: readonly string[];
  readonly collapsed: readonly string[];
  readonly hidden: readonly string[];
}

export const EMPTY_LAYOUT: LayoutPrefs = { order: [], collapsed: [], hidden: [] };

const MAX_KEYS = 2000;

const storageKey = (machineKey: string) => `mc.layout.v1.${machineKey}`;

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.length < 500).slice(0, MAX_KEYS)
    : [];
}

export function parseLayout(text: string | null): LayoutPrefs {
  if (text === null) return EMPTY_LAYOUT;
  try {
    const json = JSON.parse(text) as Record<string, unknown> | null;
    if (typeof json !== 'object' || json === null) return EMPTY_LAYOUT;
    return {
      order: stringList(json['order']),
      collapsed: stringList(json['collapsed']),
      hidden: stringList(json['hidden']),
    };
  } catch {
    return EMPTY_LAYOUT;
  }
}

export function loadLayout(storage: Pick<Storage, 'getItem'> | undefined, machineKey: string): LayoutPrefs {
  try {
    return parseLayout(storage?.getItem(storageKey(machineKey)) ?? null);
  } catch {
    return EMPTY_LAYOUT; // storage may be blocked
  }
}

export function saveLayout(
  storage: Pick<Storage, 'setItem'> | undefined,
  machineKey: string,
  prefs: LayoutPrefs,
): void {
  try {
    storage?.setItem(storageKey(machineKey), JSON.stringify(prefs));
  } catch {
    // Full or blocked storage: the layout just isn't remembered.
  }
}

/** `keys` in the operator's order: known keys as arranged, new ones after them in their given order. */
export function orderKeys(keys: readonly string[], prefs: LayoutPrefs): string[] {
  const present = new Set(keys);
  // A stored order is not trusted to be free of repeats: each card appears once, where first named.
  const ordered = [...new Set(prefs.order)].filter((k) => present.has(k));
  const placed = new Set(ordered);
  return [...ordered, ...keys.filter((k) => !placed.has(k))];
}

/** Moves `key` by `delta` places among the visible `keys` (already ordered). */
export function moveKey(
  prefs: LayoutPrefs,
  keys: readonly string[],
  key: string,
  delta: number,
): LayoutPrefs {
  const order = orderKeys(keys, prefs);
  const from = order.indexOf(key);
  if (from < 0) return prefs;
  const to = Math.max(0, Math.min(order.length - 1, from + delta));
  if (to === from) return prefs;
  order.splice(from, 1);
  order.splice(to, 0, key);
  // Keep the place of keys not on this machine right now (a reconfigure may bring them back).
  const current = new Set(order);
  return { ...prefs, order: [...order, ...prefs.order.filter((k) => !current.has(k))] };
}

export function toggle(list: readonly string[], key: string, on: boolean): string[] {
  const without = list.filter((k) => k !== key);
  return on ? [...without, key] : without;
}
