// npm run bench:read -- [--size 20000] [--page 1000] [--rounds 3] [--seed 20261203]
//
// The read API (issue 19, docs/read-api.md) as production runs it: connect-api as its own process
// (apps/connect-api/src/main.ts) over a temporary database and Redis prefix, serving a connection's sealed
// email-shaped rows (bench/lib/emailRows.ts, sealed as the sync engine seals them) decrypted, page by page with its
// cursors. The ceiling is a plain keyset-paged `SELECT` of the same rows through `pg` in the same run, alternating
// round by round so the machine's noise falls on both alike; the library (@crm-sync/reader in this process) is
// printed too, to tell decryption from HTTP and JSON.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseVaultKeys } from '@crm-sync/config';
import { emailUpsert, upsertRows } from '@crm-sync/db';
import { ContentReader } from '@crm-sync/reader';
import { PageSealer } from '@crm-sync/sync-engine';
import { createContentKeys, KeyRing } from '@crm-sync/vault';
import { Client } from 'pg';
import { appsUnderTest } from './lib/appsUnderTest';
import { cpuMs } from './lib/cpu';
import { emailRows, sealEmails } from './lib/emailRows';
import { peakRssMb } from './lib/rss';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '20000' },
    page: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20261203' },
  },
});
const SIZE = Number(args.size);
const PAGE = Number(args.page);
const ROUNDS = Number(args.rounds);
const SEED = Number(args.seed);
for (const [name, value] of Object.entries({ size: SIZE, page: PAGE, rounds: ROUNDS, seed: SEED })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
}
if (PAGE > 1000) throw new Error('--page is at most 1000 (the API limit)');
const TENANT = 'bench';
const SECRET = randomBytes(24).toString('hex');

/** Seconds one traversal of every row takes, and how many rows it served. */
async function timedTraversal(traverse: () => Promise<number>): Promise<{ seconds: number; rows: number }> {
  const start = process.hrtime.bigint();
  const rows = await traverse();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, rows };
}

async function main(): Promise<void> {
  const world = await appsUnderTest('read');
  const { h, baseUrl, vaultKeys } = world;
  const indexKeys = `bench-index:${randomBytes(32).toString('base64')}`;
  // The keys connect-api is given, so the rows are sealed and indexed as its own would be.
  const keys = createContentKeys({
    db: h.db.dataSource,
    keyRing: new KeyRing(parseVaultKeys(vaultKeys, undefined)),
    index: parseVaultKeys(indexKeys, undefined),
  });
  const [{ id: connectionId }] = await h.db.dataSource.query<Array<{ id: string }>>(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
     VALUES ($1, 'u1', 'google', 'bench') RETURNING id`,
    [TENANT],
  );
  const row = emailRows(SEED, SIZE);
  const sealer = await PageSealer.open(keys, { connectionId, tenantId: TENANT });
  for (let start = 0; start < SIZE; start += 1000) {
    const page = Array.from({ length: Math.min(1000, SIZE - start) }, (_, i) => row(connectionId, start + i));
    await upsertRows(h.db.dataSource, emailUpsert, sealEmails(sealer, page, { keys, tenantId: TENANT }));
  }
  await h.db.dataSource.query('VACUUM ANALYZE emails');
  const [app] = await world.start(['connect-api'], {
    CONTENT_INDEX_KEY: indexKeys,
    SERVICE_TOKENS: `bench:${SECRET}:*`,
  });
  const client = new Client({ connectionString: h.db.url });
  await client.connect();
  const reader = new ContentReader({ db: h.db.dataSource, keys });
  try {
    const viaApi = async () => {
      let served = 0;
      let cursor: string | undefined;
      for (;;) {
        const query = new URLSearchParams({
          tenantId: TENANT,
          limit: String(PAGE),
          ...(cursor && { cursor }),
        });
        const response = await fetch(`${baseUrl}/v1/connections/${connectionId}/emails?${query}`, {
          headers: { authorization: `Bearer ${SECRET}` },
        });
        if (response.status !== 200) throw new Error(`read API answered ${response.status}`);
        const page = (await response.json()) as { items: unknown[]; nextCursor: string; hasMore: boolean };
        served += page.items.length;
        cursor = page.nextCursor;
        if (!page.hasMore) return served;
      }
    };
    const viaLibrary = async () => {
      let served = 0;
      let cursor: string | undefined;
      for (;;) {
        const page = await reader.read('emails', {
          tenantId: TENANT,
          connectionId,
          limit: PAGE,
          ...(cursor && { cursor }),
        });
        served += page.items.length;
        cursor = page.nextCursor;
        if (!page.hasMore) return served;
      }
    };
    // The same rows, columns and keyset order, sealed values left closed.
    const plainSelect = async () => {
      let served = 0;
      let after = ['0', '0'];
      for (;;) {
        const { rows } = await client.query<{ xid_text: string; id_text: string }>(
          `SELECT *, change_xid::text AS xid_text, id::text AS id_text FROM emails
            WHERE connection_id = $1 AND deleted_at IS NULL AND (change_xid, id) > ($2::xid8, $3::bigint)
            ORDER BY emails.change_xid, emails.id LIMIT $4`,
          [connectionId, after[0], after[1], PAGE],
        );
        served += rows.length;
        const last = rows.at(-1);
        if (!last || rows.length < PAGE) return served;
        after = [last.xid_text, last.id_text];
      }
    };
    console.log(`seed ${SEED}, rows ${SIZE}, pages of ${PAGE}, rounds ${ROUNDS}`);
    await Promise.all([viaApi(), plainSelect(), viaLibrary()]); // warm every path once
    const total = { api: 0, select: 0, library: 0 };
    const pid = app.child.pid!;
    let apiCpu = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate which goes first, so neither always runs on a warmer cache.
      const order =
        round % 2 === 0 ? (['select', 'api', 'library'] as const) : (['api', 'library', 'select'] as const);
      for (const arm of order) {
        const cpuBefore = arm === 'api' ? cpuMs(pid) : 0;
        const traverse = { api: viaApi, select: plainSelect, library: viaLibrary }[arm];
        const { seconds, rows } = await timedTraversal(traverse);
        if (rows !== SIZE) throw new Error(`${arm} served ${rows} rows, not ${SIZE}`);
        total[arm] += seconds;
        if (arm === 'api') apiCpu += cpuMs(pid) - cpuBefore;
      }
    }
    const rate = (seconds: number) => (SIZE * ROUNDS) / seconds;
    const api = rate(total.api);
    const select = rate(total.select);
    const library = rate(total.library);
    console.log(`plain SELECT rows/s ${select.toFixed(0)} (ceiling: same rows, sealed values not opened)`);
    console.log(`reader library rows/s ${library.toFixed(0)} (in this process, decrypted)`);
    console.log(`read API rows/s ${api.toFixed(0)} (connect-api as a process, decrypted, JSON over HTTP)`);
    console.log(`ratio api-vs-select ${(api / select).toFixed(2)} (read API rows/s ÷ plain SELECT rows/s)`);
    console.log(`ratio library-vs-select ${(library / select).toFixed(2)}`);
    console.log(`connect-api cpu µs per row ${((apiCpu * 1000) / (SIZE * ROUNDS)).toFixed(1)}`);
    console.log(`rss-mb ${peakRssMb(pid)} (connect-api)`);
    console.log(
      `summary: the read API serves ${api.toFixed(0)} decrypted rows/s (${api >= 5000 ? 'meets' : 'misses'} the ` +
        `5,000 target), ${(api / select).toFixed(2)} of a plain SELECT of the same rows`,
    );
  } finally {
    await client.end();
    await world.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
