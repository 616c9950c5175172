/**
 * Other operators on the same machine, as the machine's session list shows them: every live session
 * but this page's own. Pure. A client that starts no session (a script, an older console) is not
 * counted: the machine does not know it as an operator either.
 */

/** How many of the machine's sessions belong to other clients. */
export function otherClientCount(sessions: readonly { readonly id: string }[], ownSessionId: string): number {
  const others = new Set(sessions.map((s) => s.id).filter((id) => id !== '' && id !== ownSessionId));
  return others.size;
}

/** The header's words for it, or undefined when this page is alone. */
export function describeOtherClients(count: number | undefined): string | undefined {
  if (count === undefined || count <= 0 || !Number.isFinite(count)) return undefined;
  return count === 1 ? 'another client connected' : `${Math.floor(count)} other clients connected`;
}

/** The machine's sessions for the operations panel: unique, this page's first and marked. */
export function sessionList(
  sessions: readonly { readonly id: string }[],
  ownSessionId: string,
): { id: string; own: boolean }[] {
  const ids = [...new Set(sessions.map((s) => s.id).filter((id) => id !== ''))];
  return ids
    .map((id) => ({ id, own: id === ownSessionId && ownSessionId !== '' }))
    .sort((a, b) => Number(b.own) - Number(a.own) || a.id.localeCompare(b.id));
}
