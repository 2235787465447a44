// Test-only: runs a syncer's rounds the way the engine does, for the syncer tests of every provider folder.
import {
  type CrmTableName,
  type ListedWindow,
  type RecordsByTable,
  type ResourceSyncer,
  type SyncPosition,
} from '@crm-sync/core';

export interface Round<T extends CrmTableName> {
  /** Each page's changes, in order (the engine applies a page's upserts, then its deletes). */
  pages: { upserts: RecordsByTable[T][]; deletes: string[] }[];
  upserts: RecordsByTable[T][];
  deletes: string[];
  cursor: string;
  /** Every continuation handed back, after a JSON round trip (what sync_states stores). */
  continuations: unknown[];
  /** What the last page says a windowed full round listed. */
  window?: ListedWindow;
}

export interface RoundOptions {
  accessToken: string;
  now: Date;
  initialWindowDays: number;
  /** Called after each page that is not the last, with the round so far. */
  afterPage?: (round: Round<CrmTableName>) => void;
}

/** Runs a round to its end the way the engine does: page by page, resuming only from what was stored. */
export async function runRound<T extends CrmTableName>(
  syncer: ResourceSyncer<T>,
  start: SyncPosition,
  options: RoundOptions,
): Promise<Round<T>> {
  const round: Round<T> = { pages: [], upserts: [], deletes: [], cursor: '', continuations: [] };
  let position = start;
  for (;;) {
    const page = await syncer.fetchPage({
      accessToken: options.accessToken,
      position,
      now: options.now,
      initialWindowDays: options.initialWindowDays,
    });
    round.pages.push({ upserts: page.upserts, deletes: page.deletes });
    round.upserts.push(...page.upserts);
    round.deletes.push(...page.deletes);
    if (page.next.kind === 'caught_up') {
      const { cursor, window } = page.next;
      return { ...round, cursor, ...(window && { window }) };
    }
    const stored = JSON.parse(JSON.stringify(page.next.continuation)) as SyncPosition['continuation'];
    round.continuations.push(stored);
    position = { ...position, continuation: stored };
    options.afterPage?.(round as unknown as Round<CrmTableName>);
  }
}

/** What a CRM table holds after the rounds' pages are applied in order, as the engine applies them. */
export function applyRounds<T extends CrmTableName>(rounds: Round<T>[]): Map<string, RecordsByTable[T]> {
  const table = new Map<string, RecordsByTable[T]>();
  for (const page of rounds.flatMap((round) => round.pages)) {
    for (const record of page.upserts) table.set(record.externalId, record);
    for (const id of page.deletes) table.delete(id);
  }
  return table;
}

export const FULL: SyncPosition = { mode: 'full', cursor: null, continuation: null };
export const incremental = (cursor: string): SyncPosition => ({
  mode: 'incremental',
  cursor,
  continuation: null,
});
