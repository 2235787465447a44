import { type calendar_v3 } from 'googleapis';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, failure, sandboxGoogleApis } from '../../../test';
import { startReceiver, until, type Received, type Receiver } from '../../../test/receiver';
import { CALENDAR_CHANNEL_MAX_MS } from './calendarChannels';

// The sandbox's Calendar channels are as strict as Google's (docs/providers/google.md#calendar-push): events.watch
// opens a channel that first says `sync`, then `exists` after each change; channels.stop ends it.

let sandbox: RunningSandbox;
let calendar: calendar_v3.Calendar;
let accountId: string;
let receiver: Receiver;
let address: string;
let received: Received[];

beforeAll(async () => {
  sandbox = await startSandbox();
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'watch@example.com',
    sizes: { events: 3 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'watch@example.com');
  calendar = sandboxGoogleApis(sandbox, client).calendar;
  receiver = await startReceiver('/notices', 200);
  ({ url: address, received } = receiver);
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const waitFor = async (count: number) => {
  await until(() => received.length >= count);
  expect(received).toHaveLength(count);
};

const watch = (id: string, expiration?: number) =>
  calendar.events.watch({
    calendarId: 'primary',
    requestBody: {
      id,
      type: 'web_hook',
      address,
      token: 'secret-token',
      ...(expiration ? { expiration: String(expiration) } : {}),
    },
  });

test('a channel says sync, then exists after a change, with its headers; stop ends it', async () => {
  received.length = 0;
  const { data } = await watch('channel-1', Date.now() + 60_000);
  expect(data).toMatchObject({ kind: 'api#channel', id: 'channel-1', token: 'secret-token' });
  expect(Number(data.expiration)).toBeGreaterThan(Date.now());
  await waitFor(1);
  expect(received[0]!.body).toBe('');
  expect(received[0]!.headers).toMatchObject({
    'x-goog-channel-id': 'channel-1',
    'x-goog-channel-token': 'secret-token',
    'x-goog-resource-state': 'sync',
    'x-goog-resource-id': data.resourceId,
    'x-goog-message-number': '1',
  });
  sandbox.control.addItem('google', accountId, 'events', {});
  await waitFor(2);
  expect(received[1]!.headers).toMatchObject({
    'x-goog-resource-state': 'exists',
    'x-goog-message-number': '2',
  });

  await calendar.channels.stop({ requestBody: { id: 'channel-1', resourceId: data.resourceId! } });
  sandbox.control.addItem('google', accountId, 'events', {});
  await new Promise((r) => setTimeout(r, 100));
  expect(received).toHaveLength(2);
  // Stopped twice, or with another resource id: Google knows no such channel.
  expect(
    (
      await failure(
        calendar.channels.stop({ requestBody: { id: 'channel-1', resourceId: data.resourceId! } }),
      )
    ).status,
  ).toBe(404);
});

test('refuses a reused channel id, a past expiration and a missing type; caps the lifetime at 7 days', async () => {
  const { data } = await watch('channel-2', Date.now() + 30 * 86_400_000);
  expect(Number(data.expiration)).toBeLessThanOrEqual(Date.now() + CALENDAR_CHANNEL_MAX_MS);
  expect((await failure(watch('channel-2'))).status).toBe(400);
  expect((await failure(watch('channel-3', Date.now() - 1000))).status).toBe(400);
  const untyped = calendar.events.watch({ calendarId: 'primary', requestBody: { id: 'channel-4', address } });
  expect((await failure(untyped)).status).toBe(400);
  await calendar.channels.stop({ requestBody: { id: 'channel-2', resourceId: data.resourceId! } });
});

test('the push plan drops and duplicates notifications', async () => {
  received.length = 0;
  const { data } = await watch('channel-5');
  await waitFor(1); // the channel's sync message
  received.length = 0;
  await sandbox.control.providerOp('google', accountId, 'pushPlan', { drop: 1, duplicate: 1 });
  sandbox.control.addItem('google', accountId, 'events', {});
  sandbox.control.addItem('google', accountId, 'events', {});
  await waitFor(2);
  expect(received.map((r) => r.headers['x-goog-message-number'])).toEqual(['3', '3']);
  // The sandbox records a delivery once its answer is back, a moment after the receiver took it.
  const sentTo = async (id: string) =>
    (
      (await sandbox.control.providerOp('google', accountId, 'pushChannels', {})) as {
        sent: Array<{ id: string; status: number | null }>;
      }
    ).sent.filter((s) => s.id === id);
  await until(async () => (await sentTo('channel-5')).length >= 4);
  // Recorded as each answer comes back, so in no set order: the sync message, one dropped, one sent twice.
  const statuses = (await sentTo('channel-5')).map((s) => String(s.status)).sort();
  expect(statuses).toEqual(['200', '200', '200', 'null']);
  await calendar.channels.stop({ requestBody: { id: 'channel-5', resourceId: data.resourceId! } });
});
