import { type DeltaQuery } from './deltaToken';
import { parseSelect, unknownSelected } from './select';

/**
 * The OData query options each delta endpoint honours; anything else is refused with a 400, as Graph refuses
 * `$search` and unsupported `$filter`/`$orderby` values on message delta (docs/providers/microsoft.md#delta-endpoints).
 */
export interface DeltaOptionRules {
  /** Resource name Graph uses in its error text, e.g. `Messages`. */
  resource: string;
  select: boolean;
  top: boolean;
  /** Message delta only: `$filter=receivedDateTime ge|gt {value}` and `$orderby=receivedDateTime desc`. */
  receivedDateTime: boolean;
  /** Most messages a `$filter`ed round serves (Graph: 5,000). */
  filterCap: number;
  /** With `select`: the entity's properties (`$select` of anything else is refused) and its OData type name. */
  properties?: { names: readonly string[]; type: string };
}

export type DeltaOptions = Pick<DeltaQuery, 'select' | 'receivedAfter' | 'newestFirst' | 'roundCap'>;

type Query = Record<string, string | undefined>;

const FILTER = /^\s*receivedDateTime\s+(ge|gt)\s+(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z)\s*$/i;
const ORDER = /^\s*receivedDateTime\s+desc\s*$/i;
/** Token and window parameters are not OData options to validate here. */
const NOT_OPTIONS = new Set(['$skiptoken', '$deltatoken', '$deltaToken']);

/** The round's options from the first request, or the message of the 400 Graph answers. */
export function parseDeltaOptions(
  query: Query,
  rules: DeltaOptionRules,
): DeltaOptions | string | { unknownProperty: string } {
  const given = Object.keys(query).filter((key) => key.startsWith('$') && !NOT_OPTIONS.has(key));
  const allowed = new Set([
    ...(rules.select ? ['$select'] : []),
    ...(rules.top ? ['$top'] : []),
    ...(rules.receivedDateTime ? ['$filter', '$orderby'] : []),
  ]);
  const refused = given.find((key) => !allowed.has(key));
  if (refused !== undefined)
    return `The query parameter '${refused}' is not supported with change tracking over the '${rules.resource}' resource.`;
  const options: DeltaOptions = { select: parseSelect(query.$select) };
  const unknown = rules.properties && unknownSelected(options.select, rules.properties.names);
  if (unknown !== undefined)
    return {
      unknownProperty: `Could not find a property named '${unknown}' on type '${rules.properties?.type}'.`,
    };
  if (query.$top !== undefined) {
    if (!/^\d+$/.test(query.$top) || Number(query.$top) < 1) return `Invalid $top value '${query.$top}'.`;
    options.roundCap = Number(query.$top);
  }
  if (query.$filter !== undefined) {
    const match = FILTER.exec(query.$filter);
    if (!match)
      return `The '$filter' parameter value is not supported for '${rules.resource}' resource; only a value of 'receivedDateTime ge value' is supported.`;
    options.receivedAfter = {
      inclusive: match[1]?.toLowerCase() === 'ge',
      ms: Date.parse(match[2] as string),
    };
    options.roundCap = Math.min(options.roundCap ?? rules.filterCap, rules.filterCap);
  }
  if (query.$orderby !== undefined) {
    if (!ORDER.test(query.$orderby))
      return `The '$orderby' parameter value is not supported for '${rules.resource}' resource; only a value of 'receivedDateTime desc' is supported.`;
    options.newestFirst = true;
  }
  return options;
}

/** Whether a message received at `receivedMs` passes the round's `$filter`. */
export function receivedInScope(query: DeltaQuery, receivedMs: number): boolean {
  const bound = query.receivedAfter;
  if (bound === undefined) return true;
  return bound.inclusive ? receivedMs >= bound.ms : receivedMs > bound.ms;
}
