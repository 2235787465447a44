import { DATE_PROPERTIES } from '../schema';

/**
 * Limits from HubSpot's search guide (docs/providers/hubspot.md#search-limits): 5 groups, 6 filters
 * a group, 18 in all.
 */
export const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 6, filtersTotal: 18, queryLength: 3000 } as const;

const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

export interface Filter {
  propertyName: string;
  operator: Operator;
  value: string | undefined;
  highValue: string | undefined;
  values: string[];
}

export type FilterGroups = Filter[][];

const scalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

function parseFilter(raw: unknown): Filter | string {
  if (typeof raw !== 'object' || raw === null) return 'filter must be an object';
  const f = raw as Record<string, unknown>;
  if (typeof f.propertyName !== 'string' || f.propertyName === '') return 'filter.propertyName is required';
  if (!OPERATORS.includes(f.operator as Operator)) return `Unknown filter operator: ${String(f.operator)}`;
  const values = Array.isArray(f.values)
    ? f.values.map(scalar).filter((v): v is string => v !== undefined)
    : [];
  return {
    propertyName: f.propertyName,
    operator: f.operator as Operator,
    value: scalar(f.value),
    highValue: scalar(f.highValue),
    values,
  };
}

/** Parses `filterGroups`; a string is the VALIDATION_ERROR message. */
export function parseFilterGroups(raw: unknown): FilterGroups | string {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return 'filterGroups must be an array';
  if (raw.length > SEARCH_LIMITS.groups)
    return `Too many filter groups: ${raw.length}. The maximum is ${SEARCH_LIMITS.groups}.`;
  const groups: FilterGroups = [];
  for (const group of raw as { filters?: unknown }[]) {
    const filters = Array.isArray(group?.filters) ? group.filters : [];
    if (filters.length > SEARCH_LIMITS.filtersPerGroup) {
      return `Too many filters in a filter group: ${filters.length}. The maximum is ${SEARCH_LIMITS.filtersPerGroup}.`;
    }
    const parsed = filters.map(parseFilter);
    const bad = parsed.find((f): f is string => typeof f === 'string');
    if (bad !== undefined) return bad;
    groups.push(parsed as Filter[]);
  }
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (total > SEARCH_LIMITS.filtersTotal)
    return `Too many filters: ${total}. The maximum is ${SEARCH_LIMITS.filtersTotal}.`;
  return groups;
}

/** A property's value; date properties may be read as epoch ms directly (no ISO round trip). */
export type PropertyValue = string | number | null;
export type PropertyReader = (name: string) => PropertyValue;

/** Dates compare as instants (epoch-ms strings or ISO); numbers as numbers; the rest as lowercase text. */
export function comparable(property: string, value: string | number): number | string {
  if (typeof value === 'number') return value;
  if (DATE_PROPERTIES.has(property)) return /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return value.toLowerCase();
}

function compare(property: string, actual: string | number, expected: string): number {
  const a = comparable(property, actual);
  const b = comparable(property, expected);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function tokenMatches(value: string | number, pattern: string): boolean {
  const actual = String(value);
  const regex = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return (
    actual
      .toLowerCase()
      .split(/[\s@.,;:_-]+/)
      .some((token) => regex.test(token)) || regex.test(actual.toLowerCase())
  );
}

function matches(filter: Filter, read: PropertyReader): boolean {
  const actual = read(filter.propertyName);
  if (filter.operator === 'HAS_PROPERTY') return actual !== null && actual !== '';
  if (filter.operator === 'NOT_HAS_PROPERTY') return actual === null || actual === '';
  if (filter.operator === 'NEQ')
    return actual === null || compare(filter.propertyName, actual, filter.value ?? '') !== 0;
  if (filter.operator === 'NOT_IN')
    return actual === null || !filter.values.some((v) => compare(filter.propertyName, actual, v) === 0);
  if (filter.operator === 'NOT_CONTAINS_TOKEN')
    return actual === null || !tokenMatches(actual, filter.value ?? '');
  if (actual === null) return false;
  const against = (v: string | undefined) => compare(filter.propertyName, actual, v ?? '');
  switch (filter.operator) {
    case 'EQ':
      return against(filter.value) === 0;
    case 'LT':
      return against(filter.value) < 0;
    case 'LTE':
      return against(filter.value) <= 0;
    case 'GT':
      return against(filter.value) > 0;
    case 'GTE':
      return against(filter.value) >= 0;
    case 'BETWEEN':
      return against(filter.value) >= 0 && against(filter.highValue) <= 0;
    case 'IN':
      return filter.values.some((v) => against(v) === 0);
    default:
      return tokenMatches(actual, filter.value ?? '');
  }
}

/** Groups are ORed, filters inside a group ANDed; no groups matches everything. */
export function matchesGroups(groups: FilterGroups, read: PropertyReader): boolean {
  return groups.length === 0 || groups.some((group) => group.every((filter) => matches(filter, read)));
}
