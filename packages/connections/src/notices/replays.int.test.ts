import type { VerifiedDelivery } from '@crm-sync/core';
import { connectSandboxAccount, createConnectionsHarness, type ConnectionsHarness } from '../../test';
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

it('ends a revoked connection with the claim, or keeps neither when that fails, so the retry is taken', async () => {
  const { connectionId: id, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'replay-revoked@example.com',
  });
  const deps = { db: h.db.dataSource, credentials: h.deps.credentials, generations: h.deps.generations };
  const delivery: VerifiedDelivery = {
    provider: 'google',
    replayKey: 'jti-fails-once',
    replayTtlMs: 60_000,
    notices: [
      {
        kind: 'tokens-revoked',
        action: 'revoke',
        target: { kind: 'account', providerAccountId: account.id },
      },
    ],
  };
  const state = async () =>
    (
      (await h.db.dataSource.query(
        `SELECT c.status, (SELECT count(*)::int FROM credentials WHERE connection_id = c.id) AS credentials,
                (SELECT count(*)::int FROM notice_replays) AS claims
           FROM connections c WHERE c.id = $1`,
        [id],
      )) as Array<{ status: string; credentials: number; claims: number }>
    )[0]!;
  const before = await state();
  // The outbox refuses the CRM's notification for a while (as a failing write would), after the claim was made.
  await h.db.dataSource.query(`ALTER TABLE outbox ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
  await expect(receiveDelivery(deps, delivery)).rejects.toThrow(/refuse_all/);
  await h.db.dataSource.query(`ALTER TABLE outbox DROP CONSTRAINT refuse_all`);
  expect(await state()).toEqual(before);

  expect(await receiveDelivery(deps, delivery)).toEqual({
    kind: 'accepted',
    notices: [{ kind: 'tokens-revoked', action: 'revoke', target: 'account', connectionIds: [id] }],
  });
  // Ended at once, as the worker's token.revoked would: no credentials, the CRM told through the outbox.
  expect(await state()).toEqual({ status: 'revoked', credentials: 0, claims: before.claims + 1 });
  const events = (await h.db.dataSource.query(
    `SELECT payload FROM outbox WHERE payload->>'connectionId' = $1 AND payload->>'type' <> 'connection.connected'`,
    [id],
  )) as Array<{ payload: { type: string; status?: string } }>;
  expect(events.map((e) => [e.payload.type, e.payload.status])).toEqual([
    ['connection.status_changed', 'revoked'],
  ]);
  const audit = (await h.db.dataSource.query(
    `SELECT type, actor FROM audit_events WHERE connection_id = $1 AND type = 'token_revoked'`,
    [id],
  )) as unknown[];
  expect(audit).toEqual([{ type: 'token_revoked', actor: 'provider' }]);
  expect(await receiveDelivery(deps, delivery)).toEqual({ kind: 'replayed' });
});
