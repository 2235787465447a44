import { request } from 'undici';
import { startSandbox } from '../start';
import { connectGoogle, sandboxGoogleApis } from '../../test';
import { DEFAULT_CONTROL_SECRET, type RunningSandbox } from './types';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ controlSecret: 'ctl-secret' });
});
afterAll(() => sandbox.close());

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
  const response = await request(`${sandbox.urls.control}${path}`, {
    method,
    headers: {
      authorization: 'Bearer ctl-secret',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

test('the configured secret replaces the default one', async () => {
  const response = await request(`${sandbox.urls.control}/counters`, {
    headers: { authorization: `Bearer ${DEFAULT_CONTROL_SECRET}` },
  });
  await response.body.dump();
  expect(response.statusCode).toBe(401);
});

test('accounts, items, token expiry and counters over HTTP drive what the Gmail API answers', async () => {
  const created = await call('POST', '/accounts', {
    provider: 'google',
    email: 'http@example.com',
    sizes: { messages: 2 },
  });
  expect(created.status).toBe(200);
  const accountId = created.body?.id as string;
  const { client } = await connectGoogle(sandbox, 'http@example.com');
  const { gmail } = sandboxGoogleApis(sandbox, client);

  const added = await call('POST', `/accounts/google/${accountId}/messages/items`, {
    fields: { subject: 'Via HTTP' },
  });
  const id = added.body?.id as string;
  expect(
    (
      await call('PATCH', `/accounts/google/${accountId}/messages/items/${id}`, {
        fields: { subject: 'Edited' },
      })
    ).status,
  ).toBe(200);
  const message = await gmail.users.messages.get({
    userId: 'me',
    id,
    format: 'metadata',
    metadataHeaders: ['Subject'],
  });
  expect(message.data.payload?.headers?.[0]?.value).toBe('Edited');
  expect((await call('DELETE', `/accounts/google/${accountId}/messages/items/${id}`)).status).toBe(204);
  expect((await gmail.users.getProfile({ userId: 'me' })).data.messagesTotal).toBe(2);

  expect((await call('DELETE', `/accounts/google/${accountId}/messages/items/${id}`)).status).toBe(404);
  expect((await call('POST', `/accounts/google/${accountId}/nothing/items`, {})).status).toBe(404);
  expect((await call('POST', '/accounts', { provider: 'yahoo', email: 'x@example.com' })).status).toBe(400);

  expect((await call('POST', `/accounts/google/${accountId}/expire-tokens`)).body).toEqual({ expired: 1 });
  await expect(gmail.users.getProfile({ userId: 'me' })).rejects.toMatchObject({ status: 401 });
  const counters = (await call('GET', '/counters')).body?.counters as {
    route: string;
    tokenState: string;
    status: number;
  }[];
  expect(counters).toContainEqual(
    expect.objectContaining({
      route: 'gmail.users.getProfile',
      status: 401,
      tokenState: 'expired',
      accountId,
    }),
  );
  expect((await call('DELETE', '/counters')).status).toBe(204);
  expect((await call('GET', '/counters')).body).toEqual({ counters: [] });
});
