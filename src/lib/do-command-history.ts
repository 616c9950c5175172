/**
 * The DoCommand console's memory for one resource: the commands sent (newest first, no repeats) and
 * the operator's favourites. Pure list logic plus parsing of what storage held; bounded.
 */

export const HISTORY_LIMIT = 20;
export const FAVOURITES_LIMIT = 20;
/** Commands larger than this are sent but not remembered. */
export const MAX_REMEMBERED_CHARS = 4000;

/** Canonical text of a command, so `{"a":1}` typed two ways is one entry. */
export function canonical(command: Record<string, unknown>): string {
  return JSON.stringify(command);
}

export function pushHistory(history: readonly string[], command: string, limit = HISTORY_LIMIT): string[] {
  if (command.length > MAX_REMEMBERED_CHARS) return [...history];
  return [command, ...history.filter((c) => c !== command)].slice(0, limit);
}

export function toggleFavourite(
  favourites: readonly string[],
  command: string,
  limit = FAVOURITES_LIMIT,
): string[] {
  if (favourites.includes(command)) return favourites.filter((c) => c !== command);
  if (command.length > MAX_REMEMBERED_CHARS) return [...favourites];
  return [command, ...favourites].slice(0, limit);
}

/** Only JSON-object strings survive: whatever else storage held is dropped. */
export function parseCommandList(value: unknown, limit: number): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const v of value) {
    if (typeof v !== 'string' || v.length > MAX_REMEMBERED_CHARS || out.includes(v)) continue;
    try {
      const parsed = JSON.parse(v) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) out.push(v);
    } catch {
      // not JSON: drop
    }
    if (out.length >= limit) break;
  }
  return out;
}

/** A one-line label for a remembered command. */
export function commandLabel(command: string, max = 60): string {
  return command.length > max ? `${command.slice(0, max - 1)}…` : command;
}
