import { type Dataset, type StoredItem } from '../../core/types';
import { type HubSpotData } from '../generate';
import { OBJECT_TYPES, type ObjectType } from '../schema';
import { type SearchResponseWire } from '../types';
import {
  comparable,
  type FilterGroups,
  matchesGroups,
  parseFilterGroups,
  type PropertyReader,
  SEARCH_LIMITS,
} from './filters';
import { openSearchAfter, queryFingerprint, type SearchKey, searchAfter } from './pageTokens';
import { propertyReader, renderObject } from './serialize';

/** Search never returns more than this many results per query; paging past it is a 400. */
export const SEARCH_RESULT_CAP = 10_000;
const MAX_LIMIT = 200;

/**
 * How a search `after` resumes. `offset`: at the position it names in the list as re-sorted now, as HubSpot's
 * numeric offsets do, so an object that moves behind the page (edited while sorted by last-modified) shifts the
 * rest forward and one is skipped. `keyset`: after the last result served, so nothing shifts. Which one HubSpot
 * does is third-party knowledge only, hence the choice (docs/providers/hubspot.md#paging-cursors).
 */
export type SearchPaging = 'offset' | 'keyset';

export interface SearchOptions {
  paging: SearchPaging;
  /** 10,000 at HubSpot; tests lower it to reach it quickly. */
  resultCap: number;
}

export const DEFAULT_SEARCH_OPTIONS: Readonly<SearchOptions> = {
  paging: 'offset',
  resultCap: SEARCH_RESULT_CAP,
};

interface Sort {
  propertyName: string;
  descending: boolean;
}

export interface SearchRequest {
  groups: FilterGroups;
  sort: Sort | undefined;
  query: string | undefined;
  properties: string[] | undefined;
  limit: number;
  after: string | undefined;
}

/** The SDK types `sorts` as strings (`"-createdate"`) while the docs show objects; take both. */
function parseSort(raw: unknown): Sort | string | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) return 'sorts must be an array';
  if (raw.length > 1) return 'Only one sort is supported.';
  const [first] = raw as unknown[];
  if (first === undefined) return undefined;
  if (typeof first === 'string') {
    return { propertyName: first.replace(/^-/, ''), descending: first.startsWith('-') };
  }
  const sort = first as { propertyName?: unknown; direction?: unknown };
  if (typeof sort.propertyName !== 'string') return 'sorts[0].propertyName is required';
  if (sort.direction !== undefined && sort.direction !== 'ASCENDING' && sort.direction !== 'DESCENDING') {
    return `Unknown sort direction: ${String(sort.direction)}`;
  }
  return { propertyName: sort.propertyName, descending: sort.direction === 'DESCENDING' };
}

/** Validates the body; a string is the VALIDATION_ERROR message. */
export function parseSearch(body: unknown): SearchRequest | string {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const groups = parseFilterGroups(raw.filterGroups);
  if (typeof groups === 'string') return groups;
  const sort = parseSort(raw.sorts);
  if (typeof sort === 'string') return sort;
  const query = typeof raw.query === 'string' && raw.query !== '' ? raw.query : undefined;
  if (query !== undefined && query.length > SEARCH_LIMITS.queryLength) return 'The query string is too long.';
  const limit = raw.limit === undefined ? 10 : Number(raw.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return `limit must be between 1 and ${MAX_LIMIT}.`;
  const after = typeof raw.after === 'string' && raw.after !== '' ? raw.after : undefined;
  const properties = Array.isArray(raw.properties)
    ? raw.properties.filter((p): p is string => typeof p === 'string')
    : undefined;
  return { groups, sort, query, properties, limit, after };
}

function textMatches(type: ObjectType, read: PropertyReader, query: string): boolean {
  const needle = query.toLowerCase();
  return OBJECT_TYPES[type].searchable.some((name) =>
    String(read(name) ?? '')
      .toLowerCase()
      .includes(needle),
  );
}

interface Match {
  item: StoredItem<HubSpotData>;
  /** The sort property's comparable value and the ordinal, computed once per object rather than per comparison. */
  key: SearchKey;
}

/**
 * Default order is creation (ordinal) order; ties on the sort property fall back to it too. Empty values sort last
 * whatever the direction, as in HubSpot's UI.
 */
function compareKeys(sort: Sort | undefined) {
  return ([a, aOrdinal]: SearchKey, [b, bOrdinal]: SearchKey): number => {
    if (sort === undefined || a === b) return aOrdinal - bOrdinal;
    if (a === null || b === null) return a === null ? 1 : -1;
    const order = typeof a === 'number' && typeof b === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0;
    return order === 0 ? aOrdinal - bOrdinal : sort.descending ? -order : order;
  };
}

function matching(type: ObjectType, dataset: Dataset<HubSpotData>, request: SearchRequest): Match[] {
  // Archived objects never appear in search.
  const live = dataset.page({
    limit: Number.MAX_SAFE_INTEGER,
    order: 'asc',
    filter: (item) => item.data.archivedAt === null,
  });
  const matched: Match[] = [];
  for (const item of live.items) {
    const read = propertyReader(type, item);
    if (!matchesGroups(request.groups, read)) continue;
    if (request.query !== undefined && !textMatches(type, read, request.query)) continue;
    const value = request.sort === undefined ? null : read(request.sort.propertyName);
    const key =
      value === null || request.sort === undefined ? null : comparable(request.sort.propertyName, value);
    matched.push({ item, key: [key, item.ordinal] });
  }
  const compare = compareKeys(request.sort);
  return matched.sort((a, b) => compare(a.key, b.key));
}

/** A page of results, or the VALIDATION_ERROR message for an `after` this query did not mint or one past the cap. */
export function runSearch(
  type: ObjectType,
  dataset: Dataset<HubSpotData>,
  request: SearchRequest,
  options: SearchOptions,
): SearchResponseWire | string {
  const query = queryFingerprint(type, [request.groups, request.sort, request.query]);
  const position =
    request.after === undefined ? { served: 0, last: undefined } : openSearchAfter(request.after, query);
  // Wording not documented [U]; status and category are (docs/providers/hubspot.md#paging-cursors).
  if (position === undefined) return `Invalid paging cursor: ${request.after}`;
  if (position.served >= options.resultCap)
    return `Cannot page past ${options.resultCap} results; narrow the query instead.`;
  const sorted = matching(type, dataset, request);
  const compare = compareKeys(request.sort);
  const { last } = position;
  const found =
    last === undefined
      ? 0
      : options.paging === 'offset'
        ? position.served
        : sorted.findIndex((m) => compare(m.key, last) > 0);
  const start = found === -1 ? sorted.length : found;
  const page = sorted.slice(start, start + Math.min(request.limit, options.resultCap - position.served));
  const results = page.map(({ item }) => renderObject(type, item, request.properties));
  const tail = page.at(-1);
  // The next cursor is handed out even at the cap, as HubSpot does: following it is the 400.
  const next =
    tail !== undefined && start + page.length < sorted.length
      ? searchAfter({ query, served: position.served + page.length, last: tail.key })
      : undefined;
  return {
    total: sorted.length,
    results,
    ...(next === undefined ? {} : { paging: { next: { after: next } } }),
  };
}
