/**
 * A part's config history as GetRobotPartHistory reports it: when each config was saved and by
 * whom. A machine starts with a few past edits by its organization's people; every reconfigure
 * through the control API adds one, edited by an API key. Bounded.
 */
import { appApi } from '@viamrobotics/sdk';

const MAX_ENTRIES = 200;
const DAY = 86_400_000;

export interface HistoryEntry {
  when: number;
  editedBy: { type: appApi.AuthenticationType; value: string };
  revision: string;
}

export class PartHistory {
  private readonly entries: HistoryEntry[] = [];

  /** `editors`: emails of people in the machine's organization (the first made the machine) */
  constructor(createdOn: number, editors: readonly string[], lastBoot: number | undefined) {
    const who = (i: number): string => editors[i % Math.max(1, editors.length)] ?? 'admin@example.com';
    const oauth = appApi.AuthenticationType.WEB_OAUTH;
    this.entries.push({ when: createdOn, editedBy: { type: oauth, value: who(0) }, revision: 'created' });
    this.entries.push({
      when: createdOn + 3 * DAY + 3_600_000,
      editedBy: { type: oauth, value: who(1) },
      revision: 'edit-1',
    });
    if (lastBoot !== undefined && lastBoot - 2 * 3_600_000 > createdOn + 3 * DAY) {
      this.entries.push({
        when: lastBoot - 2 * 3_600_000,
        editedBy: { type: oauth, value: who(2) },
        revision: 'edit-2',
      });
    }
  }

  record(revision: string, when: number): void {
    this.entries.push({
      when,
      editedBy: { type: appApi.AuthenticationType.API_KEY, value: 'sim-control-api' },
      revision,
    });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(1, this.entries.length - MAX_ENTRIES);
  }

  /** Newest first. */
  list(): HistoryEntry[] {
    return [...this.entries].reverse();
  }
}
