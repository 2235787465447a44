import type { DataSource } from 'typeorm';

/** More links than any burst of writes to one item makes; a guard, never reached by real chains. */
const MAX_LINKS = 1_000;

/**
 * The version a write is to be checked against. The CRM names the version it last saw; when writes of this
 * service to the same item were applied since (each from that version to a newer one), the newer one is what the
 * CRM's view amounts to, so the write is rebased along that chain: writes queued one after another do not conflict
 * with each other, while any change made elsewhere in between still breaks the chain and ends as a conflict.
 */
export async function rebase(
  db: DataSource,
  item: {
    connectionId: string;
    resource: string;
    objectType: string | null;
    externalId: string;
    seq: string;
  },
  baseVersion: string,
): Promise<string> {
  let version = baseVersion;
  for (let links = 0; links < MAX_LINKS; links += 1) {
    const rows = (await db.query(
      `SELECT provider_version FROM writes
        WHERE connection_id = $1 AND resource = $2 AND external_id = $3 AND status = 'applied'
          AND base_version = $4 AND seq < $5 AND provider_version IS NOT NULL
          AND object_type IS NOT DISTINCT FROM $6
        ORDER BY seq DESC LIMIT 1`,
      [item.connectionId, item.resource, item.externalId, version, item.seq, item.objectType],
    )) as Array<{ provider_version: string }>;
    const next = rows[0]?.provider_version;
    if (next === undefined || next === version) return version;
    version = next;
  }
  return version;
}
