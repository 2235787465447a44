import { type ConnectionsHarness } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import { waitFor } from '@crm-sync/testing';
import { createHmac } from 'node:crypto';
import { connectThroughApi } from '../test/connectThroughApi';
import { threeAppsSuite } from '../test/threeApps';

// Issue 25: HubSpot webhooks as push, end to end (docs/push.md). connect-api, the worker and the scheduler run as
// processes; the sandbox plays HubSpot: the app's webhook settings (target URL, subscriptions) are set once, as an
// operator sets them in the developer account, and after each change of a portal's contact, company or deal the
// sandbox sends a batched, v3-signed request there. The poll interval is 10 minutes, so a change that lands within
// seconds came by push.

const RESOURCES = ['contacts', 'companies', 'deals'] as const;
const OBJECTS = { contacts: 'contact', companies: 'company', deals: 'deal' } as const;

let h: ConnectionsHarness;
let baseUrl: string;
threeAppsSuite(
  (apps) => ({ h, baseUrl } = apps),
  async ({ h, baseUrl }) => {
    const admin = h.sandbox.control.createAccount({ provider: 'hubspot', email: 'developer@example.com' });
    await h.sandbox.control.providerOp('hubspot', admin.id, 'webhookSettings', {
      targetUrl: `${baseUrl}/v1/webhooks/hubspot`,
      subscriptions: RESOURCES.flatMap((r) => [
        { eventType: `${OBJECTS[r]}.creation` },
        { eventType: `${OBJECTS[r]}.propertyChange`, propertyName: 'hs_lastmodifieddate' },
        { eventType: `${OBJECTS[r]}.deletion` },
      ]),
    });
    return {
      SYNC_INCREMENTAL_INTERVAL_MS: '600000',
      SYNC_PUSHED_INTERVAL_MS: '3600000',
      PUSH_KEEPER_INTERVAL_MS: '300',
      HUBSPOT_WEBHOOK_RESOURCES: RESOURCES.join(','),
    };
  },
);
jest.setTimeout(180_000);

const query = <T>(sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params) as Promise<T[]>;
const objects = async (connectionId: string, resource: string) =>
  (
    await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM crm_objects WHERE connection_id = $1 AND object_type = $2`,
      [connectionId, resource],
    )
  )[0]!.n;
const polls = (connectionId: string) =>
  query<{ resource: string; pushed: boolean; far: boolean }>(
    `SELECT resource, push_until > now() AS pushed, next_sync_at > now() + interval '30 minutes' AS far
       FROM sync_states WHERE connection_id = $1 AND resource = ANY($2) ORDER BY resource`,
    [connectionId, RESOURCES],
  );
const log = (accountId: string) =>
  h.sandbox.control.providerOp('hubspot', accountId, 'webhookLog', {}) as {
    sent: Array<{ events: number; status: number | null }>;
  };

/** Connected, first rounds done, each object resource covered by the app's webhooks. */
async function pushed(email: string) {
  const connection = await connectThroughApi(h, baseUrl, {
    provider: 'hubspot',
    email,
    resources: [...RESOURCES],
    sizes: { contacts: 3, companies: 3, deals: 3 },
  });
  await waitFor(async () => (await polls(connection.connectionId)).every((p) => p.pushed), {
    what: 'the three object resources covered by push',
    timeoutMs: 90_000,
  });
  return connection;
}

it('a change of each object type reaches crm_objects by push, with the poll an hour away', async () => {
  const { connectionId, accountId } = await pushed('hs-push@example.com');
  for (const resource of RESOURCES) {
    const before = await objects(connectionId, resource);
    h.sandbox.control.addItem('hubspot', accountId, resource, {});
    await waitFor(async () => (await objects(connectionId, resource)) === before + 1, {
      what: `the pushed ${resource} change`,
      timeoutMs: 20_000,
    });
  }
  expect(log(accountId).sent.filter((s) => s.status === 204).length).toBeGreaterThanOrEqual(3);
  // Each pushed round left its next poll at the pushed interval (an hour), not the normal ten minutes.
  await waitFor(async () => (await polls(connectionId)).every((p) => p.far), {
    what: 'the next polls an hour away',
    timeoutMs: 20_000,
  });
});

it('refuses a forged webhook and changes nothing', async () => {
  const { connectionId, accountId } = await pushed('hs-forged@example.com');
  const outbox = async () =>
    (
      await query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE payload::text LIKE $1`, [
        `%${connectionId}%`,
      ])
    )[0]!.n;
  const before = await outbox();
  const url = `${baseUrl}/v1/webhooks/hubspot`;
  const body = JSON.stringify([
    {
      eventId: 1,
      subscriptionType: 'contact.creation',
      portalId: Number(accountId),
      objectId: 1,
      occurredAt: 1,
    },
  ]);
  const timestamp = String(Date.now());
  const sign = (secret: string) =>
    createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
  const post = (signature: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': timestamp,
      },
      body,
    });
  expect((await post(sign('not-the-app-secret'))).status).toBe(401);
  expect(await outbox()).toBe(before);
  // The same request signed with the app's secret is taken: the refusal was the signature's.
  expect((await post(sign(DEFAULT_CLIENT.clientSecret))).status).toBe(204);
  expect(await outbox()).toBe(before + 1);
});

it('a lost webhook is caught by the safety-net poll', async () => {
  const { connectionId, accountId } = await pushed('hs-lost@example.com');
  await h.sandbox.control.providerOp('hubspot', accountId, 'pushPlan', { drop: 1 });
  const before = await objects(connectionId, 'deals');
  const sentBefore = log(accountId).sent.length;
  h.sandbox.control.addItem('hubspot', accountId, 'deals', {});
  await waitFor(async () => log(accountId).sent.length > sentBefore, { what: 'the dropped request' });
  expect(log(accountId).sent.at(-1)).toMatchObject({ status: null });
  expect(await objects(connectionId, 'deals')).toBe(before);
  // The pushed interval has passed (an hour, here made due now): the poll finds what the lost webhook named.
  await query(`UPDATE sync_states SET next_sync_at = now() WHERE connection_id = $1 AND resource = 'deals'`, [
    connectionId,
  ]);
  await waitFor(async () => (await objects(connectionId, 'deals')) === before + 1, {
    what: 'the safety-net poll',
    timeoutMs: 20_000,
  });
});
