import { ClassifiedProviderError, type SyncContinuation, type SyncPosition } from '@crm-sync/core';
import { parseInstant } from '../map';

/**
 * Where a HubSpot object round stands, carried in the continuation between pages (JSON; instants as epoch ms).
 *
 * - `list`: a full round paging the list API; `startedAt` (taken before the first page) becomes the cursor.
 * - `search`: an incremental round paging `modified GTE since` ascending. `after` pages within one query; before
 *   it would pass the 10,000-result cap a new query starts from the last value seen. `tieAfterId` is set while
 *   paging, by id, through more objects sharing one modified instant than one query can return.
 * - `archived`: every round's last phase, listing archived objects to report those archived since `deletedSince`
 *   (0 after a full round: all of them).
 * `nextCursor` is what the round ends with: the highest modified instant seen, never below the cursor it began at.
 */
export type Round =
  | { phase: 'list'; startedAt: number; after: string | null }
  | {
      phase: 'search';
      since: number;
      after: string | null;
      tieAfterId: string | null;
      deletedSince: number;
      nextCursor: number;
    }
  | { phase: 'archived'; deletedSince: number; after: string | null; nextCursor: number };

/**
 * The round to run for a position: the continuation when there is one, else a new full or incremental round.
 * An unreadable cursor or continuation cannot be resumed, so it is reported as `cursor_expired` (the engine then
 * drops both and starts a full round) rather than guessed at.
 */
export function roundFor(position: SyncPosition, now: Date, overlapMs: number): Round {
  if (position.continuation) {
    const round = parseRound(position.continuation);
    if (!round) throw expired('unreadable continuation');
    return round;
  }
  if (position.mode === 'full') return { phase: 'list', startedAt: now.getTime(), after: null };
  const cursor = parseInstant(position.cursor)?.getTime();
  if (cursor === undefined) throw expired('missing or unreadable cursor');
  const since = cursor - overlapMs;
  return { phase: 'search', since, after: null, tieAfterId: null, deletedSince: since, nextCursor: cursor };
}

/** The cursor stored when a round is caught up: an ISO instant, readable in `sync_states`. */
export function cursorOf(ms: number): string {
  return new Date(ms).toISOString();
}

export function continuationOf(round: Round): SyncContinuation {
  return { ...round };
}

function expired(why: string): ClassifiedProviderError {
  return new ClassifiedProviderError({ kind: 'cursor_expired' }, `hubspot sync position: ${why}`);
}

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCursor = (v: unknown): v is string | null => v === null || typeof v === 'string';

function parseRound(raw: SyncContinuation): Round | undefined {
  const { phase, after } = raw;
  if (!isCursor(after)) return undefined;
  if (phase === 'list' && isMs(raw.startedAt)) return { phase, startedAt: raw.startedAt, after };
  if (!isMs(raw.deletedSince) || !isMs(raw.nextCursor)) return undefined;
  const { deletedSince, nextCursor } = raw;
  if (phase === 'archived') return { phase, deletedSince, after, nextCursor };
  if (phase === 'search' && isMs(raw.since) && isCursor(raw.tieAfterId)) {
    return { phase, since: raw.since, after, tieAfterId: raw.tieAfterId, deletedSince, nextCursor };
  }
  return undefined;
}
