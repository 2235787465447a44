import { type gmail_v1 } from 'googleapis';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, failure, sandboxGoogleApis } from '../../../test';
import { startReceiver, until, type Received, type Receiver } from '../../../test/receiver';
import { GMAIL_WATCH_MS } from './gmailWatch';

// The sandbox's Gmail watch is as strict as Gmail's (docs/providers/google.md#gmail-push): the topic must be a
// `projects/…/topics/…` name Gmail may publish to; each mailbox change is then pushed by Pub/Sub with an OIDC token
// signed by the key in the sandbox's copy of Google's key set.

let sandbox: RunningSandbox;
let gmail: gmail_v1.Gmail;
let accountId: string;
let receiver: Receiver;
let endpoint: string;
let received: Received[];
const TOPIC = 'projects/crm/topics/gmail';

beforeAll(async () => {
  sandbox = await startSandbox();
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'box@example.com',
    sizes: { messages: 2 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'box@example.com');
  gmail = sandboxGoogleApis(sandbox, client).gmail;
  receiver = await startReceiver('/push', 204);
  ({ url: endpoint, received } = receiver);
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const watch = (topicName: string) => gmail.users.watch({ userId: 'me', requestBody: { topicName } });

test('refuses a malformed topic name and a topic Gmail cannot publish to', async () => {
  expect((await failure(watch('gmail-topic'))).status).toBe(400);
  expect((await failure(watch('projects/crm/topics/unknown'))).status).toBe(403);
});

test('a watched mailbox change is pushed with a verifiable OIDC token; stop ends the pushes', async () => {
  await sandbox.control.providerOp('google', accountId, 'pubsubTopic', {
    topic: TOPIC,
    pushEndpoint: endpoint,
    audience: 'https://crm.example.com/push',
    serviceAccount: 'push@crm.iam.gserviceaccount.com',
  });
  const { data } = await watch(TOPIC);
  expect(Number(data.expiration)).toBeGreaterThan(Date.now() + GMAIL_WATCH_MS - 60_000);
  expect(data.historyId).toMatch(/^\d+$/);
  sandbox.control.addItem('google', accountId, 'messages', {});
  await until(() => received.length >= 1);
  expect(received).toHaveLength(1);
  const token = /^Bearer (.+)$/.exec(received[0]!.headers.authorization!)![1]!;
  const jwks = createRemoteJWKSet(new URL(`${sandbox.urls.google}/oauth2/v3/certs`));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: 'https://accounts.google.com',
    audience: 'https://crm.example.com/push',
  });
  expect(payload).toMatchObject({ email: 'push@crm.iam.gserviceaccount.com', email_verified: true });
  expect(payload.exp! - payload.iat!).toBe(3600);
  const { message } = JSON.parse(received[0]!.body) as { message: { data: string; messageId: string } };
  expect(JSON.parse(Buffer.from(message.data, 'base64').toString())).toEqual({
    emailAddress: 'box@example.com',
    historyId: expect.any(Number),
  });
  expect(message.messageId).toEqual(expect.any(String));

  await gmail.users.stop({ userId: 'me' });
  sandbox.control.addItem('google', accountId, 'messages', {});
  await new Promise((r) => setTimeout(r, 100));
  expect(received).toHaveLength(1);
});
