import type { EntityManager } from 'typeorm';

export interface OutboxStats {
  /** Rows waiting for the relay. */
  depth: number;
  /** Age of the oldest waiting row in seconds (0 when none waits): how late the latest delivery runs. */
  oldestAgeSeconds: number;
  /** Rows set aside because their queue's schema refuses them; an operator must look at each. */
  parked: number;
}

/** The outbox's figures for the metrics (one indexed read). */
export async function outboxStats(db: Pick<EntityManager, 'query'>): Promise<OutboxStats> {
  const [row] = (await db.query(
    `SELECT count(*) FILTER (WHERE parked_at IS NULL)::int AS depth,
            count(*) FILTER (WHERE parked_at IS NOT NULL)::int AS parked,
            COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE parked_at IS NULL)), 0)::float8 AS age
       FROM outbox`,
  )) as Array<{ depth: number; parked: number; age: number }>;
  return { depth: row?.depth ?? 0, parked: row?.parked ?? 0, oldestAgeSeconds: row?.age ?? 0 };
}
