import { type ConnectionsHarness } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import { graphClientState } from '@crm-sync/providers';
import { waitFor } from '@crm-sync/testing';
import { SECRET } from '../test/connectApi';
import { connectThroughApi } from '../test/connectThroughApi';
import { threeAppsSuite } from '../test/threeApps';

// Issue 25: push end to end (docs/push.md). connect-api, the worker and the scheduler run as processes; the sandbox
// plays Graph: it validates our notification URLs when we subscribe and pushes a change notification after each
// change. The poll interval is 10 minutes, so a change that lands within seconds came by push.

let h: ConnectionsHarness;
let baseUrl: string;
threeAppsSuite(
  (apps) => ({ h, baseUrl } = apps),
  () => ({
    SYNC_INCREMENTAL_INTERVAL_MS: '600000',
    SYNC_PUSHED_INTERVAL_MS: '3600000',
    PUSH_KEEPER_INTERVAL_MS: '300',
  }),
);
jest.setTimeout(180_000);

const query = <T>(sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params) as Promise<T[]>;

const connectMicrosoft = (email: string) =>
  connectThroughApi(h, baseUrl, {
    provider: 'microsoft',
    email,
    resources: ['mail', 'calendar', 'contacts'],
    sizes: { messages: 5, events: 5, contacts: 5 },
  });

interface Channel {
  resource: string;
  channel_id: string;
  status: string;
  expires_at: Date;
  secret_digest: string;
}
const channels = (connectionId: string) =>
  query<Channel>(
    `SELECT resource, channel_id, status, expires_at, secret_digest FROM push_channels WHERE connection_id = $1
      ORDER BY resource`,
    [connectionId],
  );
