import { requestDeletion, runDeletion } from '@crm-sync/connections';
import { connectSandboxAccount, deletionDeps } from '@crm-sync/connections/testing';
import { GMAIL_PUSH, startApp, type AppHarness } from '../test/appHarness';
import { firstRoundsDone, harnessKeeper, syncAnswered } from '../test/pushKeeper';

// Issue 20: every ending of a connection ends its push channels. Where the grant still works (a deletion request's
// purge, a disconnect) they are stopped at the provider and their rows go; where it is already dead (a revocation
// notice) the rows go and the audit records which channels will lapse at the provider, and when.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp();
});
afterAll(() => h.close());

const query = <T>(sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params) as Promise<T[]>;
type View = { channels: unknown[]; gmailWatch: unknown };
const sandboxView = (accountId: string) =>
  h.sandbox.control.providerOp('google', accountId, 'pushChannels', {}) as Promise<View>;
const channelRows = async (connectionId: string) =>
  (
    await query<{ n: number }>(`SELECT count(*)::int AS n FROM push_channels WHERE connection_id = $1`, [
      connectionId,
    ])
  )[0]!.n;

/** A Google connection with a Calendar channel and a Gmail watch open at the sandbox. */
async function pushed(email: string, crmUserId: string) {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email,
    crmUserId,
    sizes: { messages: 1, events: 1 },
    resources: ['mail', 'calendar'],
  });
  await h.sandbox.control.providerOp('google', account.id, 'pubsubTopic', {
    topic: GMAIL_PUSH.topic,
    pushEndpoint: `${h.baseUrl}/v1/webhooks/google/pubsub`,
    serviceAccount: GMAIL_PUSH.serviceAccount,
  });
  await firstRoundsDone(h, connectionId);
  expect(await harnessKeeper(h).pass()).toEqual({ opened: 2, renewed: 0, failed: 0 });
  const view = (await sandboxView(account.id)) as View & { channels: Array<{ id: string }> };
  expect([view.channels.length, view.gmailWatch === null]).toEqual([1, false]);
  await syncAnswered(h, account.id, view.channels[0]!.id);
  return { connectionId, accountId: account.id };
}

it('a revocation notice drops the channels and records when each lapses at the provider', async () => {
  const { connectionId, accountId } = await pushed('risc-push@example.com', 'u-risc');
  const sent = (await h.sandbox.control.providerOp('google', accountId, 'risc', {
    url: `${h.baseUrl}/v1/webhooks/google/risc`,
    event: 'tokens-revoked',
  })) as { status: number };
  expect(sent.status).toBe(202);
  expect(await channelRows(connectionId)).toBe(0);
  const [audit] = await query<{
    details: { channelsLapsing: Array<{ resource: string; lapsesAt: string }> };
  }>(`SELECT details FROM audit_events WHERE connection_id = $1 AND type = 'token_revoked'`, [connectionId]);
  const lapsing = audit!.details.channelsLapsing.sort((a, b) => a.resource.localeCompare(b.resource));
  expect(lapsing.map((c) => c.resource)).toEqual(['calendar', 'mail']);
  for (const c of lapsing) expect(Date.parse(c.lapsesAt)).toBeGreaterThan(Date.now());
});

it('a deletion request stops the channels at the provider before revoking the grant', async () => {
  const { connectionId, accountId } = await pushed('purge-push@example.com', 'u-purge');
  const { deletionRequestId } = await requestDeletion(h.deps, {
    tenantId: 't1',
    crmUserId: 'u-purge',
    actor: 'test',
  });
  await runDeletion(deletionDeps(h), deletionRequestId);
  expect(await sandboxView(accountId)).toMatchObject({ channels: [], gmailWatch: null });
  expect(await channelRows(connectionId)).toBe(0);
  const [audit] = await query<{ details: Record<string, unknown> }>(
    `SELECT details FROM audit_events WHERE connection_id = $1 AND type = 'disconnected'`,
    [connectionId],
  );
  expect(audit!.details).not.toHaveProperty('channelsLapsing');
});
