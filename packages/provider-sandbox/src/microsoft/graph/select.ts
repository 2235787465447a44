/**
 * `$select` projection. Graph always returns `id` (and `@odata.etag` where it applies) whatever
 * the selection (and OData annotations); names are matched case-insensitively, unknown names are ignored.
 */
export function parseSelect(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Message properties Graph returns only when `$select` names them
 * (https://learn.microsoft.com/graph/api/resources/message: uniqueBody, internetMessageHeaders).
 */
const SELECT_ONLY = ['uniqueBody', 'internetMessageHeaders'];

/**
 * The first `$select` name that is not a property of the entity, as Graph refuses it: 400
 * `RequestBroker--ParseUri` "Could not find a property named '…' on type 'microsoft.graph.…'."
 * (docs/providers/microsoft.md#message-content).
 */
export function unknownSelected(
  select: string[] | undefined,
  properties: readonly string[],
): string | undefined {
  const known = new Set(properties.map((p) => p.toLowerCase()));
  return select?.find((name) => !known.has(name.toLowerCase()));
}

export function project<T extends { id: string }>(
  item: T,
  select: string[] | undefined,
): Partial<T> & { id: string } {
  if (select === undefined) {
    if (!SELECT_ONLY.some((key) => key in item)) return item;
    const out: Record<string, unknown> = { ...item };
    for (const key of SELECT_ONLY) delete out[key];
    return out as Partial<T> & { id: string };
  }
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  const out: Record<string, unknown> = { id: item.id };
  for (const [key, value] of Object.entries(item)) {
    if (wanted.has(key.toLowerCase()) || key.startsWith('@')) out[key] = value;
  }
  return out as Partial<T> & { id: string };
}
