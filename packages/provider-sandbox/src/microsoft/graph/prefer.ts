/** The `Prefer` preferences Graph honours on delta queries. */
export interface GraphPreferences {
  maxPageSize: number | undefined;
  immutableIds: boolean;
  /** `outlook.body-content-type`: bodies converted to text or HTML (docs/providers/microsoft.md#delta-endpoints). */
  bodyContentType?: 'text' | 'html';
}

/**
 * Parses a `Prefer` header such as `odata.maxpagesize=50, IdType="ImmutableId"`. Unknown
 * preferences are ignored, as Graph does; a malformed page size counts as absent.
 */
export function parsePrefer(header: string | string[] | undefined): GraphPreferences {
  const parts = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  let maxPageSize: number | undefined;
  let immutableIds = false;
  let bodyContentType: GraphPreferences['bodyContentType'];
  for (const part of parts) {
    const [rawName, rawValue = ''] = part.split('=', 2).map((s) => s.trim());
    const name = (rawName ?? '').toLowerCase();
    const value = rawValue.replace(/^"|"$/g, '');
    if (name === 'odata.maxpagesize' && /^\d+$/.test(value) && Number(value) > 0) {
      maxPageSize = Number(value);
    } else if (name === 'idtype' && value.toLowerCase() === 'immutableid') {
      immutableIds = true;
    } else if (name === 'outlook.body-content-type' && ['text', 'html'].includes(value.toLowerCase())) {
      bodyContentType = value.toLowerCase() as 'text' | 'html';
    }
  }
  return { maxPageSize, immutableIds, ...(bodyContentType ? { bodyContentType } : {}) };
}

/** Header value that tells the caller which preferences were applied. */
export function preferenceApplied(prefs: GraphPreferences, pageSize: number): string {
  const applied = [`odata.maxpagesize=${pageSize}`];
  if (prefs.immutableIds) applied.push('IdType="ImmutableId"');
  if (prefs.bodyContentType) applied.push(`outlook.body-content-type="${prefs.bodyContentType}"`);
  return applied.join(', ');
}
