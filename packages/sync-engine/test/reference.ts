import type { SyncPosition } from '@crm-sync/core';
import { contentHash } from '../src/records/contentHash';
import { makeSafe } from '../src/records/safeValues';
import type { ConvergenceRun } from './convergence';
import { engineDeps } from './engine';

/**
 * The provider's state as a fresh full round reads it now, each record hashed as the engine stores it (values made
 * safe, then the content hash of records/writePage.ts): external id -> content hash. Comparing a table's ids and
 * `content_hash` with this checks every column the syncer maps, not only the field the model edits: a move to
 * another folder, a label change or a lost edit of any field shows as a different hash.
 */
export async function referenceHashes(run: ConvergenceRun): Promise<Map<string, string>> {
  const deps = engineDeps(run.h);
  const adapter = deps.adapters.get(run.c.provider);
  const syncer = adapter?.sync?.[run.c.resource];
  if (!adapter || !syncer) throw new Error(`no ${run.c.provider} ${run.c.resource} syncer`);
  const accessToken = await deps.tokens.get(run.connectionId, adapter.oauth);
  const hashes = new Map<string, string>();
  let position: SyncPosition = { mode: 'full', cursor: null, continuation: null };
  for (;;) {
    const page = await syncer.fetchPage({
      accessToken,
      position,
      now: new Date(),
      initialWindowDays: deps.options.initialWindowDays,
    });
    for (const record of page.upserts) {
      const safe = makeSafe(record).value;
      hashes.set(safe.externalId, contentHash(deps.content.indexKeys, run.connectionId, safe));
    }
    for (const id of page.deletes) hashes.delete(id);
    if (page.next.kind !== 'more') return hashes;
    position = { ...position, continuation: page.next.continuation };
  }
}
