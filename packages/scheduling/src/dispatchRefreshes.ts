import { QUEUE_NAMES, type JobProducer } from '@crm-sync/queue';
import type { DataSource } from 'typeorm';

export interface RefreshDispatchDeps {
  db: DataSource;
  producer: JobProducer;
  /** Refresh this long before expiry, so no sync ever starts with a token about to lapse. */
  marginMs: number;
  batchSize: number;
}

/** At most one pending refresh per connection. */
export const refreshDedupeId = (connectionId: string) => `refresh.${connectionId}`;

/**
 * Enqueues a token refresh for every active connection whose access token expires within the margin. Nothing is
 * written: the dedupe key keeps one refresh pending per connection, and a successful refresh moves `expires_at`
 * past the margin. Keyset paging keeps a tick linear however many tokens are due.
 */
export async function dispatchTokenRefreshes(deps: RefreshDispatchDeps): Promise<{ enqueued: number }> {
  let enqueued = 0;
  // The key is kept as Postgres text: a JS Date would drop the microseconds and re-select the last row.
  let after: { expiresAt: string; id: string } | null = null;
  for (;;) {
    const rows: Array<{ connection_id: string; expires_at: string }> = await deps.db.query(
      `SELECT cr.connection_id, cr.expires_at::text AS expires_at
         FROM credentials cr JOIN connections c ON c.id = cr.connection_id
        WHERE c.status = 'active' AND cr.expires_at <= now() + make_interval(secs => $1::float8 / 1000)
          AND ($3::timestamptz IS NULL OR (cr.expires_at, cr.connection_id) > ($3, $4::uuid))
        ORDER BY cr.expires_at, cr.connection_id
        LIMIT $2`,
      [deps.marginMs, deps.batchSize, after?.expiresAt ?? null, after?.id ?? null],
    );
    if (rows.length === 0) break;
    await deps.producer.enqueueBulk(
      QUEUE_NAMES.tokenRefresh,
      rows.map((r) => ({
        name: 'refresh',
        payload: { connectionId: r.connection_id },
        options: { dedupeId: refreshDedupeId(r.connection_id) },
      })),
    );
    enqueued += rows.length;
    const last = rows[rows.length - 1]!;
    after = { expiresAt: last.expires_at, id: last.connection_id };
    if (rows.length < deps.batchSize) break;
  }
  return { enqueued };
}
