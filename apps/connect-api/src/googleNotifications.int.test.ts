import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { waitFor } from '@crm-sync/testing';
import { startApp, type AppHarness } from '../test/appHarness';
import { firstRoundsDone, harnessKeeper, requestedRounds, syncAnswered } from '../test/pushKeeper';

// Calendar channel notifications at connect-api (issue 25, docs/push.md): the production keeper opens a channel at
// the sandbox, which then notifies connect-api as Google does; a notice with the wrong token, or for a channel we do
// not have, is refused and changes nothing.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp();
});
afterAll(() => h.close());

const query = <T>(sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params) as Promise<T[]>;
const keeper = () => harnessKeeper(h);
const requested = (connectionId: string) => requestedRounds(h, connectionId);

type Sent = Array<{ id: string; state: string; status: number | null }>;
const sandboxView = async (accountId: string) =>
  (await h.sandbox.control.providerOp('google', accountId, 'pushChannels', {})) as {
    channels: Array<{ id: string; resourceId: string }>;
    sent: Sent;
  };

/** A Google connection whose calendar finished its first round, with a channel the keeper opened. */
async function watched(email: string) {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email,
    sizes: { events: 2 },
    resources: ['calendar'],
  });
  await firstRoundsDone(h, connectionId);
  expect(await keeper().pass()).toEqual({ opened: 1, renewed: 0, failed: 0 });
  const [channel] = await query<{ channel_id: string; provider_resource_id: string }>(
    `SELECT channel_id, provider_resource_id FROM push_channels WHERE connection_id = $1 AND status = 'active'`,
    [connectionId],
  );
  await syncAnswered(h, account.id, channel!.channel_id);
  return { connectionId, accountId: account.id, channel: channel! };
}

const notice = (headers: Record<string, string>) =>
  fetch(`${h.baseUrl}/v1/webhooks/google/notifications`, { method: 'POST', headers });

it('takes the sync message as nothing and a change as one calendar round', async () => {
  const { connectionId, accountId, channel } = await watched('cal-push@example.com');
  expect((await sandboxView(accountId)).sent.map((s) => [s.state, s.status])).toEqual([['sync', 200]]);
  expect(await requested(connectionId)).toEqual([]);
  h.sandbox.control.addItem('google', accountId, 'events', {});
  await waitFor(
    async () => (await sandboxView(accountId)).sent.some((s) => s.state === 'exists' && s.status === 200),
    {
      what: 'the change notice answered',
    },
  );
  expect(await requested(connectionId)).toEqual([['calendar']]);
  const [row] = await query<{ noticed: boolean }>(
    `SELECT last_notice_at IS NOT NULL AS noticed FROM push_channels WHERE channel_id = $1`,
    [channel.channel_id],
  );
  expect(row!.noticed).toBe(true);
});

it('refuses a wrong token, an unknown channel and missing headers, logging no token', async () => {
  const { connectionId, channel } = await watched('cal-forged@example.com');
  const headers = {
    'x-goog-channel-id': channel.channel_id,
    'x-goog-channel-token': 'forged-token-value',
    'x-goog-resource-state': 'exists',
    'x-goog-resource-id': channel.provider_resource_id,
    'x-goog-message-number': '7',
  };
  const forged = await notice(headers);
  expect(forged.status).toBe(401);
  expect(await forged.json()).toMatchObject({ code: 'invalid_signature' });
  expect((await notice({ ...headers, 'x-goog-channel-id': 'not-ours' })).status).toBe(401);
  const { 'x-goog-message-number': _omitted, ...incomplete } = headers;
  expect((await notice(incomplete)).status).toBe(400);
  expect(await requested(connectionId)).toEqual([]);
  expect(h.logs()).not.toContain('forged-token-value');
  expect(h.logs()).toContain('provider notice refused');
});

it('renews by a new channel and stops the old one at Google', async () => {
  const { connectionId, accountId, channel } = await watched('cal-renew@example.com');
  await query(`UPDATE push_channels SET expires_at = now() + interval '1 minute' WHERE connection_id = $1`, [
    connectionId,
  ]);
  expect(await keeper().pass()).toEqual({ opened: 1, renewed: 0, failed: 0 });
  const [renewed] = await query<{ channel_id: string; expires_at: Date }>(
    `SELECT channel_id, expires_at FROM push_channels WHERE connection_id = $1`,
    [connectionId],
  );
  expect(renewed!.channel_id).not.toBe(channel.channel_id);
  expect(renewed!.expires_at.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
  expect((await sandboxView(accountId)).channels.map((c) => c.id)).toEqual([renewed!.channel_id]);
  await syncAnswered(h, accountId, renewed!.channel_id);
});
