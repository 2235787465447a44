import {
  writeRequestSchema,
  type ResourceWriter,
  type ResourceWriters,
  type WriteAttempt,
  type WriteOutcome,
  type WriteRequest,
} from '@crm-sync/core';
import { openRow } from '@crm-sync/vault';
import type { ApplyDeps } from './deps';
import { finishWrite, type Finish } from './finish';
import { rebase } from './rebase';
import { WRITES_TABLE } from './rows';

interface PendingRow {
  id: string;
  seq: string;
  connection_id: string;
  tenant_id: string;
  resource: WriteRequest['resource'];
  op: WriteRequest['op'];
  item_key: string;
  status: string;
  request: Buffer | null;
}

export type ApplyResult =
  { handled: 'writes_applied'; writes: number } | { handled: 'ignored'; reason: string };

export interface ApplyOptions {
  /** The job's last attempt: a failure the provider may recover from ends the write `refused` instead. */
  finalAttempt: boolean;
}

/**
 * Applies a write, and before it every earlier pending write of the same item, in order (docs/write-back.md,
 * "Order"). The item is held by a Postgres advisory lock on a session of its own, so writes to one item are
 * applied one at a time across every worker, and a worker that dies releases it with its connection.
 */
export async function applyWrites(
  deps: ApplyDeps,
  writeId: string,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const target = await loadRow(deps, `id = $1`, [writeId]);
  if (!target) return { handled: 'ignored', reason: 'unknown write' };
  if (target.status !== 'pending') return { handled: 'ignored', reason: `write already ${target.status}` };
  const lockKey = `${target.connection_id}/${target.resource}/${target.item_key}`;
  const session = deps.db.createQueryRunner();
  await session.connect();
  let applied = 0;
  try {
    await session.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [lockKey]);
    for (;;) {
      const next = await loadRow(
        deps,
        `connection_id = $1 AND resource = $2 AND item_key = $3 AND status = 'pending' AND seq <= $4
         ORDER BY seq LIMIT 1`,
        [target.connection_id, target.resource, target.item_key, target.seq],
      );
      if (!next) break;
      await finishWrite(deps, next, await attempt(deps, next, options));
      applied += 1;
    }
  } finally {
    await session
      .query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [lockKey])
      .catch(() => undefined);
    await session.release();
  }
  return { handled: 'writes_applied', writes: applied };
}

async function loadRow(deps: ApplyDeps, where: string, params: unknown[]): Promise<PendingRow | undefined> {
  const rows = (await deps.db.query(
    `SELECT id, seq::text AS seq, connection_id, tenant_id, resource, op, item_key, status, request
       FROM writes WHERE ${where}`,
    params,
  )) as PendingRow[];
  return rows[0];
}

const refused = (reason: string): Finish => ({ outcome: { kind: 'refused', reason } });

/** One write's provider call, or why it is refused without one. */
async function attempt(deps: ApplyDeps, row: PendingRow, options: ApplyOptions): Promise<Finish> {
  const connections = (await deps.db.query(
    `SELECT provider, status, granted_scopes FROM connections WHERE id = $1`,
    [row.connection_id],
  )) as Array<{ provider: string; status: string; granted_scopes: string[] }>;
  const connection = connections[0];
  if (!connection || connection.status !== 'active') return refused('connection_inactive');
  const adapter = [...deps.adapters.values()].find((a) => a.id === connection.provider);
  const key = await deps.content.dataKeys.forRead(row.connection_id);
  const asked = writeRequestSchema.parse(
    openRow(key, { table: WRITES_TABLE, rowKey: [row.id] }, row.request as Buffer),
  );
  const write =
    asked.op === 'create'
      ? asked
      : {
          ...asked,
          baseVersion: await rebase(
            deps.db,
            {
              connectionId: row.connection_id,
              resource: row.resource,
              objectType: asked.resource === 'objects' ? asked.objectType : null,
              externalId: asked.externalId,
              seq: row.seq,
            },
            asked.baseVersion,
          ),
        };
  const writer = adapter && bind(adapter.writes, write);
  if (!adapter || !writer) return refused(`not_supported: ${connection.provider} ${row.resource} writes`);
  if (!writer.scopes.some((scope) => connection.granted_scopes.includes(scope))) {
    return refused(
      `missing_scope: needs ${writer.scopes.join(' or ')}; reconnect asking for it (docs/write-back.md)`,
    );
  }
  // Counted and committed before the call: a later attempt then knows an earlier one may have reached the
  // provider, and looks for what it created before creating again.
  const counted = (await deps.db.query(
    `UPDATE writes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`,
    [row.id],
  )) as [Array<{ attempts: number }>, number];
  const retried = (counted[0][0]?.attempts ?? 1) > 1;
  let outcome: WriteOutcome;
  try {
    const accessToken = await deps.accessToken(row.connection_id, adapter);
    outcome = await writer.apply({ accessToken, clientKey: row.id, retried });
  } catch (error) {
    const classified = adapter.classifyError(error);
    if (classified.kind === 'permanent' || classified.kind === 'auth_revoked') {
      return refused(`provider_refused: ${classified.reason}`);
    }
    if (options.finalAttempt) return refused(`provider_unavailable: ${classified.kind}`);
    throw error;
  }
  return { outcome, write };
}

/** The adapter's writer for the write's resource, bound to it; undefined when the adapter has none. */
function bind(writers: ResourceWriters | undefined, write: WriteRequest) {
  const bound = <W extends WriteRequest>(writer: ResourceWriter<W> | undefined, w: W) =>
    writer && { scopes: writer.scopesFor(w), apply: (a: WriteAttempt) => writer.apply(w, a) };
  if (write.resource === 'contacts') return bound(writers?.contacts, write);
  if (write.resource === 'events') return bound(writers?.events, write);
  return bound(writers?.objects, write);
}
