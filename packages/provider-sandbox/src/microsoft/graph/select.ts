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

export function project<T extends { id: string }>(
  item: T,
  select: string[] | undefined,
): Partial<T> & { id: string } {
  if (select === undefined) return item;
  const wanted = new Set(select.map((s) => s.toLowerCase()));
  const out: Record<string, unknown> = { id: item.id };
  for (const [key, value] of Object.entries(item)) {
    if (wanted.has(key.toLowerCase()) || key.startsWith('@')) out[key] = value;
  }
  return out as Partial<T> & { id: string };
}
