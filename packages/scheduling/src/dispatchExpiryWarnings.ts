import type { Provider, RefreshTokenExpiry } from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import type { DataSource } from 'typeorm';

export interface ExpiryWarningDeps {
  db: DataSource;
  /** The documented refresh-token lifetime of each provider that has one (the adapters' `refreshTokenExpiry`). */
  rules: ReadonlyMap<Provider, RefreshTokenExpiry>;
  /** Warn this long before the predicted expiry. */
  leadMs: number;
  batchSize: number;
}

/**
 * When a rule's lifetime starts: the issue of the stored refresh token, or its last successful use (a refresh sets
 * `refreshed_at`; GREATEST skips a NULL, so a token never used yet counts from its issue).
 */
const SINCE: Record<RefreshTokenExpiry['since'], string> = {
  issued: 'cr.refresh_token_issued_at',
  last_used: 'GREATEST(cr.refresh_token_issued_at, cr.refreshed_at)',
};

interface DueRow {
  connection_id: string;
  tenant_id: string;
  expires_at: Date;
}

/**
 * Tells the CRM (`connection.expiring`, through the outbox) about every active connection whose refresh token
 * will die within the lead time by its provider's documented rule: issue time (`credentials.refresh_token_issued_at`,
 * restarted by a grant or a rotating refresh) or last use (Google's six months unused: the scheduler refreshes
 * active connections hourly, so this fires only when those refreshes have stopped succeeding) plus the rule's
 * lifetime. Once per connection per predicted expiry:
 * the warning's row (`expiry_warnings`, keyed by both) and its notification commit together, and a refresh that
 * rotates the token moves the expiry, so a later warning is about a new date. Several schedulers may run it
 * (SKIP LOCKED, and the key refuses a second row).
 */
export async function dispatchExpiryWarnings(deps: ExpiryWarningDeps): Promise<{ warned: number }> {
  let warned = 0;
  for (const [provider, rule] of deps.rules) {
    const expiresAt = `${SINCE[rule.since]} + make_interval(secs => $2::float8 / 1000)`;
    for (;;) {
      const sent = await deps.db.transaction(async (manager) => {
        const rows = (await manager.query(
          `WITH due AS (
             SELECT c.id, c.tenant_id, ${expiresAt} AS expires_at
               FROM connections c JOIN credentials cr ON cr.connection_id = c.id
              WHERE c.provider = $1 AND c.status = 'active'
                AND ${expiresAt} BETWEEN now() AND now() + make_interval(secs => $3::float8 / 1000)
                AND NOT EXISTS (
                  SELECT 1 FROM expiry_warnings w WHERE w.connection_id = c.id AND w.expires_at = ${expiresAt})
              LIMIT $4
              FOR UPDATE OF cr SKIP LOCKED)
           INSERT INTO expiry_warnings (connection_id, expires_at, rule)
           SELECT id, expires_at, $5 FROM due
           ON CONFLICT DO NOTHING
           RETURNING connection_id, expires_at,
                     (SELECT tenant_id FROM connections WHERE id = connection_id) AS tenant_id`,
          [provider, rule.lifetimeMs, deps.leadMs, deps.batchSize, rule.rule],
        )) as DueRow[];
        for (const row of rows) {
          await publishInTransaction(manager, QUEUE_NAMES.crmNotifications, {
            type: 'connection.expiring',
            tenantId: row.tenant_id,
            connectionId: row.connection_id,
            provider,
            expiresAt: row.expires_at.toISOString(),
            rule: rule.rule,
          });
        }
        return rows.length;
      });
      warned += sent;
      if (sent < deps.batchSize) break;
    }
  }
  return { warned };
}
