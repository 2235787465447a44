import { parseArgs } from 'node:util';
import type { Config } from '@crm-sync/config';
import { createDataSource } from '@crm-sync/db';
import { KeyRing } from '../crypto/keyring';
import { DEFAULT_RESEAL_BATCH_SIZE, resealAll, rewrapDataKeys } from '../store/reseal';

export const USAGE = 'usage: vault:reseal [--batch-size <n>]';

/** Exit codes from sysexits.h, so scripts can tell a bad invocation from unfinished work. */
export const EXIT = { ok: 0, unfinished: 1, usage: 64 } as const;

/**
 * Re-seals every credential and re-wraps every data key under the configured active key (content rows are never
 * touched) and prints one JSON summary line. Exits non-zero while any row of either is still under an old key, so
 * a rotation script knows when it is safe to drop that key.
 */
export async function runReseal(
  config: Config,
  argv: string[],
  print: (line: string) => void,
): Promise<number> {
  const batchSize = parseBatchSize(argv);
  if (batchSize === undefined) {
    print(USAGE);
    return EXIT.usage;
  }
  const keyRing = new KeyRing(config.vault);
  const dataSource = createDataSource({
    url: config.database.url,
    tls: config.database.tls,
    poolSize: 2,
    applicationName: 'crm-sync-reseal',
  });
  await dataSource.initialize();
  try {
    const result = await resealAll(dataSource, keyRing, { batchSize });
    const dataKeys = await rewrapDataKeys(dataSource, keyRing, { batchSize });
    print(JSON.stringify({ activeKeyId: keyRing.activeKeyId, ...result, dataKeys }));
    return result.remaining === 0 && dataKeys.remaining === 0 ? EXIT.ok : EXIT.unfinished;
  } finally {
    await dataSource.destroy();
  }
}

function parseBatchSize(argv: string[]): number | undefined {
  try {
    const { values } = parseArgs({ args: argv, options: { 'batch-size': { type: 'string' } }, strict: true });
    const raw = values['batch-size'];
    if (raw === undefined) return DEFAULT_RESEAL_BATCH_SIZE;
    const n = Number(raw);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
