import type { IndexKeys } from '@crm-sync/vault';

/**
 * A stable text form of a record: object keys sorted, dates as ISO strings, `undefined` dropped the way JSON
 * drops it. Two records that mean the same thing serialise the same whatever order a provider sent fields in,
 * so an unchanged item gets the same hash and is not rewritten.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

/**
 * The keyed hash (HMAC-SHA256, hex) of the canonical serialisation under the connection's content-hash key
 * (packages/vault `IndexKeys`): it stays readable beside the sealed row so unchanged items are skipped, and a plain
 * hash would let anyone holding a dump confirm a guessed subject or address (issue 19).
 */
export function contentHash(indexKeys: IndexKeys, connectionId: string, record: unknown): string {
  return indexKeys.hash('content-hash', connectionId, canonicalJson(record));
}
