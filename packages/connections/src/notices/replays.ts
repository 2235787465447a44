import { createHash } from 'node:crypto';
import type { Provider } from '@crm-sync/core';
import type { EntityManager } from 'typeorm';

/**
 * Claims a delivery's replay key (a RISC `jti`, a HubSpot signature, a Graph body digest) in `notice_replays`,
 * inside the caller's transaction: true the first time within its TTL, false for a replay. Since the claim commits
 * or rolls back with the events the delivery records in the outbox, a failure after the claim leaves no claim
 * behind, and a concurrent duplicate waits on the key until the first commits (then sees it) or rolls back (then
 * takes it). Keys are stored as SHA-256 digests: a signature is no secret, but nothing a sender wrote needs to be
 * kept. An expired claim is taken over in place.
 */
export async function claimReplay(
  manager: Pick<EntityManager, 'query'>,
  provider: Provider,
  replayKey: string,
  ttlMs: number,
  now: Date,
): Promise<boolean> {
  const rows = (await manager.query(
    `INSERT INTO notice_replays (provider, key_digest, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (provider, key_digest) DO UPDATE SET expires_at = EXCLUDED.expires_at
       WHERE notice_replays.expires_at <= $4
     RETURNING 1`,
    [provider, digest(replayKey), new Date(now.getTime() + ttlMs), now],
  )) as unknown[];
  return rows.length === 1;
}

/** Deletes claims whose TTL passed (the retention sweep); returns how many. */
export async function pruneReplays(manager: Pick<EntityManager, 'query'>, now: Date): Promise<number> {
  const [, count] = (await manager.query(`DELETE FROM notice_replays WHERE expires_at <= $1`, [now])) as [
    unknown,
    number,
  ];
  return count;
}

function digest(replayKey: string): string {
  return createHash('sha256').update(replayKey).digest('base64url');
}
