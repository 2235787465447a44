/**
 * Single-value extended properties (https://learn.microsoft.com/graph/api/resources/extended-properties-overview):
 * an id naming a MAPI property, `{type} {guid} Name {name}`, `{type} {guid} Id {hex}` or `{type} {hex tag}`, and a
 * string value. The sandbox keeps them with the item (never rendered: Graph returns them only when `$expand`ed) and
 * answers the documented `$filter` on them (docs/providers/microsoft.md#contact-and-event-writes).
 */
export interface ExtendedProperty {
  id: string;
  value: string;
}

const TYPE = '(?:String|Integer|Boolean|SystemTime|Binary|Long|Double|Guid)';
const GUID = '\\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}';
const PROPERTY_ID = new RegExp(`^${TYPE} (?:${GUID} (?:Name \\S.*|Id 0x[0-9a-fA-F]+)|0x[0-9a-fA-F]+)$`);

/** The properties a body sets, or why they are refused (the sandbox's wording). */
export function parseExtendedProperties(value: unknown): ExtendedProperty[] | string {
  if (!Array.isArray(value)) return 'singleValueExtendedProperties must be a collection.';
  const out: ExtendedProperty[] = [];
  for (const entry of value as Array<{ id?: unknown; value?: unknown }>) {
    if (typeof entry.id !== 'string' || !PROPERTY_ID.test(entry.id))
      return `The extended property id '${String(entry.id)}' is not valid.`;
    if (typeof entry.value !== 'string') return `The extended property '${entry.id}' needs a string value.`;
    out.push({ id: entry.id, value: entry.value });
  }
  return out;
}

/** Properties after a write: each given one added or replaced by id. */
export const mergeProperties = (
  before: ExtendedProperty[],
  given: ExtendedProperty[],
): ExtendedProperty[] => [...before.filter((p) => !given.some((g) => g.id === p.id)), ...given];

const FILTER =
  /^singleValueExtendedProperties\/Any\(\s*(\w+)\s*:\s*\1\/id eq '((?:[^']|'')*)' and \1\/value eq '((?:[^']|'')*)'\s*\)$/;

/** `$filter=singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')`; undefined for any other filter. */
export function parseExtendedFilter(filter: string): ExtendedProperty | undefined {
  const match = FILTER.exec(filter.trim());
  if (!match) return undefined;
  const unquote = (s: string) => s.replace(/''/g, "'");
  return { id: unquote(match[2] as string), value: unquote(match[3] as string) };
}

/** Whether an item holds the property: the name in the id is matched exactly, the value without case. */
export const holds = (properties: ExtendedProperty[] | undefined, wanted: ExtendedProperty): boolean =>
  (properties ?? []).some((p) => p.id === wanted.id && p.value.toLowerCase() === wanted.value.toLowerCase());
