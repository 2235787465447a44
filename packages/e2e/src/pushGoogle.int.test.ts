import { type ConnectionsHarness } from '@crm-sync/connections/testing';
import { waitFor } from '@crm-sync/testing';
import { connectThroughApi } from '../test/connectThroughApi';
import { threeAppsSuite } from '../test/threeApps';

// Issue 25: Google push end to end (docs/push.md). connect-api, the worker and the scheduler run as processes; the
// sandbox plays Google: Calendar notifies our channel after each change of the calendar, and Gmail publishes each
// mailbox change to the Pub/Sub topic, whose push subscription POSTs it to connect-api with a signed OIDC token. The
// poll interval is 10 minutes, so a change that lands within seconds came by push.

const TOPIC = 'projects/crm-sync-e2e/topics/gmail';
const SERVICE_ACCOUNT = 'gmail-push@crm-sync-e2e.iam.gserviceaccount.com';

let h: ConnectionsHarness;
let baseUrl: string;
threeAppsSuite(
  (apps) => ({ h, baseUrl } = apps),
  async ({ h, baseUrl }) => {
    // The topic and its push subscription exist in Google Cloud before anyone connects (set up once by the operator).
    const admin = h.sandbox.control.createAccount({ provider: 'google', email: 'cloud-admin@example.com' });
    await h.sandbox.control.providerOp('google', admin.id, 'pubsubTopic', {
      topic: TOPIC,
      pushEndpoint: `${baseUrl}/v1/webhooks/google/pubsub`,
      serviceAccount: SERVICE_ACCOUNT,
    });
    return {
      SYNC_INCREMENTAL_INTERVAL_MS: '600000',
      SYNC_PUSHED_INTERVAL_MS: '3600000',
      PUSH_KEEPER_INTERVAL_MS: '300',
      GOOGLE_PUBSUB_TOPIC: TOPIC,
      // Pub/Sub's default audience: the push endpoint URL.
      GOOGLE_PUSH_AUDIENCE: `${baseUrl}/v1/webhooks/google/pubsub`,
      GOOGLE_PUSH_SERVICE_ACCOUNT: SERVICE_ACCOUNT,
    };
  },
);
jest.setTimeout(180_000);

const query = <T>(sql: string, params: unknown[] = []) => h.db.dataSource.query(sql, params) as Promise<T[]>;
const rows = async (table: string, connectionId: string) =>
  (
    await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1`, [
      connectionId,
    ])
  )[0]!.n;

it('a Calendar change and a Gmail change each reach their table by push, with the poll an hour away', async () => {
  const { connectionId, accountId } = await connectThroughApi(h, baseUrl, {
    provider: 'google',
    email: 'push-google@example.com',
    resources: ['mail', 'calendar'],
    sizes: { messages: 3, events: 3 },
  });
  await waitFor(
    async () => {
      const open = await query<{ status: string }>(
        `SELECT status FROM push_channels WHERE connection_id = $1`,
        [connectionId],
      );
      return open.length === 2 && open.every((c) => c.status === 'active');
    },
    { what: 'a Calendar channel and a Gmail watch', timeoutMs: 90_000 },
  );
  const view = (await h.sandbox.control.providerOp('google', accountId, 'pushChannels', {})) as {
    channels: unknown[];
    gmailWatch: { topic: string } | null;
  };
  expect([view.channels.length, view.gmailWatch?.topic]).toEqual([1, TOPIC]);
  for (const [resource, table] of [
    ['events', 'calendar_events'],
    ['messages', 'emails'],
  ] as const) {
    const before = await rows(table, connectionId);
    h.sandbox.control.addItem('google', accountId, resource, {});
    await waitFor(async () => (await rows(table, connectionId)) === before + 1, {
      what: `the pushed ${resource} change`,
      timeoutMs: 20_000,
    });
  }
  const polls = await query<{ pushed: boolean; far: boolean }>(
    `SELECT push_until > now() AS pushed, next_sync_at > now() + interval '30 minutes' AS far
       FROM sync_states WHERE connection_id = $1 ORDER BY resource`,
    [connectionId],
  );
  expect(polls).toEqual([
    { pushed: true, far: true },
    { pushed: true, far: true },
  ]);
});
