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
 * - `links`: an incremental round's association pass, when one is due: pages the list API for ids only and reads
 *   every object's associations, since changing an association does not change an object's last-modified date
 *   (docs/providers/hubspot.md#associations-and-incremental-sync).
 * - `archived`: every round's last phase, listing archived objects to report those archived since `deletedSince`
 *   (0 after a full listing: all of them).
 * `nextCursor` is what the round ends with: the highest modified instant read, never below the cursor it began at;
 * `linksAt` is when the last association pass (or full round) that read every object's associations began.
 * `linksOf` (any phase) names the objects the previous page listed whose associations are still to be read: each page
 * reads them alongside its own request (sync/objects.ts), so a page costs one round trip rather than two.
 */
export type Round = RoundPhase & { linksOf?: string[] };

type RoundPhase =
  | { phase: 'list'; startedAt: number; after: string | null }
  | {
      phase: 'search';
      since: number;
      tieAfterId: string | null;
      deletedSince: number;
      nextCursor: number;
      linksAt: number;
      /** Set when this round ends with an association pass, to the time the round began. */
      linksPassAt: number | null;
    }
  | { phase: 'links'; after: string | null; deletedSince: number; nextCursor: number; linksAt: number }
  | { phase: 'archived'; deletedSince: number; after: string | null; nextCursor: number; linksAt: number };

/** The stored cursor: the watermark as an ISO instant, then `links=` the last association pass (epoch ms). */
export function cursorOf(watermark: number, linksAt: number): string {
  return `${new Date(watermark).toISOString()}|links=${linksAt}`;
}

/**
 * The watermark of a stored cursor. Cursors written while the syncer kept an id list in them
 * (`<watermark>|<last listing>|<ids>`) still read: the watermark is their first field, and the id list is no longer
 * needed, since periodic full rounds and the engine's sweep find permanent deletes.
 */
export function parseCursor(text: string | null): number | undefined {
  return parseInstant((text ?? '').split('|')[0])?.getTime();
}

/** When the cursor's last association pass began; 0 (long due) for cursors from before passes existed. */
export function linksPassOf(text: string | null): number {
  const field = (text ?? '').split('|').find((f) => f.startsWith('links='));
  const ms = Number(field?.slice('links='.length));
  return field !== undefined && Number.isSafeInteger(ms) ? ms : 0;
}

/**
 * The round to run for a position: the continuation when there is one, else a new full or incremental round
 * (the engine turns an incremental position into a full one when a periodic full round is due). An unreadable
 * cursor or continuation cannot be resumed, so it is reported as `cursor_expired` (the engine then drops both and
 * starts a full round) rather than guessed at.
 */
export function roundFor(
  position: SyncPosition,
  now: Date,
  overlapMs: number,
  linksPassEveryMs: number,
): Round {
  if (position.continuation) {
    const round = parseRound(position.continuation);
    if (!round) throw expired('unreadable continuation');
    return round;
  }
  if (position.mode === 'full') return { phase: 'list', startedAt: now.getTime(), after: null };
  const watermark = parseCursor(position.cursor);
  if (watermark === undefined) throw expired('missing or unreadable cursor');
  const since = watermark - overlapMs;
  const linksAt = linksPassOf(position.cursor);
  const linksPassAt = now.getTime() - linksAt >= linksPassEveryMs ? now.getTime() : null;
  return {
    phase: 'search',
    since,
    tieAfterId: null,
    deletedSince: since,
    nextCursor: watermark,
    linksAt,
    linksPassAt,
  };
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
  const phase = parsePhase(raw);
  const { linksOf } = raw;
  if (phase === undefined || linksOf === undefined) return phase;
  const ids = Array.isArray(linksOf) && linksOf.every((id): id is string => typeof id === 'string');
  return ids ? { ...phase, linksOf } : undefined;
}

function parsePhase(raw: SyncContinuation): RoundPhase | undefined {
  const { phase } = raw;
  if (phase === 'list' && isMs(raw.startedAt) && isCursor(raw.after)) {
    return { phase, startedAt: raw.startedAt, after: raw.after };
  }
  if (!isMs(raw.deletedSince) || !isMs(raw.nextCursor)) return undefined;
  // Continuations from before association passes carry no `linksAt`: 0, so the next round runs one.
  const linksAt = raw.linksAt === undefined ? 0 : raw.linksAt;
  if (!isMs(linksAt)) return undefined;
  const { deletedSince, nextCursor } = raw;
  if ((phase === 'archived' || phase === 'links') && isCursor(raw.after))
    return { phase, deletedSince, after: raw.after, nextCursor, linksAt };
  const linksPassAt = raw.linksPassAt === undefined ? null : raw.linksPassAt;
  if (
    phase === 'search' &&
    isMs(raw.since) &&
    isCursor(raw.tieAfterId) &&
    (linksPassAt === null || isMs(linksPassAt))
  ) {
    return {
      phase,
      since: raw.since,
      tieAfterId: raw.tieAfterId,
      deletedSince,
      nextCursor,
      linksAt,
      linksPassAt,
    };
  }
  return undefined;
}
