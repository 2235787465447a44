import { connectSandboxAccount, createConnectionsHarness, type ConnectionsHarness } from '../test';
import { connectionLog } from './connectionLog';
import { disconnectConnection, tokenRefreshAudit } from './lifecycle';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

it('pages through authorization, refreshes, disconnect and purge, newest first, for its tenant only', async () => {
  const { connectionId } = await connectSandboxAccount(h, { provider: 'google', email: 'log@example.com' });
  const expiresAt = new Date('2027-01-01T00:00:00Z');
  await tokenRefreshAudit(h.db.dataSource)({ connectionId, rotated: false, expiresAt, scopes: ['openid'] });
  await tokenRefreshAudit(h.db.dataSource)({ connectionId, rotated: true, expiresAt: null, scopes: [] });
  await disconnectConnection(h.deps, { connectionId, tenantId: 't1', purge: true, actor: 'service:crm' });

  const first = (await connectionLog(h.db.dataSource, 't1', connectionId, { limit: 3 }))!;
  expect(first.events.map((e) => e.type)).toEqual(['purge_completed', 'disconnected', 'token_refreshed']);
  expect(first.events[2]).toMatchObject({
    actor: 'system',
    details: { rotated: true, expiresAt: null, scopes: [] },
  });
  const second = (await connectionLog(h.db.dataSource, 't1', connectionId, {
    limit: 3,
    before: first.nextBefore!,
  }))!;
  expect(second.events.map((e) => e.type)).toEqual(['token_refreshed', 'connected']);
  expect(second.nextBefore).toBeNull();
  expect(second.events[0]!.details).toEqual({
    rotated: false,
    expiresAt: expiresAt.toISOString(),
    scopes: ['openid'],
  });
  // The authorization names what was asked for and granted, and when.
  expect(second.events[1]!.details).toMatchObject({
    provider: 'google',
    requestedScopes: expect.any(Array),
    grantedScopes: expect.any(Array),
  });
  expect(second.events[1]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(await connectionLog(h.db.dataSource, 't2', connectionId, { limit: 3 })).toBeNull();
});
