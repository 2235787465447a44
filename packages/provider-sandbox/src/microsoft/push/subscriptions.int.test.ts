import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { type Account } from '../../core/types';
import { graphClient, type MicrosoftSandbox, signIn, startMicrosoftSandbox } from '../../../test/microsoft';
import { until } from '../../../test/receiver';

// The sandbox's Graph subscriptions are as strict as Graph's (docs/providers/microsoft.md): the notification URL
// must pass the validation handshake, the expiry must be within the Outlook maximum, and each change is pushed.

let ms: MicrosoftSandbox;
let account: Account;
let accessToken: string;
let receiver: Server;
let url: string;
const received: Array<{ url: string; body: string }> = [];
/** How the receiver answers a validation request: echo the token (as Graph expects) or not. */
let echo = true;

beforeAll(async () => {
  ms = await startMicrosoftSandbox();
  account = ms.sandbox.control.createAccount({
    provider: 'microsoft',
    email: 'subs@contoso.com',
    sizes: { contacts: 2 },
  });
  accessToken = (await signIn(ms, account.email)).access_token;
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const token = new URL(request.url!, 'http://x').searchParams.get('validationToken');
      if (token !== null) {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(echo ? token : 'wrong');
        return;
      }
      received.push({ url: request.url!, body });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
});
afterAll(async () => {
  receiver.close();
  await ms.close();
});

const client = () => graphClient(ms, () => accessToken, 0);
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const subscribe = (fields: Record<string, unknown> = {}) =>
  client()
    .api('/subscriptions')
    .post({
      changeType: 'created,updated,deleted',
      notificationUrl: url,
      resource: '/me/contacts',
      expirationDateTime: inMinutes(60),
      clientState: 'state-1',
      ...fields,
    }) as Promise<{ id: string; expirationDateTime: string }>;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as GraphError,
  );

it('subscribes after the handshake, pushes each change with the clientState, renews and deletes', async () => {
  const created = await subscribe();
  ms.sandbox.control.addItem('microsoft', account.id, 'contacts', {});
  await until(() => received.length >= 1);
  const [sent] = received.splice(0);
  expect(JSON.parse(sent!.body)).toMatchObject({
    value: [{ subscriptionId: created.id, changeType: 'created', clientState: 'state-1' }],
  });
  const renewed = (await client()
    .api(`/subscriptions/${created.id}`)
    .patch({ expirationDateTime: inMinutes(4_000) })) as { expirationDateTime: string };
  expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(Date.now() + 3_999 * 60_000);
  await client().api(`/subscriptions/${created.id}`).delete();
  expect((await failure(client().api(`/subscriptions/${created.id}`).get()))?.statusCode).toBe(404);
});

it('refuses an endpoint that fails the validation handshake, and an expiry past 10,080 minutes', async () => {
  echo = false;
  const refused = await failure(subscribe());
  echo = true;
  expect([refused?.statusCode, refused?.code]).toEqual([400, 'ValidationError']);
  const tooLong = await failure(subscribe({ expirationDateTime: inMinutes(10_081) }));
  expect(tooLong?.statusCode).toBe(400);
  expect(tooLong?.message).toMatch(/10080 minutes/);
  expect((await failure(subscribe({ resource: '/me/drive/root' })))?.statusCode).toBe(400);
});

it('drops and duplicates notifications on the push plan', async () => {
  await subscribe();
  await ms.sandbox.control.providerOp('microsoft', account.id, 'pushPlan', { drop: 1, duplicate: 1 });
  ms.sandbox.control.addItem('microsoft', account.id, 'contacts', {});
  ms.sandbox.control.addItem('microsoft', account.id, 'contacts', {});
  await until(() => received.length >= 2);
  await new Promise((resolve) => setTimeout(resolve, 300));
  // The first change's notification was dropped, the second's sent twice (and nothing more came).
  expect(received.splice(0)).toHaveLength(2);
});
