import { disconnectConnection, endConnection, requestDeletion, runDeletion } from '@crm-sync/connections';
import { connectSandboxAccount, deletionDeps } from '@crm-sync/connections/testing';
import { waitFor } from '@crm-sync/testing';
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

it('a keeper pass between a disconnect’s stops and its ending opens no new channel', async () => {
  const { connectionId, accountId } = await pushed('race-stop@example.com', 'u-race-stop');
  const google = h.deps.adapters.get('google')!;
  let during: unknown;
  // The keeper runs while the disconnect asks Google to revoke: the channels are stopped, the connection not yet ended.
  const adapters = new Map(h.deps.adapters).set('google', {
    ...google,
    oauth: {
      ...google.oauth,
      revoke: async (tokens) => {
        during = await harnessKeeper(h).pass();
        return google.oauth.revoke(tokens);
      },
    },
  });
  const outcome = await disconnectConnection(
    { ...h.deps, adapters },
    { connectionId, tenantId: 't1', purge: false, actor: 'test' },
  );
  expect(outcome).toMatchObject({ kind: 'done', changed: true });
  expect(during).toEqual({ opened: 0, renewed: 0, failed: 0 });
  expect(await sandboxView(accountId)).toMatchObject({ channels: [], gmailWatch: null });
  expect(await channelRows(connectionId)).toBe(0);
});

it('a channel the keeper opens while the connection ends is stopped by the keeper', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'race-open@example.com',
    crmUserId: 'u-race-open',
    sizes: { events: 1 },
    resources: ['calendar'],
  });
  await firstRoundsDone(h, connectionId);
  const stored = (await h.deps.credentials.load(connectionId))!;
  // The row is claimed for opening, then the connection ends (here a refused refresh: the grant still works at
  // Google) before the provider call: no row names the channel the keeper then opens.
  const keeper = harnessKeeper(h, {
    accessToken: async () => {
      await endConnection(h.deps, {
        connectionId,
        status: 'needs_reauth',
        reason: 'test',
        audit: { type: 'sync_failed', actor: 'test' },
      });
      return stored.tokens.accessToken;
    },
  });
  expect(await keeper.pass()).toEqual({ opened: 1, renewed: 0, failed: 0 });
  expect((await sandboxView(account.id)).channels).toEqual([]);
  // Its sync message went out as it opened: answered before the harness closes (404 here, no row names it).
  await waitFor(
    async () =>
      ((await sandboxView(account.id)) as View & { sent: Array<{ status: number | null }> }).sent.some(
        (s) => s.status !== null,
      ),
    { what: 'the sync message of the stopped channel answered' },
  );
  expect(await channelRows(connectionId)).toBe(0);
});
