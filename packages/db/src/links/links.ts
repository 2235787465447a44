import { removeChildrenOfDeleted } from '../upsert/children';
import { selectRows, type SqlExecutor } from '../upsert/executor';

/** One link as stored: the object it points to and the provider's types for it (JSON, e.g. HubSpot's typeIds). */
export interface LinkInput {
  toId: string;
  types: unknown;
}

/** Everything one object links to among objects of `toType`, as the provider listed it just now. */
export interface LinkSetInput {
  fromId: string;
  toType: string;
  links: readonly LinkInput[];
}

export interface LinkScope {
  connectionId: string;
  /** The object type every `fromId` belongs to (crm_objects.object_type). */
  fromType: string;
}

/**
 * Makes the stored links of each (object, toType) in `sets` exactly the ones given: links no longer listed are
 * deleted, new ones inserted, changed types updated; an unchanged link is not written. Links of an object that has
 * no crm_objects row (a record set aside in quarantine) are skipped: a link belongs to the row it starts from.
 * Returns how many links were inserted or changed, and how many were removed.
 */
export async function replaceLinks(
  executor: SqlExecutor,
  scope: LinkScope,
  sets: readonly LinkSetInput[],
): Promise<{ written: number; removed: number }> {
  if (sets.length === 0) return { written: 0, removed: 0 };
  const rows = new Map<string, { fromId: string; toType: string; toId: string; types: string }>();
  for (const set of sets)
    for (const link of set.links) {
      // A link listed twice keeps its last types (one row per pair, or the upsert would touch a row twice).
      const row = {
        fromId: set.fromId,
        toType: set.toType,
        toId: link.toId,
        types: JSON.stringify(link.types),
      };
      rows.set(JSON.stringify([set.fromId, set.toType, link.toId]), row);
    }
  const kept = [...rows.values()];
  const [removed] = await selectRows<{ count: number }>(
    executor,
    `WITH gone AS (
      DELETE FROM crm_associations a
      USING unnest($3::text[], $4::text[]) AS s(from_id, to_type)
      WHERE a.connection_id = $1 AND a.from_type = $2 AND a.from_id = s.from_id AND a.to_type = s.to_type
        AND NOT EXISTS (
          SELECT 1 FROM unnest($5::text[], $6::text[], $7::text[]) AS k(from_id, to_type, to_id)
          WHERE k.from_id = a.from_id AND k.to_type = a.to_type AND k.to_id = a.to_id)
      RETURNING 1
    )
    SELECT count(*)::int AS count FROM gone`,
    [
      scope.connectionId,
      scope.fromType,
      sets.map((s) => s.fromId),
      sets.map((s) => s.toType),
      kept.map((r) => r.fromId),
      kept.map((r) => r.toType),
      kept.map((r) => r.toId),
    ],
  );
  if (kept.length === 0) return { written: 0, removed: removed?.count ?? 0 };
  const [written] = await selectRows<{ count: number }>(
    executor,
    `WITH written AS (
      INSERT INTO crm_associations (connection_id, from_type, from_id, to_type, to_id, types)
      SELECT $1, $2, k.from_id, k.to_type, k.to_id, k.types::jsonb
      FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS k(from_id, to_type, to_id, types)
      WHERE EXISTS (SELECT 1 FROM crm_objects o
                    WHERE o.connection_id = $1 AND o.object_type = $2 AND o.external_id = k.from_id)
      ON CONFLICT (connection_id, from_type, from_id, to_type, to_id)
      DO UPDATE SET types = EXCLUDED.types, updated_at = now()
      WHERE crm_associations.types IS DISTINCT FROM EXCLUDED.types
      RETURNING 1
    )
    SELECT count(*)::int AS count FROM written`,
    [
      scope.connectionId,
      scope.fromType,
      kept.map((r) => r.fromId),
      kept.map((r) => r.toType),
      kept.map((r) => r.toId),
      kept.map((r) => r.types),
    ],
  );
  return { written: written?.count ?? 0, removed: removed?.count ?? 0 };
}

/** crm_associations rows hang off the crm_objects row they start from (the same object type). */
const LINKS_OF_OBJECTS = {
  table: 'crm_associations',
  parentTable: 'crm_objects',
  parentColumn: 'from_id',
  parentTypeColumn: 'from_type',
} as const;

/**
 * Removes the links of objects marked deleted: of the given ids, or, without ids, of every deleted object of the
 * type (after a full round's sweep, which reports counts, not ids). Returns how many links went. The same step as
 * every child table's (upsert/children.ts).
 */
export function dropLinksOfDeleted(
  executor: SqlExecutor,
  scope: LinkScope,
  fromIds?: readonly string[],
): Promise<number> {
  return removeChildrenOfDeleted(executor, LINKS_OF_OBJECTS, scope.connectionId, fromIds, scope.fromType);
}
