import { createHash } from 'node:crypto';
import { openCursor, sealCursor } from '../../core/cursors';
import { type ObjectType } from '../schema';

// `after` values are sealed (src/core/cursors.ts): an edited, truncated or foreign one is refused with a 400
// instead of being read as another position (docs/providers/hubspot.md#paging-cursors).

const LIST = 'hubspot.crm.list.after';
const SEARCH = 'hubspot.crm.search.after';

/** A list page token: the ordinal of the last object served, so edits and deletes never shift later pages. */
interface ListToken {
  type: ObjectType;
  archived: boolean;
  ordinal: number;
}

export function listAfter(token: ListToken): string {
  return sealCursor(LIST, token);
}

/** The last ordinal served, or undefined when the token was not minted for this type and `archived` value. */
export function openListAfter(raw: string, type: ObjectType, archived: boolean): number | undefined {
  const token = openCursor(LIST, raw) as Partial<ListToken> | undefined;
  if (token?.type !== type || token.archived !== archived || !Number.isInteger(token.ordinal))
    return undefined;
  return token.ordinal;
}

/** The sort key and ordinal of the last result served: the position a `keyset` search resumes after. */
export type SearchKey = [number | string | null, number];

/** A search page token: bound to one query (filters, sort, text), with how many results it has served. */
interface SearchToken {
  query: string;
  served: number;
  last: SearchKey;
}

/** Fingerprint of what a search selects and how it orders; `limit` and `properties` may change between pages. */
export function queryFingerprint(type: ObjectType, selection: unknown): string {
  return createHash('sha256').update(type).update(JSON.stringify(selection)).digest('base64url');
}

export function searchAfter(token: SearchToken): string {
  return sealCursor(SEARCH, token);
}

export function openSearchAfter(raw: string, query: string): Omit<SearchToken, 'query'> | undefined {
  const token = openCursor(SEARCH, raw) as Partial<SearchToken> | undefined;
  if (token?.query !== query || !Number.isInteger(token.served) || !Array.isArray(token.last))
    return undefined;
  const [key, ordinal] = token.last;
  const validKey = key === null || typeof key === 'number' || typeof key === 'string';
  if (!validKey || !Number.isInteger(ordinal)) return undefined;
  return { served: token.served as number, last: [key, ordinal] };
}
