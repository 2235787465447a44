import { ClassifiedProviderError, type SyncContinuation, type SyncPosition } from '@crm-sync/core';
import { parseInstant } from '../map';
import { decodeIds } from './ledger';

/**
 * Where a HubSpot object round stands, carried in the continuation between pages (JSON; instants as epoch ms).
 * `seen` is the encoded set (ledger.ts) of ids the round has delivered so far.
 *
 * - `list`: a full round paging the list API; `startedAt` (taken before the first page) becomes the cursor.
 * - `search`: an incremental round, one fresh query per page (`modified GTE since`, ascending, no `after`), `since`
 *   moving to the last instant read; `tieAfterId` is set while paging one instant's objects by id, when a whole
 *   page shares it.
 * - `archived`: every round's last phase, listing archived objects to report those archived since `deletedSince`
 *   (0 after a full round: all of them). `listed` says the round listed every live object, so ids the CRM holds
 *   and the list did not show are permanent deletes.
 * `nextCursor` is what the round ends with: the highest modified instant read, never below the cursor it began at.
 */
export type Round =
  | { phase: 'list'; startedAt: number; after: string | null; seen: string }
  | {
      phase: 'search';
      since: number;
      tieAfterId: string | null;
      deletedSince: number;
      nextCursor: number;
      seen: string;
    }
  | {
      phase: 'archived';
      deletedSince: number;
      after: string | null;
      nextCursor: number;
      seen: string;
      listed: boolean;
    };

/**
 * The stored cursor: the watermark, when the object ids were last all listed, and the ids the CRM table holds.
 * Text `<watermark ISO>|<listed ISO>|<ids>`; a bare ISO instant (a cursor written before the ids were kept) reads
 * as listed at the watermark with no ids known, so the next listing builds the set.
 */
export interface HubSpotCursor {
  watermark: number;
  listedAt: number;
  ids: ReadonlySet<number>;
}

export function cursorOf(cursor: { watermark: number; listedAt: number; ids: string }): string {
  return [iso(cursor.watermark), iso(cursor.listedAt), cursor.ids].join('|');
}

export function parseCursor(text: string | null): HubSpotCursor | undefined {
  const [watermark, listedAt, ids, ...rest] = (text ?? '').split('|');
  const at = parseInstant(watermark)?.getTime();
  if (at === undefined || rest.length > 0) return undefined;
  if (listedAt === undefined) return { watermark: at, listedAt: at, ids: new Set() };
  const listed = parseInstant(listedAt)?.getTime();
  const set = decodeIds(ids ?? '');
  return listed === undefined || set === undefined
    ? undefined
    : { watermark: at, listedAt: listed, ids: set };
}

export interface RoundTiming {
  overlapMs: number;
  /** How long after the last complete listing an incremental round lists everything again instead. */
  relistEveryMs: number;
}

/**
 * The round to run for a position: the continuation when there is one, else a new full or incremental round; an
 * incremental round becomes a full listing once the last one is `relistEveryMs` old, to find permanent deletes.
 * An unreadable cursor or continuation cannot be resumed, so it is reported as `cursor_expired` (the engine then
 * drops both and starts a full round) rather than guessed at.
 */
export function roundFor(position: SyncPosition, now: Date, timing: RoundTiming): Round {
  if (position.continuation) {
    const round = parseRound(position.continuation);
    if (!round) throw expired('unreadable continuation');
    return round;
  }
  const list: Round = { phase: 'list', startedAt: now.getTime(), after: null, seen: '' };
  if (position.mode === 'full') return list;
  const cursor = parseCursor(position.cursor);
  if (cursor === undefined) throw expired('missing or unreadable cursor');
  if (now.getTime() - cursor.listedAt >= timing.relistEveryMs) return list;
  const since = cursor.watermark - timing.overlapMs;
  return {
    phase: 'search',
    since,
    tieAfterId: null,
    deletedSince: since,
    nextCursor: cursor.watermark,
    seen: '',
  };
}

export function continuationOf(round: Round): SyncContinuation {
  return { ...round };
}

const iso = (ms: number) => new Date(ms).toISOString();

function expired(why: string): ClassifiedProviderError {
  return new ClassifiedProviderError({ kind: 'cursor_expired' }, `hubspot sync position: ${why}`);
}

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCursor = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isIds = (v: unknown): v is string => typeof v === 'string' && decodeIds(v) !== undefined;

function parseRound(raw: SyncContinuation): Round | undefined {
  const { phase, seen } = raw;
  if (!isIds(seen)) return undefined;
  if (phase === 'list' && isMs(raw.startedAt) && isCursor(raw.after)) {
    return { phase, startedAt: raw.startedAt, after: raw.after, seen };
  }
  if (!isMs(raw.deletedSince) || !isMs(raw.nextCursor)) return undefined;
  const { deletedSince, nextCursor } = raw;
  if (phase === 'archived' && isCursor(raw.after) && typeof raw.listed === 'boolean') {
    return { phase, deletedSince, after: raw.after, nextCursor, seen, listed: raw.listed };
  }
  if (phase === 'search' && isMs(raw.since) && isCursor(raw.tieAfterId)) {
    return { phase, since: raw.since, tieAfterId: raw.tieAfterId, deletedSince, nextCursor, seen };
  }
  return undefined;
}
