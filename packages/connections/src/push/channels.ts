import type { Provider, Resource } from '@crm-sync/core';
import type { SqlExecutor } from '@crm-sync/db';
import { timingSafeEqual } from 'node:crypto';

// The one owner of `push_channels` (migration 1765000000210, docs/push.md): every read and write of the table.

/** A channel row as the keeper and the notice receiver use it. */
export interface PushChannelRow {
  id: string;
  connectionId: string;
  provider: Provider;
  resource: Resource;
  channelId: string;
  providerResourceId: string | null;
  /** `stopped`: stopped at the provider by a disconnect whose ending has not yet dropped the row. */
  status: 'opening' | 'active' | 'failing' | 'stopped';
  renewWanted: boolean;
  expiresAt: Date;
  failures: number;
}

interface Raw {
  id: string;
  connection_id: string;
  provider: Provider;
  resource: Resource;
  channel_id: string;
  provider_resource_id: string | null;
  status: PushChannelRow['status'];
  renew_wanted: boolean;
  expires_at: Date;
  failures: number;
}

const COLUMNS = `id, connection_id, provider, resource, channel_id, provider_resource_id, status, renew_wanted,
  expires_at, failures`;

const toRow = (r: Raw): PushChannelRow => ({
  id: r.id,
  connectionId: r.connection_id,
  provider: r.provider,
  resource: r.resource,
  channelId: r.channel_id,
  providerResourceId: r.provider_resource_id,
  status: r.status,
  renewWanted: r.renew_wanted,
  expiresAt: r.expires_at,
  failures: r.failures,
});

/** Whether the provider holds the channel (opened at least once; an `opening` row's id is a placeholder). */
export const heldAtProvider = (row: Pick<PushChannelRow, 'channelId'>): boolean =>
  !row.channelId.startsWith(PENDING);

/** The placeholder id prefix of a row claimed for opening. */
const PENDING = 'pending.';