const rows = async (table: string, connectionId: string) =>
  (
    await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1`, [
      connectionId,
    ])
  )[0]!.n;
const sandboxView = (accountId: string) =>
  h.sandbox.control.providerOp('microsoft', accountId, 'subscriptions', {}) as {
    subscriptions: Array<{ id: string; resource: string; expirationDateTime: string }>;
    sent: Array<{ subscriptionId: string; status: number | null }>;
  };

/** Connected, first rounds done, a subscription open and healthy for each of the three resources. */
async function pushed(email: string) {
  const connection = await connectMicrosoft(email);
  await waitFor(
    async () => {
      const open = await channels(connection.connectionId);
      return open.length === 3 && open.every((c) => c.status === 'active');
    },
    { what: 'three active subscriptions', timeoutMs: 90_000 },
  );
  return connection;
}

describe('Graph subscriptions', () => {
  it('a change at each subscribed resource reaches its table by push, with the poll an hour away', async () => {
    const { connectionId, accountId } = await pushed('push-graph@example.com');
    expect((await channels(connectionId)).map((c) => c.resource)).toEqual(['calendar', 'contacts', 'mail']);
    // The secret is stored as a digest only.
    for (const c of await channels(connectionId)) expect(c.secret_digest).toMatch(/^[0-9a-f]{64}$/);
    expect(
      sandboxView(accountId)
        .subscriptions.map((s) => s.resource)
        .sort(),
    ).toEqual(['/me/contacts', '/me/events', '/me/messages']);
    const polls = () =>
      query<{ pushed: boolean; far: boolean }>(
        `SELECT push_until > now() AS pushed, next_sync_at > now() + interval '30 minutes' AS far
           FROM sync_states WHERE connection_id = $1 ORDER BY resource`,
        [connectionId],
      );
    expect((await polls()).every((p) => p.pushed)).toBe(true);
    for (const [resource, table] of [
      ['messages', 'emails'],
      ['events', 'calendar_events'],
      ['contacts', 'contacts'],
    ] as const) {
      const before = await rows(table, connectionId);
      h.sandbox.control.addItem('microsoft', accountId, resource, {});
      await waitFor(async () => (await rows(table, connectionId)) === before + 1, {
        what: `the pushed ${resource} change`,
        timeoutMs: 20_000,
      });
    }
    expect(sandboxView(accountId).sent.filter((s) => s.status === 202).length).toBeGreaterThanOrEqual(3);
    // Each pushed round left its next poll at the pushed interval (an hour), not the normal ten minutes.
    expect((await polls()).every((p) => p.far)).toBe(true);
  });

  it('refuses forged change notifications and changes nothing', async () => {
    const { connectionId } = await pushed('push-forged@example.com');
    const other = await pushed('push-forged-other@example.com');
    const [mail] = (await channels(connectionId)).filter((c) => c.resource === 'mail');
    const outbox = async () =>
      (
        await query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE payload::text LIKE $1`, [
          `%${connectionId}%`,
        ])
      )[0]!.n;
    const before = await outbox();
    const post = (clientState: string) =>
      fetch(`${baseUrl}/v1/webhooks/microsoft/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          value: [{ subscriptionId: mail!.channel_id, changeType: 'created', clientState, resource: 'x' }],
        }),
      });
    // Not made with our key.
    expect((await post(graphClientState('not-our-secret', connectionId))).status).toBe(401);
    // Ours, but another connection's: it is not this subscription's secret.
    expect((await post(graphClientState(DEFAULT_CLIENT.clientSecret, other.connectionId))).status).toBe(401);
    expect(await outbox()).toBe(before);
    // The validation handshake is answered as Graph expects.
    const handshake = await fetch(
      `${baseUrl}/v1/webhooks/microsoft/notifications?validationToken=abc%20def`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '',
      },
    );
    expect([handshake.status, handshake.headers.get('content-type'), await handshake.text()]).toEqual([
      200,
      'text/plain; charset=utf-8',
      'abc def',
    ]);
  });

  it('renews a subscription before it expires, and reopens one Graph removed', async () => {
    const { connectionId, accountId } = await pushed('push-renew@example.com');
    const [contacts] = (await channels(connectionId)).filter((c) => c.resource === 'contacts');
    // As if 69 of its 70 hours had passed: inside the renewal window.
    await query(`UPDATE push_channels SET expires_at = now() + interval '1 hour' WHERE channel_id = $1`, [
      contacts!.channel_id,
    ]);
    await waitFor(
      async () =>
        (await channels(connectionId)).find((c) => c.resource === 'contacts')!.expires_at.getTime() >
        Date.now() + 24 * 3_600_000,
      { what: 'the renewal', timeoutMs: 20_000 },
    );
    const renewed = sandboxView(accountId).subscriptions.find((s) => s.id === contacts!.channel_id)!;
    expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(Date.now() + 24 * 3_600_000);

    const reauthorizations = () =>
      h.sandbox.control
        .counters()
        .filter((c) => c.route === 'graph.subscriptions.reauthorize' && c.accountId === accountId)
        .reduce((sum, c) => sum + c.count, 0);
    const asked = await h.sandbox.control.providerOp('microsoft', accountId, 'subscriptionLifecycle', {
      subscriptionId: contacts!.channel_id,
      lifecycleEvent: 'reauthorizationRequired',
    });
    expect(asked).toMatchObject({ status: 202 });
    await waitFor(async () => reauthorizations() === 1, { what: 'the reauthorization', timeoutMs: 20_000 });
    await waitFor(
      async () =>
        !(
          await query<{ w: boolean }>(`SELECT renew_wanted AS w FROM push_channels WHERE channel_id = $1`, [
            contacts!.channel_id,
          ])
        )[0]!.w,
      { what: 'the reauthorization recorded', timeoutMs: 20_000 },
    );

    const removed = await h.sandbox.control.providerOp('microsoft', accountId, 'subscriptionLifecycle', {
      subscriptionId: contacts!.channel_id,
      lifecycleEvent: 'subscriptionRemoved',
    });
    expect(removed).toMatchObject({ status: 202 });
    await waitFor(
      async () => {
        const now = (await channels(connectionId)).find((c) => c.resource === 'contacts');
        return now !== undefined && now.status === 'active' && now.channel_id !== contacts!.channel_id;
      },
      { what: 'a new subscription', timeoutMs: 20_000 },
    );
    const before = await rows('contacts', connectionId);
    h.sandbox.control.addItem('microsoft', accountId, 'contacts', {});
    await waitFor(async () => (await rows('contacts', connectionId)) === before + 1, {
      what: 'a change pushed through the new subscription',
      timeoutMs: 20_000,
    });
  });

  it('a lost notice is caught by the safety-net poll', async () => {
    const { connectionId, accountId } = await pushed('push-lost@example.com');
    await h.sandbox.control.providerOp('microsoft', accountId, 'pushPlan', { drop: 1 });
    const before = await rows('contacts', connectionId);
    h.sandbox.control.addItem('microsoft', accountId, 'contacts', {});
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await rows('contacts', connectionId)).toBe(before);
    // The pushed interval has passed (an hour, here made due now): the poll finds what the lost notice named.
    await query(
      `UPDATE sync_states SET next_sync_at = now() WHERE connection_id = $1 AND resource = 'contacts'`,
      [connectionId],
    );
    await waitFor(async () => (await rows('contacts', connectionId)) === before + 1, {
      what: 'the safety-net poll',
      timeoutMs: 20_000,
    });
  });

  it('a disconnect stops the connection’s subscriptions at Graph', async () => {
    const { connectionId, accountId } = await pushed('push-disconnect@example.com');
    expect(sandboxView(accountId).subscriptions).toHaveLength(3);
    const answer = await fetch(`${baseUrl}/v1/connections/${connectionId}?tenantId=t1`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(answer.status).toBe(202);
    // Stopped at Graph first, then forgotten here (a crash in between leaves rows that still name them).
    await waitFor(
      async () =>
        sandboxView(accountId).subscriptions.length === 0 && (await channels(connectionId)).length === 0,
      { what: 'the subscriptions deleted at Graph, then their rows', timeoutMs: 30_000 },
    );
  });
});
