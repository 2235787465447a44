import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { startApp, type AppHarness } from '../test/appHarness';

// HubSpot webhooks as push (issue 25, docs/push.md): each verified event asks for one incremental round of the
// resource it is about, for the portal's live connections; events of types crm-sync does not sync ask for nothing;
// a portal with no connection is logged and counted, and answered 204 like any accepted delivery.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp();
});
afterAll(() => h.close());

const url = () => `${h.baseUrl}/v1/webhooks/hubspot`;

/** The rounds notices asked for, by resource, in the order recorded. */
async function requested(connectionId: string) {
  const rows = (await h.db.dataSource.query(
    `SELECT payload FROM outbox WHERE queue = $1 AND payload->>'connectionId' = $2
        AND payload->>'type' = 'sync.requested' ORDER BY id`,
    [QUEUE_NAMES.connectionEvents, connectionId],
  )) as Array<{ payload: { full: boolean; resources?: string[] } }>;
  return rows.map((r) => ({ full: r.payload.full, resources: r.payload.resources }));
}

const emit = (accountId: string, events: Array<{ subscriptionType: string; objectId?: number }>) =>
  h.sandbox.control.providerOp('hubspot', accountId, 'webhook', { url: url(), events }) as Promise<{
    status: number;
  }>;

it('a batch asks for one round of each resource it names, once however often it names it', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'hs-batch@example.com',
  });
  const sent = await emit(account.id, [
    { subscriptionType: 'deal.propertyChange', objectId: 3 },
    { subscriptionType: 'contact.creation', objectId: 1 },
    { subscriptionType: 'contact.propertyChange', objectId: 1 },
    { subscriptionType: 'contact.deletion', objectId: 2 },
    { subscriptionType: 'deal.associationChange', objectId: 3 },
    { subscriptionType: 'ticket.creation', objectId: 9 },
  ]);
  expect(sent.status).toBe(204);
  expect(await requested(connectionId)).toEqual([
    { full: false, resources: ['deals'] },
    { full: false, resources: ['contacts'] },
  ]);
});

it('the sandbox’s own webhook after a change reaches the route and asks for a round of that resource', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'hs-pushed@example.com',
  });
  h.sandbox.control.providerOp('hubspot', account.id, 'webhookSettings', {
    targetUrl: url(),
    subscriptions: [{ eventType: 'company.creation' }],
  });
  h.sandbox.control.addItem('hubspot', account.id, 'companies', {});
  for (let i = 0; i < 3_000 && (await requested(connectionId)).length === 0; i += 1)
    await new Promise((r) => setTimeout(r, 10));
  expect(await requested(connectionId)).toEqual([{ full: false, resources: ['companies'] }]);
  const { sent } = h.sandbox.control.providerOp('hubspot', account.id, 'webhookLog', {}) as {
    sent: Array<{ status: number }>;
  };
  expect(sent.map((s) => s.status)).toEqual([204]);
});

it('logs and counts events of a portal with no connection, and answers 204', async () => {
  const stranger = h.sandbox.control.createAccount({ provider: 'hubspot', email: 'hs-stranger@example.com' });
  expect((await emit(stranger.id, [{ subscriptionType: 'company.deletion' }])).status).toBe(204);
  expect(h.logs()).toContain('provider notice matched no connection');
  expect(await h.metrics()).toMatch(
    /crm_sync_provider_notices_unmatched_total\{provider="hubspot",kind="company.deletion"\} 1/,
  );
});
