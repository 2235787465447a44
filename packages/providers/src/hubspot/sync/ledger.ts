/**
 * The set of object ids the CRM table holds for one type, as crm-sync wrote them (HubSpot reports no permanent
 * delete, so the full round compares this set with what it lists: docs/providers/hubspot.md#permanent-deletes).
 * Kept compact inside cursors and continuations: sorted runs of consecutive ids, each as `<gap>` or
 * `<gap>+<length-1>` in base 36 (gap from the end of the previous run), comma-separated. HubSpot ids are numeric.
 */
export type IdSet = ReadonlySet<number>;

export function encodeIds(ids: Iterable<number>): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: string[] = [];
  let previousEnd = 0;
  for (let i = 0; i < sorted.length;) {
    const start = sorted[i] as number;
    let end = start;
    while (sorted[i + 1] === end + 1) end = sorted[++i] as number;
    i += 1;
    const length = end - start;
    runs.push(`${(start - previousEnd).toString(36)}${length > 0 ? `+${length.toString(36)}` : ''}`);
    previousEnd = end;
  }
  return runs.join(',');
}

/** The ids of an encoded set, or undefined when the text is not one. */
export function decodeIds(text: string): Set<number> | undefined {
  const ids = new Set<number>();
  if (text === '') return ids;
  let previousEnd = 0;
  for (const run of text.split(',')) {
    const match = /^([0-9a-z]+)(?:\+([0-9a-z]+))?$/.exec(run);
    if (!match) return undefined;
    const start = previousEnd + parseInt(match[1] as string, 36);
    const end = start + (match[2] === undefined ? 0 : parseInt(match[2], 36));
    if (!Number.isSafeInteger(end)) return undefined;
    for (let id = start; id <= end; id++) ids.add(id);
    previousEnd = end;
  }
  return ids;
}

/** Numeric object ids only; anything else cannot be a HubSpot object id and is left out. */
export function numericIds(ids: Iterable<string>): number[] {
  return [...ids].filter((id) => /^\d{1,15}$/.test(id)).map(Number);
}
