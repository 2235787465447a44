import type { WriteRequest } from '@crm-sync/core';
import { publishInTransaction } from '@crm-sync/outbox';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { canonicalJson } from '@crm-sync/sync-engine';
import { sealRow } from '@crm-sync/vault';
import { randomUUID } from 'node:crypto';
import type { WritesDeps } from './deps';
import { WRITES_TABLE } from './rows';

export interface WriteSubmission {
  tenantId: string;
  connectionId: string;
  /** The calling service's name, or `queue` for an event off the connection-events queue. */
  requestedBy: string;
  idempotencyKey: string;
  write: WriteRequest;
  /**
   * Announce the new write on the connection-events queue (`write.accepted`, through the outbox) so a worker
   * applies it. An event off the queue is applied by the worker that took it, so it needs no announcement.
   */
  announce: boolean;
}

export type AcceptOutcome =
  /** `created` is false for a retry that found the write its key recorded before. */
  | { kind: 'accepted'; writeId: string; created: boolean }
  | { kind: 'not_found' }
  | { kind: 'connection_inactive' }
  /** The key was used before for another request (another body, item or connection). */
  | { kind: 'key_reused' };

/**
 * The item a write is about: its provider id (an object's with its type: ids are unique per type only), or for a
 * create its own id (nothing else can name it yet).
 */
export const itemKeyOf = (writeId: string, write: WriteRequest): string =>
  write.op === 'create'
    ? `new.${writeId}`
    : write.resource === 'objects'
      ? `${write.objectType}.${write.externalId}`
      : write.externalId;

/**
 * Records a write once per (tenant, idempotency key). A retry with the same key and the same request gets the
 * first write's id; another request under that key is `key_reused`. The request is compared by a keyed hash
 * (vault IndexKeys, scoped to the tenant) so the table holds nothing a guess can be confirmed against, and kept
 * sealed under the connection's data key only until the write ends (docs/encryption-at-rest.md).
 */
export async function acceptWrite(deps: WritesDeps, submission: WriteSubmission): Promise<AcceptOutcome> {
  const { tenantId, connectionId, write } = submission;
  const hash = deps.content.indexKeys.hash(
    'content-hash',
    `write-request.${tenantId}`,
    canonicalJson({ connectionId, write }),
  );
  const earlier = await findByKey(deps, tenantId, submission.idempotencyKey);
  if (earlier) return earlier.request_hash === hash ? accepted(earlier.id, false) : { kind: 'key_reused' };

  const connections = (await deps.db.query(
    `SELECT status FROM connections WHERE id = $1 AND tenant_id = $2`,
    [connectionId, tenantId],
  )) as Array<{ status: string }>;
  const connection = connections[0];
  if (!connection) return { kind: 'not_found' };
  if (connection.status !== 'active') return { kind: 'connection_inactive' };

  const writeId = randomUUID();
  // forWrite creates the data key only for an active connection; a connection ended meanwhile fails here.
  const key = await deps.content.dataKeys.forWrite(connectionId);
  const sealed = sealRow(key, { table: WRITES_TABLE, rowKey: [writeId] }, write);
  const created = await deps.db.transaction(async (manager) => {
    const rows = (await manager.query(
      `INSERT INTO writes (id, connection_id, tenant_id, requested_by, idempotency_key, request_hash, resource, op,
                           item_key, base_version, request, object_type)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
        WHERE EXISTS (SELECT 1 FROM connections WHERE id = $2 AND status = 'active')
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id`,
      [
        writeId,
        connectionId,
        tenantId,
        submission.requestedBy,
        submission.idempotencyKey,
        hash,
        write.resource,
        write.op,
        itemKeyOf(writeId, write),
        write.op === 'create' ? null : write.baseVersion,
        sealed,
        write.resource === 'objects' ? write.objectType : null,
      ],
    )) as Array<{ id: string }>;
    if (rows.length === 1 && submission.announce) {
      await publishInTransaction(manager, QUEUE_NAMES.connectionEvents, {
        type: 'write.accepted',
        tenantId,
        connectionId,
        writeId,
      });
    }
    return rows.length === 1;
  });
  if (created) return accepted(writeId, true);
  // Lost a race with the same key (or the connection ended in between): decide as a retry would.
  const raced = await findByKey(deps, tenantId, submission.idempotencyKey);
  if (!raced) return { kind: 'connection_inactive' };
  return raced.request_hash === hash ? accepted(raced.id, false) : { kind: 'key_reused' };
}

const accepted = (writeId: string, created: boolean): AcceptOutcome => ({
  kind: 'accepted',
  writeId,
  created,
});

async function findByKey(deps: WritesDeps, tenantId: string, key: string) {
  const rows = (await deps.db.query(
    `SELECT id, request_hash FROM writes WHERE tenant_id = $1 AND idempotency_key = $2`,
    [tenantId, key],
  )) as Array<{ id: string; request_hash: string }>;
  return rows[0];
}
