import { z } from 'zod';
import { InvalidCursorError } from './errors';

/**
 * A position in one connection's rows of one kind: the (change_xid, id) of the last row served, and the mode it was
 * served in (a change feed includes deletions; `since` is the feed's starting time). Opaque to callers (base64url
 * JSON); it names no content, so it may be logged. Why (change_xid, id) is stable: docs/read-api.md, migration
 * 1765000000180.
 */
export interface Position {
  kind: string;
  connectionId: string;
  /** xid8 as decimal text: 64-bit, beyond a JS number. */
  xid: string;
  /** Row id (bigint) as decimal text. */
  id: string;
  feed: boolean;
  since: string | null;
}

const DECIMAL = /^\d{1,20}$/;

const cursorSchema = z.object({
  v: z.literal(1),
  k: z.string().min(1),
  c: z.string().min(1),
  x: z.string().regex(DECIMAL),
  i: z.string().regex(DECIMAL),
  f: z.boolean(),
  s: z.iso.datetime().nullable(),
});

/** The position before every row. */
export function startPosition(kind: string, connectionId: string, since: Date | null): Position {
  return { kind, connectionId, xid: '0', id: '0', feed: since !== null, since: since?.toISOString() ?? null };
}

export function encodeCursor(position: Position): string {
  const { kind: k, connectionId: c, xid: x, id: i, feed: f, since: s } = position;
  return Buffer.from(JSON.stringify({ v: 1, k, c, x, i, f, s }), 'utf8').toString('base64url');
}

/** Reads a cursor back; InvalidCursorError unless it is well formed and was issued for this kind and connection. */
export function decodeCursor(cursor: string, kind: string, connectionId: string): Position {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw new InvalidCursorError('the cursor is not one this API issued');
  const { k, c, x, i, f, s } = result.data;
  if (k !== kind || c !== connectionId)
    throw new InvalidCursorError(
      `the cursor was issued for other rows than ${kind} of connection ${connectionId}`,
    );
  return { kind: k, connectionId: c, xid: x, id: i, feed: f, since: s };
}
