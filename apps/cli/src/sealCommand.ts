import { sealBacklog } from '@crm-sync/sync-engine';
import { createContentKeys, KeyRing } from '@crm-sync/vault';
import type { CliDeps } from './commands';
import { UsageError } from './commands';

/**
 * `crm-sync seal --batch <n>`: seals the rows written before content was sealed, in batches with progress
 * (packages/sync-engine `sealBacklog`, docs/encryption-at-rest.md "Batch sealing"). Resumable: run it again after
 * a kill; a finished run finds nothing to do.
 */
export async function seal(deps: CliDeps, batch: string | undefined): Promise<number> {
  const batchSize = Number(batch ?? '500');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new UsageError('--batch must be an integer from 1 to 10000');
  const db = await deps.db();
  const keys = createContentKeys({
    db,
    keyRing: new KeyRing(deps.config.vault),
    index: deps.config.contentIndex,
  });
  const done = await sealBacklog({
    db,
    keys,
    batchSize,
    onProgress: (p) =>
      deps.print(
        `${p.table}: sealed ${p.total}${p.skipped ? `, skipped ${p.skipped} (shredded)` : ''}, ${p.remaining} left`,
      ),
  });
  const total = Object.values(done).reduce((a, b) => a + b, 0);
  deps.print(
    `done: ${total} row(s) sealed (${Object.entries(done)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')})`,
  );
  return 0;
}
