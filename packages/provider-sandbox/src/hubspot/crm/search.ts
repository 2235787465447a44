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
import { propertyReader, renderObject } from './serialize';

/** Search never returns more than this many results per query; paging past it is a 400. */
export const SEARCH_RESULT_CAP = 10_000;
const MAX_LIMIT = 200;

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
  offset: number;
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
  const offset = raw.after === undefined || raw.after === null || raw.after === '' ? 0 : Number(raw.after);
  if (!Number.isInteger(offset) || offset < 0) return 'after must be a non-negative integer.';
  const properties = Array.isArray(raw.properties)
    ? raw.properties.filter((p): p is string => typeof p === 'string')
    : undefined;
  return { groups, sort, query, properties, limit, offset };
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
  /** The sort property's comparable value, computed once per object rather than per comparison. */
  key: number | string | null;
}

/** Default order is creation (ordinal) order; ties on the sort property fall back to it too. */
function sortMatches(matched: Match[], sort: Sort | undefined): Match[] {
  if (sort === undefined) return matched;
  return matched.sort((a, b) => {
    // Empty values sort last whatever the direction, as in HubSpot's UI.
    if (a.key === null || b.key === null)
      return a.key === b.key ? a.item.ordinal - b.item.ordinal : a.key === null ? 1 : -1;
    const order =
      typeof a.key === 'number' && typeof b.key === 'number'
        ? a.key - b.key
        : a.key < b.key
          ? -1
          : a.key > b.key
            ? 1
            : 0;
    return order === 0 ? a.item.ordinal - b.item.ordinal : sort.descending ? -order : order;
  });
}

export function runSearch(
  type: ObjectType,
  dataset: Dataset<HubSpotData>,
  request: SearchRequest,
): SearchResponseWire {
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
    matched.push({
      item,
      key: value === null || request.sort === undefined ? null : comparable(request.sort.propertyName, value),
    });
  }
  const sorted = sortMatches(matched, request.sort);
  const end = Math.min(request.offset + request.limit, SEARCH_RESULT_CAP);
  const results = sorted
    .slice(request.offset, end)
    .map(({ item }) => renderObject(type, item, request.properties));
  // The next cursor is handed out even at the cap, as HubSpot does: following it is the 400.
  const more = end < sorted.length;
  return { total: sorted.length, results, ...(more ? { paging: { next: { after: String(end) } } } : {}) };
}
