// npm run bench:upsert -- [--size 100000] [--page 500] [--seed N]
//
// Seals N email-shaped rows as the sync engine does (content under the connection's data key, blind index terms,
// keyed content hash: docs/encryption-at-rest.md) and upserts them through @crm-sync/db's upsertRows (one unnest
// statement per page) and, page by page in the same run, writes the same rows in the clear with a plain multi-row
// INSERT through `pg` alone (the ceiling) and with a multi-row VALUES upsert (the alternative the helper was
// measured against). A second pass sends every row again, unchanged, so the keyed hash WHERE skips the writes.
// Runs in its own database, then drops it.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfigOrExit, type Config } from '@crm-sync/config';
import {
  createDataSource,
  dropDatabase,
  emailUpsert,
  ensureDatabase,
  upsertRows,
  withDatabase,
  type UpsertCounts,
} from '@crm-sync/db';
import { PageSealer } from '@crm-sync/sync-engine';
import { createContentKeys, KeyRing } from '@crm-sync/vault';
import { Client } from 'pg';
import {
  EMAIL_COLUMNS,
  emailRows,
  emailValues,
  placeholders,
  rawInsert,
  sealEmails,
  type PlainEmail,
} from './lib/emailRows';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    page: { type: 'string', default: '500' },
    seed: { type: 'string', default: '20261124' },
  },
});
const SIZE = Number(args.size);
const PAGE = Number(args.page);
const SEED = Number(args.seed);
for (const [name, value] of Object.entries({ size: SIZE, page: PAGE, seed: SEED })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
}

const emailRow = emailRows(SEED, SIZE);
const COLUMNS = EMAIL_COLUMNS;

/** The alternative to unnest: the same upsert with one parameter per value (12 per row). */
function valuesUpsert(client: Client, page: PlainEmail[]): Promise<unknown> {
  const updates = COLUMNS.slice(2).map((c) => `${c} = EXCLUDED.${c}`);
  return client.query(
    `INSERT INTO emails AS t (${COLUMNS.join(', ')}) VALUES ${placeholders(page.length)}
     ON CONFLICT (connection_id, external_id) DO UPDATE SET ${updates.join(', ')}, deleted_at = NULL,
       updated_at = now()
     WHERE t.content_hash IS DISTINCT FROM EXCLUDED.content_hash OR t.deleted_at IS NOT NULL
     RETURNING (t.xmax = 0) AS inserted`,
    page.flatMap(emailValues),
  );
}

type Arm = { connectionId: string; run: (page: PlainEmail[]) => Promise<unknown>; ms: number };

/** Runs the arms page by page, rotating which goes first, so drift and noise fall on all of them alike. */
async function alternate(arms: Arm[]): Promise<void> {
  for (let start = 0, turn = 0; start < SIZE; start += PAGE, turn++) {
    for (let k = 0; k < arms.length; k++) {
      const arm = arms[(turn + k) % arms.length]!;
      const size = Math.min(PAGE, SIZE - start);
      const page = Array.from({ length: size }, (_, i) => emailRow(arm.connectionId, start + i));
      const began = process.hrtime.bigint();
      await arm.run(page);
      arm.ms += Number(process.hrtime.bigint() - began) / 1e6;
    }
  }
}

const rate = (arm: Arm) => Math.round(SIZE / (arm.ms / 1000));
const fmt = (n: number) => n.toFixed(2);

