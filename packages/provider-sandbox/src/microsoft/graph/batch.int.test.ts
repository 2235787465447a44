import { type Client } from '@microsoft/microsoft-graph-client';
import type { Message } from '@microsoft/microsoft-graph-types';
import { type Account } from '../../core/types';
import { connectedGraph, type MicrosoftSandbox, startMicrosoftSandbox } from '../../../test/microsoft';

// JSON batching (docs/providers/microsoft.md#json-batching): requests run as if sent alone, answered by id.

let ms: MicrosoftSandbox;
let account: Account;
let client: Client;

beforeAll(async () => {
  ms = await startMicrosoftSandbox();
  ({ account, client } = await connectedGraph(ms, 'batch@contoso.com', { messages: 40 }));
});
afterAll(() => ms.close());

interface BatchAnswer {
  responses: Array<{ id: string; status: number; headers: Record<string, string>; body?: unknown }>;
}
const batch = (requests: unknown[]) => client.api('/$batch').post({ requests }) as Promise<BatchAnswer>;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as { statusCode: number; code: string },
  );

test('each request is answered under its id with what it would get alone', async () => {
  const { value } = (await client.api('/me/mailFolders/inbox/messages/delta').get()) as { value: Message[] };
  const [first, second] = value as [Message, Message];
  const select = '$select=id,name,contentType,size,isInline';
  const answer = await batch([
    { id: 'a', method: 'GET', url: `/me/messages/${first.id}/attachments?${select}` },
    { id: 'b', method: 'GET', url: `me/messages/${second.id}/attachments?${select}` },
    { id: 'gone', method: 'GET', url: `/me/messages/AAkALgnothere/attachments?${select}` },
  ]);
  const byId = new Map(answer.responses.map((r) => [r.id, r]));
  expect([...byId.keys()].sort()).toEqual(['a', 'b', 'gone']);
  const alone = await client.api(`/me/messages/${first.id}/attachments`).query(select).get();
  expect(byId.get('a')).toMatchObject({ status: 200, body: alone });
  expect(byId.get('gone')).toMatchObject({ status: 404, body: { error: { code: 'ErrorItemNotFound' } } });
  // No order is promised: the sandbox answers in reverse, so a client matching by position breaks.
  expect(answer.responses.map((r) => r.id)).toEqual(['gone', 'b', 'a']);
});

test('a request waits for its dependency, and is answered 424 when it failed', async () => {
  // The dependency fails late: the dependent, run alongside it (up to four at once), must wait for it.
  ms.sandbox.control.addFault({
    provider: 'microsoft',
    accountId: account.id,
    route: 'graph.messages.get',
    action: { kind: 'latency', ms: 300 },
    next: 1,
  });
  const answer = await batch([
    { id: '1', method: 'GET', url: '/me/messages/AAkALgnothere' },
    { id: '2', method: 'GET', url: '/me', dependsOn: ['1'] },
  ]);
  expect(answer.responses.find((r) => r.id === '2')?.status).toBe(424);
});

test('faults and throttling hit requests one by one, with their own Retry-After', async () => {
  ms.sandbox.control.addFault({
    provider: 'microsoft',
    accountId: account.id,
    route: 'graph.me.get',
    action: { kind: 'status', status: 429, retryAfterSeconds: 3 },
    next: 1,
  });
  const answer = await batch([
    { id: 'x', method: 'GET', url: '/me' },
    { id: 'y', method: 'GET', url: '/me' },
  ]);
  // Both run at once, so either may meet the fault first.
  const statuses = answer.responses.map((r) => [r.status, r.headers['retry-after']]);
  expect(statuses.sort()).toEqual([
    [200, undefined],
    [429, '3'],
  ]);
});

test('more than 20 requests, repeated ids or a malformed batch are refused and run nothing', async () => {
  const me = (id: string) => ({ id, method: 'GET', url: '/me' });
  const many = Array.from({ length: 21 }, (_, i) => me(String(i)));
  ms.sandbox.control.resetCounters();
  for (const requests of [many, [me('1'), me('1')], [{ id: '1', url: '/me' }], []]) {
    expect(await failure(batch(requests))).toMatchObject({ statusCode: 400, code: 'ErrorInvalidRequest' });
  }
  expect(ms.sandbox.control.counters().filter((c) => c.route === 'graph.me.get')).toEqual([]);
});
