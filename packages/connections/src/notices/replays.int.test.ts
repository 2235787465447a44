import type { VerifiedDelivery } from '@crm-sync/core';
import { createConnectionsHarness, type ConnectionsHarness } from '../../test';
import { receiveDelivery } from './receiveDelivery';
import { claimReplay, pruneReplays } from './replays';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const t0 = new Date('2026-12-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

it('claims a key once within its TTL, again once it expired; the sweep prunes only expired claims', async () => {
  const db = h.db.dataSource.manager;
  expect(await claimReplay(db, 'hubspot', 'sig-a', 60_000, t0)).toBe(true);
  expect(await claimReplay(db, 'hubspot', 'sig-a', 60_000, at(59_999))).toBe(false);
  // The same key from another provider is another delivery.
  expect(await claimReplay(db, 'google', 'sig-a', 60_000, at(1))).toBe(true);
  expect(await claimReplay(db, 'hubspot', 'sig-a', 60_000, at(60_000))).toBe(true);
  expect(await pruneReplays(db, at(60_001))).toBe(1);
  expect(await claimReplay(db, 'hubspot', 'sig-a', 60_000, at(60_002))).toBe(false);
  // Only digests are kept, never what the sender wrote.
  expect(await h.db.dataSource.query(`SELECT 1 FROM notice_replays WHERE key_digest LIKE '%sig%'`)).toEqual(
    [],
  );
});

it('keeps neither the claim nor an event when recording the delivery fails, so the retry is taken', async () => {
  const [{ id }] = (await h.db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
     VALUES ('t1', 'u-replay', 'google', 'acct-replay') RETURNING id`,
  )) as [{ id: string }];
  const delivery: VerifiedDelivery = {
    provider: 'google',
    replayKey: 'jti-fails-once',
    replayTtlMs: 60_000,
    notices: [
      {
        kind: 'tokens-revoked',
        action: 'revoke',
        target: { kind: 'account', providerAccountId: 'acct-replay' },
      },
    ],
  };
  // The outbox refuses the event for a while (as a failing write would), after the claim was made.
  await h.db.dataSource.query(`ALTER TABLE outbox ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
  await expect(receiveDelivery({ db: h.db.dataSource }, delivery)).rejects.toThrow(/refuse_all/);
  await h.db.dataSource.query(`ALTER TABLE outbox DROP CONSTRAINT refuse_all`);

  expect(await receiveDelivery({ db: h.db.dataSource }, delivery)).toEqual({
    kind: 'accepted',
    notices: [{ kind: 'tokens-revoked', action: 'revoke', connectionIds: [id] }],
  });
  const events = (await h.db.dataSource.query(
    `SELECT payload FROM outbox WHERE payload->>'connectionId' = $1`,
    [id],
  )) as Array<{ payload: { type: string } }>;
  expect(events.map((e) => e.payload.type)).toEqual(['token.revoked']);
  expect(await receiveDelivery({ db: h.db.dataSource }, delivery)).toEqual({ kind: 'replayed' });
});
