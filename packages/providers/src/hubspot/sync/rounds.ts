import { ClassifiedProviderError, type SyncContinuation, type SyncPosition } from '@crm-sync/core';
import { parseInstant } from '../map';

/**
 * Where a HubSpot object round stands, carried in the continuation between pages (JSON; instants as epoch ms).
 *
 * - `list`: a full round paging the list API; `startedAt` (taken before the first page) becomes the cursor. It lists
 *   every live object, so the engine's sweep removes the rows of everything else: archived objects and permanent
 *   (GDPR) deletes, which HubSpot reports nowhere (docs/providers/hubspot.md#permanent-deletes).
 * - `search`: an incremental round, one fresh query per page (`modified GTE since`, ascending, no `after`), `since`
 *   moving to the last instant read; `tieAfterId` is set while paging one instant's objects by id, when a whole
 *   page shares it.
 * - `archived`: every round's last phase, listing archived objects to report those archived since `deletedSince`
 *   (0 after a full listing: all of them).
 * `nextCursor` is what the round ends with: the highest modified instant read, never below the cursor it began at.
 */
export type Round =
  | { phase: 'list'; startedAt: number; after: string | null }
  | { phase: 'search'; since: number; tieAfterId: string | null; deletedSince: number; nextCursor: number }
  | { phase: 'archived'; deletedSince: number; after: string | null; nextCursor: number };

/** The stored cursor is the watermark as an ISO instant. */
export function cursorOf(watermark: number): string {
  return new Date(watermark).toISOString();
}

/**
 * The watermark of a stored cursor. Cursors written while the syncer kept an id list in them
 * (`<watermark>|<last listing>|<ids>`) still read: the watermark is their first field, and the id list is no longer
 * needed, since periodic full rounds and the engine's sweep find permanent deletes.
 */
export function parseCursor(text: string | null): number | undefined {
  return parseInstant((text ?? '').split('|')[0])?.getTime();
}

/**
 * The round to run for a position: the continuation when there is one, else a new full or incremental round
 * (the engine turns an incremental position into a full one when a periodic full round is due). An unreadable
 * cursor or continuation cannot be resumed, so it is reported as `cursor_expired` (the engine then drops both and
 * starts a full round) rather than guessed at.
 */
export function roundFor(position: SyncPosition, now: Date, overlapMs: number): Round {
  if (position.continuation) {
    const round = parseRound(position.continuation);
    if (!round) throw expired('unreadable continuation');
    return round;
  }
  if (position.mode === 'full') return { phase: 'list', startedAt: now.getTime(), after: null };
  const watermark = parseCursor(position.cursor);
  if (watermark === undefined) throw expired('missing or unreadable cursor');
  const since = watermark - overlapMs;
  return { phase: 'search', since, tieAfterId: null, deletedSince: since, nextCursor: watermark };
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
  const { phase } = raw;
  if (phase === 'list' && isMs(raw.startedAt) && isCursor(raw.after)) {
    return { phase, startedAt: raw.startedAt, after: raw.after };
  }
  if (!isMs(raw.deletedSince) || !isMs(raw.nextCursor)) return undefined;
  const { deletedSince, nextCursor } = raw;
  if (phase === 'archived' && isCursor(raw.after))
    return { phase, deletedSince, after: raw.after, nextCursor };
  if (phase === 'search' && isMs(raw.since) && isCursor(raw.tieAfterId)) {
    return { phase, since: raw.since, tieAfterId: raw.tieAfterId, deletedSince, nextCursor };
  }
  return undefined;
}
