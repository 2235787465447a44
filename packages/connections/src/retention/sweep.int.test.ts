import { insertTestConnection } from '@crm-sync/testing';
import { createContentKeys, DataKeyShreddedError, KeyRing, openRow, sealRow } from '@crm-sync/vault';
import { randomBytes } from 'node:crypto';
import { createConnectionsHarness, type ConnectionsHarness } from '../../test';
import { sweepRetention } from './sweep';

// The retention sweep shreds an ended connection's data key before it purges the rows, as a deletion request does
// (docs/deletion.md): a copy of a row taken before the sweep (a backup, a replica) no longer opens.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const ADDRESS = { table: 'contacts', rowKey: ['c1'] };

/** A connection with a data key and one sealed contact row; ended `daysAgo` days ago. */
async function endedConnection(account: string, daysAgo: number): Promise<{ id: string; sealed: Buffer }> {
  const id = await insertTestConnection(h.db.dataSource, account);
  const sealed = sealRow(await h.deps.content.dataKeys.forWrite(id), ADDRESS, { displayName: 'Kept Name' });
  await h.db.dataSource.query(
    `INSERT INTO contacts (connection_id, external_id, content_hash, sealed) VALUES ($1, 'c1', 'h', $2)`,
    [id, sealed],
  );
  await h.db.dataSource.query(
    `UPDATE connections SET status = 'disconnected', ended_at = now() - make_interval(days => $2) WHERE id = $1`,
    [id, daysAgo],
  );
  return { id, sealed };
}

it('shreds the data keys of connections past retention, then purges their rows; others keep both', async () => {
  const due = await endedConnection('retention-due', 40);
  const recent = await endedConnection('retention-recent', 1);
  await h.db.dataSource.query(`INSERT INTO tenant_settings (tenant_id, retention_days) VALUES ('t1', 30)`);
  const result = await sweepRetention({
    db: h.db.dataSource,
    producer: h.deps.producer,
    purgeBatchSize: 100,
    auditRetentionMs: 0,
    resumeDeletionsAfterMs: 3_600_000,
  });
  expect(result).toMatchObject({ connections: 1, keysShredded: 1, deleted: { contacts: 1 } });
  const keys = (await h.db.dataSource.query(
    `SELECT connection_id FROM data_keys ORDER BY connection_id`,
  )) as Array<{
    connection_id: string;
  }>;
  expect(keys.map((k) => k.connection_id)).toEqual([recent.id]);
  // A process with no cached key (another replica, a restore of a backup) cannot open the copy taken before.
  const elsewhere = createContentKeys({
    db: h.db.dataSource,
    keyRing: new KeyRing({ activeKeyId: 'other', keys: { other: randomBytes(32) } }),
    index: { activeKeyId: 'i', keys: { i: randomBytes(32) } },
  });
  await expect(elsewhere.dataKeys.forRead(due.id)).rejects.toBeInstanceOf(DataKeyShreddedError);
  const kept = await h.deps.content.dataKeys.forRead(recent.id);
  expect(openRow(kept, ADDRESS, recent.sealed)).toEqual({ displayName: 'Kept Name' });
});