async function bench(url: string, config: Config): Promise<void> {
  const dataSource = await createDataSource({
    url,
    poolSize: 1,
    applicationName: 'crm-sync-bench',
  }).initialize();
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await dataSource.runMigrations();
    const ids: { id: string }[] = await dataSource.query(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
       SELECT 'bench', 'bench', 'google', 'acct-' || n FROM generate_series(1, 3) n RETURNING id`,
    );
    const [helperId, rawId, valuesId] = ids.map((r) => r.id) as [string, string, string];
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const keys = createContentKeys({
      db: dataSource,
      keyRing: new KeyRing(config.vault),
      index: config.contentIndex,
    });
    const owner = { connectionId: helperId, tenantId: 'bench' };
    /** Time spent sealing (inside the sealed arm's time), so the helper's own rate shows too. */
    let sealMs = 0;
    // As writePage does: the sealer opened per page (the data key cached across pages), then the page sealed.
    const sealed = async (page: PlainEmail[]) => {
      const began = process.hrtime.bigint();
      const rows = sealEmails(await PageSealer.open(keys, owner), page, { keys, tenantId: owner.tenantId });
      sealMs += Number(process.hrtime.bigint() - began) / 1e6;
      const c = await upsertRows(dataSource, emailUpsert, rows);
      counts.inserted += c.inserted;
      counts.updated += c.updated;
      counts.unchanged += c.unchanged;
    };
    // Same content for every arm; only the owning connection differs, so the arms never collide.
    const arms: Arm[] = [
      { connectionId: helperId, run: sealed, ms: 0 },
      { connectionId: rawId, run: (p) => rawInsert(client, p), ms: 0 },
      { connectionId: valuesId, run: (p) => valuesUpsert(client, p), ms: 0 },
    ];
    await alternate(arms);
    const [upsert, raw, values] = arms as [Arm, Arm, Arm];
    const helperRate = Math.round(SIZE / ((upsert.ms - sealMs) / 1000));
    console.log(`raw-insert rows/s ${rate(raw)} (pg multi-row INSERT of the plain rows, ceiling)`);
    console.log(
      `sealed-upsert rows/s ${rate(upsert)} (seal + upsertRows; inserted ${counts.inserted} updated ${counts.updated})`,
    );
    console.log(`upsert rows/s ${helperRate} (upsertRows alone, sealing time taken out)`);
    console.log(`sealing ${fmt((sealMs * 1000) / SIZE)} µs/row`);
    console.log(
      `upsert-values rows/s ${rate(values)} (plain multi-row VALUES upsert, ${COLUMNS.length} params/row)`,
    );

    Object.assign(counts, { inserted: 0, updated: 0, unchanged: 0 });
    const again: Arm[] = [
      { ...upsert, ms: 0 },
      { ...values, ms: 0 },
    ];
    await alternate(again);
    const [upsert2, values2] = again as [Arm, Arm];
    console.log(`sealed-upsert-unchanged rows/s ${rate(upsert2)} (unchanged ${counts.unchanged} of ${SIZE})`);
    console.log(`upsert-values-unchanged rows/s ${rate(values2)}`);

    const ratio = rate(upsert) / rate(raw);
    const helperRatio = helperRate / rate(raw);
    console.log(`ratio sealed-vs-raw ${fmt(ratio)} (target >= 0.60)`);
    console.log(`ratio upsert-vs-raw ${fmt(helperRatio)} (upsertRows alone; target >= 0.70)`);
    console.log(`ratio sealed-unchanged-vs-raw ${fmt(rate(upsert2) / rate(raw))}`);
    console.log(
      `ratio unnest-vs-values ${fmt(helperRate / rate(values))} (upsertRows alone against the plain VALUES upsert)`,
    );
    console.log(`rss-mb ${Math.round(peakRss / 2 ** 20)}`);
    const verdict = ratio >= 0.6 && counts.unchanged === SIZE ? 'ok' : 'BELOW TARGET OR WRONG COUNTS';
    console.log(
      `summary: ${SIZE} rows, pages of ${PAGE}: sealed upsert ${rate(upsert)}/s = ${fmt(ratio)} of raw ${rate(raw)}/s; ` +
        `unchanged pass ${rate(upsert2)}/s; ${verdict}`,
    );
  } finally {
    await client.end();
    await dataSource.destroy();
  }
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function main(): Promise<void> {
  const config = loadConfigOrExit('migrate');
  const url = withDatabase(config.database.url, `crm_sync_bench_${randomBytes(4).toString('hex')}`);
  console.log(`seed ${SEED} size ${SIZE} page ${PAGE}`);
  await ensureDatabase(url);
  try {
    await bench(url, config);
  } finally {
    await dropDatabase(url);
    clearInterval(sampler);
  }
}

main().catch((error: unknown) => {
  console.error(`bench:upsert failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
