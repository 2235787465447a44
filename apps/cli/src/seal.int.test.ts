import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseVaultKeys } from '@crm-sync/config';
import { ContentReader } from '@crm-sync/reader';
import { horizonPassed } from '@crm-sync/reader/testing';
import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { createContentKeys, KeyRing } from '@crm-sync/vault';

// `crm-sync seal --batch N` (docs/encryption-at-rest.md, "Batch sealing"): rows written before sealing are sealed in
// batches; killed midway, a second run finishes the job; a third finds nothing to do.

jest.setTimeout(180_000);

const BIN = join(__dirname, '..', 'bin', 'crm-sync.js');
const VAULT_KEYS = `k1:${randomBytes(32).toString('base64')}`;
const INDEX_KEYS = `i1:${randomBytes(32).toString('base64')}`;
const EMAILS = 1500;
let db: TestDatabase;
let active: string;
let shredded: string;

function env(): NodeJS.ProcessEnv {
  const { NODE_ENV: _jest, ...rest } = process.env;
  return { ...rest, DATABASE_URL: db.url, VAULT_KEYS, CONTENT_INDEX_KEY: INDEX_KEYS };
}

const unsealed = async (table: string) =>
  (
    (await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE sealed IS NULL`)) as [
      { n: number },
    ]
  )[0].n;

beforeAll(async () => {
  db = await createTestDatabase();
  const insert = async (account: string, status: string) =>
    (
      (await db.dataSource.query(
        `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
       VALUES ('t1', 'u1', 'google', $1, $2) RETURNING id`,
        [account, status],
      )) as Array<{ id: string }>
    )[0]!.id;
  active = await insert('seal-active', 'active');
  shredded = await insert('seal-gone', 'disconnected');
  await db.dataSource.query(
    `INSERT INTO emails (connection_id, external_id, content_hash, from_address, to_addresses, subject, body_text,
                         message_id, sent_at)
     SELECT $1, 'm' || i, 'h', 'Sender' || (i % 7) || '@Example.com', ARRAY['owner@example.com'],
            'Legacy subject ' || i, 'Legacy body ' || i, '<m' || i || '@mail.example>', now()
       FROM generate_series(1, $2) i`,
    [active, EMAILS],
  );
  await db.dataSource.query(
    `INSERT INTO contacts (connection_id, external_id, content_hash, display_name, emails)
     SELECT $1, 'c' || i, 'h', 'Legacy Person ' || i, ARRAY['person' || i || '@example.com']
       FROM generate_series(1, 50) i`,
    [active],
  );
  await db.dataSource.query(
    `INSERT INTO tasks (connection_id, external_id, content_hash, list_id, status, title, notes)
     SELECT $1, 't' || i, 'h', 'l', 'open', 'Legacy task ' || i, 'notes' FROM generate_series(1, 20) i`,
    [active],
  );
  await db.dataSource.query(
    `INSERT INTO contacts (connection_id, external_id, content_hash, display_name)
     SELECT $1, 'g' || i, 'h', 'Gone ' || i FROM generate_series(1, 5) i`,
    [shredded],
  );
});

afterAll(async () => {
  await db?.drop();
});

it('seals in batches, resumes after a kill, then has nothing left to do; the change feed is not moved', async () => {
  const keys = createContentKeys({
    db: db.dataSource,
    keyRing: new KeyRing(parseVaultKeys(VAULT_KEYS, undefined)),
    index: parseVaultKeys(INDEX_KEYS, undefined),
  });
  const reader = new ContentReader({ db: db.dataSource, keys });
  // Reads serve rows below the oldest running transaction; other suites on this server may hold it back a moment.
  await horizonPassed(db.dataSource);
  // The change feed's position after every row as written before sealing.
  let feed = await reader.read('emails', {
    tenantId: 't1',
    connectionId: active,
    changedSince: new Date(0),
    limit: 1000,
  });
  while (feed.hasMore)
    feed = await reader.read('emails', {
      tenantId: 't1',
      connectionId: active,
      cursor: feed.nextCursor,
      limit: 1000,
    });
  const before = await reader.read('emails', { tenantId: 't1', connectionId: active, limit: 3 });

  // Killed once it has reported a few batches.
  const child = spawn(process.execPath, [BIN, 'seal', '--batch', '10'], { env: env() });
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if ((out.match(/emails: sealed/g) ?? []).length >= 3 && child.kill('SIGKILL')) resolve();
    });
  });
  await new Promise((resolve) => child.once('exit', resolve));
  const left = await unsealed('emails');
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThan(EMAILS);

  const second = spawnSync(process.execPath, [BIN, 'seal', '--batch', '200'], {
    env: env(),
    encoding: 'utf8',
  });
  expect(second.status).toBe(0);
  expect(second.stdout).toMatch(/contacts: sealed 50, skipped 5 \(shredded\), 5 left/);
  expect(await unsealed('emails')).toBe(0);
  expect(await unsealed('tasks')).toBe(0);
  const plain = (await db.dataSource.query(
    `SELECT count(*)::int AS n FROM emails WHERE subject IS NOT NULL OR from_address IS NOT NULL
        OR message_id IS NOT NULL OR to_addresses <> '{}'`,
  )) as [{ n: number }];
  expect(plain[0].n).toBe(0);

  await horizonPassed(db.dataSource);
  const after = await reader.read('emails', { tenantId: 't1', connectionId: active, limit: 3 });
  expect(after.items).toEqual(before.items);
  const bySender = await reader.read('emails', {
    tenantId: 't1',
    connectionId: active,
    address: 'sender3@example.com',
    limit: 1000,
  });
  expect(bySender.items).toHaveLength(Math.floor((EMAILS - 3) / 7) + 1);
  const byId = await reader.read('emails', {
    tenantId: 't1',
    connectionId: active,
    messageId: '<m42@mail.example>',
  });
  expect(byId.items.map((i) => i.externalId)).toEqual(['m42']);
  const tasks = await reader.read('tasks', { tenantId: 't1', connectionId: active, limit: 1 });
  expect(tasks.items[0]).toMatchObject({ record: { title: 'Legacy task 1', notes: 'notes' } });
  // Sealing changed no content, so the change feed has nothing new to serve.
  const quiet = await reader.read('emails', {
    tenantId: 't1',
    connectionId: active,
    cursor: feed.nextCursor,
  });
  expect(quiet.items).toEqual([]);

  const third = spawnSync(process.execPath, [BIN, 'seal'], { env: env(), encoding: 'utf8' });
  expect(third.status).toBe(0);
  expect(third.stdout).toContain('done: 0 row(s) sealed');
  expect(spawnSync(process.execPath, [BIN, 'seal', '--batch', '0'], { env: env() }).status).toBe(64);
});
