import { createTestDatabase, insertTestConnection, type TestDatabase } from '@crm-sync/db/testing';
import { markDeleted } from '../upsert/markDeleted';
import { crmObjectUpsert } from '../upsert/specs';
import { upsertRows } from '../upsert/upsertRows';
import { dropLinksOfDeleted, replaceLinks } from './links';

let db: TestDatabase;
let connectionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  connectionId = await insertTestConnection(db.dataSource);
});
afterAll(() => db.drop());
beforeEach(() => db.dataSource.query('DELETE FROM crm_associations; DELETE FROM crm_objects'));

const scope = () => ({ connectionId, fromType: 'deals' });
const primary = [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }];
const unlabeled = [{ category: 'HUBSPOT_DEFINED', typeId: 341, label: null }];

async function deals(...ids: string[]) {
  const row = (externalId: string) => ({
    connectionId,
    externalId,
    objectType: 'deals',
    sealed: Buffer.from('s'),
    blindIndex: [],
    remoteUpdatedAt: null,
    contentHash: `h-${externalId}`,
    seenRound: 1,
  });
  await upsertRows(db.dataSource, crmObjectUpsert, ids.map(row));
}

const stored = async () =>
  (
    (await db.dataSource.query(
      `SELECT from_id, to_type, to_id, types FROM crm_associations ORDER BY from_id, to_type, to_id`,
    )) as { from_id: string; to_type: string; to_id: string; types: unknown }[]
  ).map((r) => [r.from_id, r.to_type, r.to_id, r.types]);

test('a link set replaces what the object had of that type, and only that type', async () => {
  await deals('d1', 'd2');
  await replaceLinks(db.dataSource, scope(), [
    {
      fromId: 'd1',
      toType: 'companies',
      links: [
        { toId: 'c1', types: primary },
        { toId: 'c2', types: unlabeled },
      ],
    },
    { fromId: 'd1', toType: 'contacts', links: [{ toId: 'p1', types: [] }] },
    { fromId: 'd2', toType: 'companies', links: [{ toId: 'c1', types: unlabeled }] },
  ]);
  const changed = await replaceLinks(db.dataSource, scope(), [
    {
      fromId: 'd1',
      toType: 'companies',
      links: [
        { toId: 'c2', types: primary },
        { toId: 'c3', types: unlabeled },
      ],
    },
  ]);
  expect(changed).toEqual({ written: 2, removed: 1 });
  expect(await stored()).toEqual([
    ['d1', 'companies', 'c2', primary],
    ['d1', 'companies', 'c3', unlabeled],
    ['d1', 'contacts', 'p1', []],
    ['d2', 'companies', 'c1', unlabeled],
  ]);
  // The same set again writes nothing; an empty set removes them all.
  const same = [
    {
      fromId: 'd1',
      toType: 'companies',
      links: [
        { toId: 'c2', types: primary },
        { toId: 'c3', types: unlabeled },
      ],
    },
  ];
  expect(await replaceLinks(db.dataSource, scope(), same)).toEqual({ written: 0, removed: 0 });
  expect(
    await replaceLinks(db.dataSource, scope(), [{ fromId: 'd1', toType: 'companies', links: [] }]),
  ).toEqual({
    written: 0,
    removed: 2,
  });
});

test('links of an object without a row are skipped; a deleted row loses its links; a purged one cascades', async () => {
  await deals('d1', 'd2', 'd3');
  await replaceLinks(db.dataSource, scope(), [
    { fromId: 'ghost', toType: 'companies', links: [{ toId: 'c1', types: [] }] },
    { fromId: 'd1', toType: 'companies', links: [{ toId: 'c1', types: [] }] },
    { fromId: 'd2', toType: 'companies', links: [{ toId: 'c1', types: [] }] },
    { fromId: 'd3', toType: 'companies', links: [{ toId: 'c1', types: [] }] },
  ]);
  expect((await stored()).map((r) => r[0])).toEqual(['d1', 'd2', 'd3']);
  await markDeleted(db.dataSource, 'crm_objects', connectionId, ['d1', 'd2'], 'deals');
  expect(await dropLinksOfDeleted(db.dataSource, scope(), ['d1'])).toBe(1);
  expect((await stored()).map((r) => r[0])).toEqual(['d2', 'd3']);
  expect(await dropLinksOfDeleted(db.dataSource, scope())).toBe(1);
  expect((await stored()).map((r) => r[0])).toEqual(['d3']);
  await db.dataSource.query(`DELETE FROM crm_objects WHERE external_id = 'd3'`);
  expect(await stored()).toEqual([]);
});