/** Whether a presented secret's digest is the stored one, in constant time. */
export function sameDigest(stored: string, presented: string): boolean {
  const [a, b] = [Buffer.from(stored, 'hex'), Buffer.from(presented, 'hex')];
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/**
 * Claims up to `limit` (connection, resource) pairs that push could cover and no channel does: an active connection,
 * an enabled resource whose first round is done (an incremental cursor: the poll-and-push pair starts from a known
 * position), of a provider and resource in `pushable`. Each claim is a new `opening` row leased to the caller for
 * `leaseMs`; the unique (connection, resource) key keeps two workers from opening the same one.
 */
export async function claimToOpen(
  db: SqlExecutor,
  pushable: ReadonlyArray<{ provider: Provider; resource: Resource }>,
  limit: number,
  leaseMs: number,
): Promise<PushChannelRow[]> {
  if (pushable.length === 0) return [];
  const raw = (await db.query(
    `INSERT INTO push_channels (connection_id, provider, resource, channel_id, secret_digest, expires_at, status,
                                lease_until)
     SELECT s.connection_id, c.provider, s.resource, $5 || gen_random_uuid(), '', now(), 'opening',
            now() + make_interval(secs => $4 / 1000.0)
       FROM sync_states s JOIN connections c ON c.id = s.connection_id
       JOIN unnest($1::text[], $2::text[]) AS p(provider, resource) ON p.provider = c.provider AND p.resource = s.resource
      WHERE c.status = 'active' AND s.enabled AND s.mode = 'incremental' AND s.cursor IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM push_channels x WHERE x.connection_id = s.connection_id AND x.resource = s.resource)
      LIMIT $3
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [pushable.map((p) => p.provider), pushable.map((p) => p.resource), limit, leaseMs, PENDING],
  )) as Raw[];
  return raw.map(toRow);
}

/**
 * Claims channels that need the provider now: expiring within `renewWithinMs`, asked to reauthorize, or failed and
 * past their wait; leased to the caller for `leaseMs` (SKIP LOCKED: workers side by side split them).
 */
export async function claimUpkeep(
  db: SqlExecutor,
  renewWithinMs: number,
  limit: number,
  leaseMs: number,
): Promise<PushChannelRow[]> {
  const raw = (await db.query(
    `UPDATE push_channels SET lease_until = now() + make_interval(secs => $3 / 1000.0), updated_at = now()
      WHERE id IN (
        SELECT id FROM push_channels
         WHERE (lease_until IS NULL OR lease_until < now())
           AND EXISTS (SELECT 1 FROM connections c WHERE c.id = connection_id AND c.status = 'active')
           AND status <> 'stopped'
           AND (renew_wanted OR status <> 'active' OR expires_at < now() + make_interval(secs => $1 / 1000.0))
         ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    [renewWithinMs, limit, leaseMs],
  )) as [Raw[], number];
  return raw[0].map(toRow);
}

/**
 * A channel the provider opened or renewed: active, its ids and expiry, lease and failures cleared. Returns false
 * when the row is gone or stopped: the connection ended (or is ending) while the provider call ran, and the caller
 * stops what it opened, as nothing else would.
 */
export async function recordOpened(
  db: SqlExecutor,
  id: string,
  opened: { channelId: string; providerResourceId: string | null; expiresAt: Date; secretDigest?: string },
): Promise<boolean> {
  const [, affected] = (await db.query(
    `UPDATE push_channels SET status = 'active', channel_id = $2, provider_resource_id = $3, expires_at = $4,
        secret_digest = COALESCE($5, secret_digest), renew_wanted = false, lease_until = NULL, failures = 0,
        last_error = NULL, updated_at = now()
      WHERE id = $1 AND status <> 'stopped'`,
    [id, opened.channelId, opened.providerResourceId, opened.expiresAt, opened.secretDigest ?? null],
  )) as [unknown, number];
  return affected > 0;
}

/** A failed open or renewal: `failing`, retried once `retryAt` passes; the error is a classification, never a secret. */
export async function recordFailure(
  db: SqlExecutor,
  id: string,
  reason: string,
  retryAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE push_channels SET status = 'failing', failures = failures + 1, last_error = $2, lease_until = $3,
        updated_at = now()
      WHERE id = $1 AND status <> 'stopped'`,
    [id, reason.slice(0, 200), retryAt],
  );
}

/** The channel a notice names, if we have it. */
export async function channelFor(
  db: SqlExecutor,
  provider: Provider,
  channelId: string,
): Promise<(PushChannelRow & { secretDigest: string }) | null> {
  const [raw] = (await db.query(
    `SELECT ${COLUMNS}, secret_digest FROM push_channels WHERE provider = $1 AND channel_id = $2`,
    [provider, channelId],
  )) as Array<Raw & { secret_digest: string }>;
  return raw ? { ...toRow(raw), secretDigest: raw.secret_digest } : null;
}

/** Notes a verified notice on its channel (for operators: when push last worked). */
export async function recordNotice(db: SqlExecutor, id: string): Promise<void> {
  await db.query(`UPDATE push_channels SET last_notice_at = now() WHERE id = $1`, [id]);
}

/** The provider asked to reauthorize the channel: the keeper does it at its next pass. */
export async function wantRenewal(db: SqlExecutor, id: string): Promise<void> {
  await db.query(
    `UPDATE push_channels SET renew_wanted = true, lease_until = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** Forgets a channel (stopped, or removed by the provider: the keeper opens a new one at its next pass). */
export async function forgetChannel(db: SqlExecutor, id: string): Promise<void> {
  await db.query(`DELETE FROM push_channels WHERE id = $1`, [id]);
}

/** A channel a disconnect stopped at the provider: kept, so the keeper opens no other, until the ending drops it. */
export async function markStopped(db: SqlExecutor, id: string): Promise<void> {
  await db.query(
    `UPDATE push_channels SET status = 'stopped', lease_until = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** A connection's channels, for stopping them at the provider on disconnect (docs/push.md). */
export async function channelsOf(db: SqlExecutor, connectionId: string): Promise<PushChannelRow[]> {
  const raw = (await db.query(
    `SELECT ${COLUMNS} FROM push_channels WHERE connection_id = $1 ORDER BY resource`,
    [connectionId],
  )) as Raw[];
  return raw.map(toRow);
}

/**
 * Forgets a connection's channels when it ends (disconnect, revocation, deletion): nothing renews them and their
 * notices name no channel. Those a disconnect stopped are `stopped` (stopChannels.ts); the others are left to lapse
 * at the provider, returned so the ending can record which and when (docs/push.md).
 */
export async function forgetChannelsOf(db: SqlExecutor, connectionId: string): Promise<PushChannelRow[]> {
  const [raw] = (await db.query(`DELETE FROM push_channels WHERE connection_id = $1 RETURNING ${COLUMNS}`, [
    connectionId,
  ])) as [Raw[], number];
  return raw.map(toRow).filter((row) => heldAtProvider(row) && row.status !== 'stopped');
}
