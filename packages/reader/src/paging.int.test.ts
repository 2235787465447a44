import { markDeleted } from '@crm-sync/db';
import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import type { ContentKeys } from '@crm-sync/vault';
import { contact, insertConnection, readerTestKeys, writeSealed } from '../test';
import { ContentReader, type Item, type ReadRequest } from '.';

// 100k rows paged through while a writer keeps changing and deleting some of them in transactions that stay open
// across pages (docs/read-api.md, "Paging"): nothing is skipped; a row is served again only after a change made
// after it was served, and its last serving is its final state; a change feed serves each deletion exactly once.

jest.setTimeout(600_000);

const ROWS = 100_000;
const TENANT = 't-paging';
let db: TestDatabase;
let keys: ContentKeys;
let reader: ContentReader;
let connectionId: string;
const company = new Map<string, string>();
const deleted = new Set<string>();

beforeAll(async () => {
  db = await createTestDatabase();
  keys = readerTestKeys(db.dataSource);
  reader = new ContentReader({ db: db.dataSource, keys });
  connectionId = await insertConnection(db.dataSource, TENANT, 'paging');
  for (let start = 0; start < ROWS; start += 5000) {
    const records = Array.from({ length: 5000 }, (_, i) => contact(`c${start + i}`, { company: 'v0' }));
    await writeSealed(db.dataSource, keys, { connectionId, tenantId: TENANT }, 'contacts', records);
  }
  for (let i = 0; i < ROWS; i += 1) company.set(`c${i}`, 'v0');
});

afterAll(async () => {
  await db?.drop();
});

/** Writes in the background until stopped: each transaction updates 300 rows, deletes 50, and stays open 50 ms. */
function startWriter(round: string): { changes: Map<string, number>; stop: () => Promise<void> } {
  const changes = new Map<string, number>();
  let stopped = false;
  let n = 0;
  const live = () => [...company.keys()].filter((id) => !deleted.has(id));
  const loop = (async () => {
    while (!stopped) {
      n += 1;
      const ids = live();
      const pick = (count: number) =>
        Array.from({ length: count }, () => ids[Math.floor(Math.random() * ids.length)]!);
      const updates = [...new Set(pick(300))];
      const deletions = [...new Set(pick(50))].filter((id) => !updates.includes(id));
      const value = `${round}-${n}`;
      await db.dataSource.transaction(async (manager) => {
        const records = updates.map((id) => contact(id, { company: value }));
        await writeSealed(manager, keys, { connectionId, tenantId: TENANT }, 'contacts', records);
        await markDeleted(manager, 'contacts', connectionId, deletions);
        await manager.query('SELECT pg_sleep(0.05)');
      });
      for (const id of updates) company.set(id, value);
      for (const id of deletions) deleted.add(id);
      for (const id of [...updates, ...deletions]) changes.set(id, (changes.get(id) ?? 0) + 1);
    }
  })();
  return {
    changes,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** Reads every page from `request` on; returns what was served and the cursor after the last page. */
async function drain(request: ReadRequest, served: Array<Item<'contacts'>>): Promise<string> {
  let page = await reader.read('contacts', request);
  served.push(...page.items);
  while (page.hasMore) {
    page = await reader.read('contacts', { ...request, cursor: page.nextCursor });
    served.push(...page.items);
  }
  return page.nextCursor;
}

/** Waits until every committed change is below the horizon readers serve up to (no transaction still open). */
async function settled(): Promise<void> {
  for (;;) {
    const [row] = (await db.dataSource.query(
      `SELECT pg_snapshot_xmin(pg_current_snapshot()) > max(change_xid) AS settled FROM contacts`,
    )) as Array<{ settled: boolean }>;
    if (row?.settled) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What is wrong with a traversal, by row: empty when every row was served as the semantics promise. */
function check(served: Array<Item<'contacts'>>, changes: Map<string, number>, feed: boolean): string[] {
  const count = new Map<string, number>();
  const last = new Map<string, Item<'contacts'>>();
  const wrong: string[] = [];
  for (const item of served) {
    count.set(item.externalId, (count.get(item.externalId) ?? 0) + 1);
    last.set(item.externalId, item);
    if (item.deleted && !feed) wrong.push(`${item.externalId}: a listing served a deletion`);
  }
  for (const [id, value] of company) {
    const times = count.get(id) ?? 0;
    // Served again only after a change made after it was served.
    if (times > 1 + (changes.get(id) ?? 0)) wrong.push(`${id}: served ${times} times`);
    const final = last.get(id);
    if (deleted.has(id)) {
      // A feed ends on the deletion; a listing may have served the row before it was deleted, or not at all.
      if (feed && !final?.deleted) wrong.push(`${id}: deletion not served`);
    } else if (!final || final.deleted || final.record.company !== value) {
      wrong.push(`${id}: last served ${final ? JSON.stringify(final) : 'never'}, expected ${value}`);
    }
  }
  if (feed) {
    const deletions = served.filter((item) => item.deleted).map((item) => item.externalId);
    if (new Set(deletions).size !== deletions.length) wrong.push('a deletion was served twice');
  }
  return wrong.slice(0, 20);
}

test('a listing pages through 100k rows while they change: none skipped, none served twice unchanged', async () => {
  const writer = startWriter('list');
  const served: Array<Item<'contacts'>> = [];
  const cursor = await drain({ tenantId: TENANT, connectionId, limit: 1000 }, served);
  await writer.stop();
  expect(writer.changes.size).toBeGreaterThan(0);
  await settled();
  await drain({ tenantId: TENANT, connectionId, cursor, limit: 1000 }, served);
  expect(check(served, writer.changes, false)).toEqual([]);
});

test('the change feed serves every row, each update after it was served, and each deletion once', async () => {
  const before = new Set(deleted);
  const writer = startWriter('feed');
  const served: Array<Item<'contacts'>> = [];
  const request = { tenantId: TENANT, connectionId, changedSince: new Date(0), limit: 1000 };
  const cursor = await drain(request, served);
  await writer.stop();
  await settled();
  const end = await drain({ tenantId: TENANT, connectionId, cursor, limit: 1000 }, served);
  // Rows deleted before the feed started are served as deletions, once each, as the others.
  const early = served.filter((item) => before.has(item.externalId));
  expect(early.length).toBe(before.size);
  expect(early.every((item) => item.deleted)).toBe(true);
  expect(check(served, writer.changes, true)).toEqual([]);
  // Nothing new: the feed is quiet until the next change.
  const quiet = await reader.read('contacts', { tenantId: TENANT, connectionId, cursor: end, limit: 1000 });
  expect(quiet.items).toEqual([]);
});
