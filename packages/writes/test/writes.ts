import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import type { WriteRequest } from '@crm-sync/core';
import type { AccessTokens } from '@crm-sync/sync-engine';
import { acceptWrite } from '../src/accept';
import { applyWrites } from '../src/apply';
import type { ApplyDeps } from '../src/deps';
import { getWrite, type WriteView } from '../src/rows';

/** Apply deps over a harness, with the sync's single-flight tokens as the worker wires them. */
export const applyDepsOf = (h: ConnectionsHarness, tokens: AccessTokens): ApplyDeps => ({
  db: h.db.dataSource,
  content: h.deps.content,
  adapters: h.deps.adapters,
  accessToken: (connectionId, adapter) => tokens.get(connectionId, adapter.oauth),
});

let keys = 0;

/** Accepts a write of tenant t1 under a fresh idempotency key; its id. */
export async function submitWrite(
  h: ConnectionsHarness,
  connectionId: string,
  write: WriteRequest,
): Promise<string> {
  keys += 1;
  const outcome = await acceptWrite(h.deps, {
    tenantId: 't1',
    connectionId,
    requestedBy: 'crm',
    idempotencyKey: `test-key-${keys}`,
    write,
    announce: false,
  });
  if (outcome.kind !== 'accepted') throw new Error(outcome.kind);
  return outcome.writeId;
}

/** Applies the write (and the item's earlier ones) as a worker would, and reads it back. */
export async function applyAndRead(deps: ApplyDeps, writeId: string): Promise<WriteView | undefined> {
  await applyWrites(deps, writeId, { finalAttempt: false });
  return getWrite(deps.db, '*', writeId);
}
