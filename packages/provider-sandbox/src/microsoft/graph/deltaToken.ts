import { openCursor, sealCursor } from '../../core/cursors';

/**
 * Graph's `$skiptoken` / `$deltatoken` values. They are opaque to callers, so the sandbox keeps the whole round's
 * state inside them (query options are sent only on the first request), sealed (src/core/cursors.ts) so an edited or
 * foreign token is refused instead of read as another position (docs/providers/microsoft.md#delta-tokens).
 */

export interface DeltaQuery {
  /** Dataset the token belongs to, e.g. `messages:inbox`; a token replayed elsewhere is stale. */
  scope: string;
  accountId: string;
  select: string[] | undefined;
  window: { start: string; end: string } | undefined;
  /** Message delta's `$filter=receivedDateTime ge|gt {value}`, as epoch ms. */
  receivedAfter?: { inclusive: boolean; ms: number };
  /** `$orderby=receivedDateTime desc`: the initial round lists newest first. */
  newestFirst?: boolean;
  /** Most items the initial round serves (`$top`, and message delta's cap under `$filter`). */
  roundCap?: number;
}

/** A round in progress: the initial listing, or the replay of a change-log range resumed after a sequence. */
export type DeltaCursor =
  | { kind: 'initial'; until: number; afterOrdinal: number | undefined; served: number }
  | { kind: 'changes'; since: number; until: number; afterSeq: number };

export interface SkipState {
  query: DeltaQuery;
  cursor: DeltaCursor;
}

export interface DeltaState {
  query: DeltaQuery;
  since: number;
}

const SKIP = 'graph.skiptoken';
const DELTA = 'graph.deltatoken';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function encodeSkipToken(state: SkipState): string {
  return sealCursor(SKIP, state);
}

export function encodeDeltaToken(state: DeltaState): string {
  return sealCursor(DELTA, state);
}

/** Undefined for anything this sandbox did not mint as a skip token (edited, truncated, a delta token, junk). */
export function decodeSkipToken(token: string): SkipState | undefined {
  const raw = openCursor(SKIP, token);
  return isRecord(raw) && isRecord(raw.query) && isRecord(raw.cursor)
    ? (raw as unknown as SkipState)
    : undefined;
}

export function decodeDeltaToken(token: string): DeltaState | undefined {
  const raw = openCursor(DELTA, token);
  return isRecord(raw) && isRecord(raw.query) && typeof raw.since === 'number'
    ? (raw as unknown as DeltaState)
    : undefined;
}
