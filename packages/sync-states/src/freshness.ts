import type { SqlExecutor } from '@crm-sync/db';

/**
 * How stale the synced data is across the fleet: for every enabled resource of every active connection, the time
 * since its last completed round (since the connection was made, for one that never completed a round), counted
 * into cumulative buckets like a Prometheus histogram's, with the largest age. Aggregated in Postgres, so the
 * figures cost one scan of sync_states whatever the fleet's size.
 */
export interface Freshness {
  /** Resources whose age is at most `le` seconds, for each bucket bound given. */
  buckets: Array<{ le: number; count: number }>;
  count: number;
  sumSeconds: number;
  maxSeconds: number;
}

export async function freshness(db: SqlExecutor, bounds: readonly number[]): Promise<Freshness> {
  const [row] = (await db.query(
    `WITH ages AS (
       SELECT extract(epoch FROM now() - coalesce(s.last_success_at, c.created_at))::float8 AS age
         FROM sync_states s JOIN connections c ON c.id = s.connection_id
        WHERE s.enabled AND c.status = 'active')
     SELECT count(*)::int AS count, coalesce(sum(age), 0)::float8 AS sum, coalesce(max(age), 0)::float8 AS max,
            (SELECT array_agg(n ORDER BY le) FROM (
               SELECT b.le, count(a.age)::int AS n
                 FROM unnest($1::float8[]) AS b(le) LEFT JOIN ages a ON a.age <= b.le
                GROUP BY b.le) counted) AS buckets
       FROM ages`,
    [[...bounds].sort((a, b) => a - b)],
  )) as Array<{ count: number; sum: number; max: number; buckets: number[] | null }>;
  const sorted = [...bounds].sort((a, b) => a - b);
  return {
    buckets: sorted.map((le, i) => ({ le, count: row?.buckets?.[i] ?? 0 })),
    count: row?.count ?? 0,
    sumSeconds: row?.sum ?? 0,
    maxSeconds: row?.max ?? 0,
  };
}
