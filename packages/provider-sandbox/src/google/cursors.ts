import { createHash } from 'node:crypto';
import { type FastifyRequest } from 'fastify';
import { openCursor, sealCursor } from '../core/cursors';
import { type Account } from '../core/types';

/**
 * Google's page and sync tokens, sealed (src/core/cursors.ts): an edited, truncated or foreign token is refused with
 * the API's error instead of being read as another position (docs/providers/google.md#page-and-sync-tokens). Each
 * token is bound to the account it was minted for and, where Google documents that a page token only continues the
 * same query, to a fingerprint of that query.
 */
export type GoogleCursor =
  | 'gmail.messages.pageToken'
  | 'gmail.history.pageToken'
  | 'calendar.calendarList.syncToken'
  | 'calendar.events.pageToken'
  | 'calendar.events.syncToken'
  | 'people.connections.pageToken'
  | 'people.connections.syncToken'
  | 'tasks.tasklists.pageToken'
  | 'tasks.tasks.pageToken'
  | 'drive.changes.pageToken'
  | 'drive.files.pageToken';

/** Positions carried in a token: ordinals, sequence numbers. */
export type CursorFields = Record<string, number>;

interface Sealed {
  account: string;
  query: string;
  fields: CursorFields;
}

export function sealToken(purpose: GoogleCursor, account: Account, fields: CursorFields, query = ''): string {
  const sealed: Sealed = { account: account.id, query, fields };
  return sealCursor(`google.${purpose}`, sealed);
}

/** The token's fields, or undefined when it was not minted by this sandbox for this purpose, account and query. */
export function openToken(
  purpose: GoogleCursor,
  account: Account,
  token: string | undefined,
  query = '',
): CursorFields | undefined {
  const sealed = openCursor(`google.${purpose}`, token) as Partial<Sealed> | undefined;
  if (sealed?.account !== account.id || sealed.query !== query) return undefined;
  const fields = sealed.fields;
  if (typeof fields !== 'object' || fields === null) return undefined;
  return Object.values(fields).every(Number.isInteger) ? fields : undefined;
}

/**
 * A fingerprint of the request's query parameters other than `ignored` (the token parameters themselves, page sizes
 * where Google lets them change, and system parameters such as `fields`), so a page token only continues its query.
 */
export function queryFingerprint(request: FastifyRequest, ignored: readonly string[]): string {
  const params = Object.entries((request.query ?? {}) as Record<string, string | string[] | undefined>)
    .filter(([key, value]) => value !== undefined && !ignored.includes(key))
    .map(([key, value]) => [key, Array.isArray(value) ? [...value].sort() : [value]] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(params)).digest('base64url');
}
