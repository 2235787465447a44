import { type Client } from '@microsoft/microsoft-graph-client';
import type { Attachment, Message } from '@microsoft/microsoft-graph-types';
import { connectedGraph, type MicrosoftSandbox, startMicrosoftSandbox } from '../../../test/microsoft';

// Message content as Graph serves it (docs/providers/microsoft.md#message-content): select-only properties,
// conversations with threading headers, attachments listed without their content, and Graph's refusals.

let ms: MicrosoftSandbox;
let client: Client;

beforeAll(async () => {
  ms = await startMicrosoftSandbox();
  ({ client } = await connectedGraph(ms, 'content@contoso.com', { messages: 60 }));
});
afterAll(() => ms.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as { statusCode: number; code: string; message: string },
  );
const delta = (select?: string[]) => {
  const api = client.api('/me/mailFolders/inbox/messages/delta').header('Prefer', 'odata.maxpagesize=100');
  return (select ? api.select(select) : api).get() as Promise<{ value: Message[] }>;
};

test('uniqueBody and internetMessageHeaders come only when $select names them; replies carry threading headers', async () => {
  const plain = (await delta()).value;
  expect(plain.some((m) => 'uniqueBody' in m || 'internetMessageHeaders' in m)).toBe(false);
  const selected = (await delta(['conversationId', 'body', 'uniqueBody', 'internetMessageHeaders'])).value;
  const header = (m: Message, name: string) => m.internetMessageHeaders?.find((h) => h.name === name)?.value;
  const replies = selected.filter((m) => header(m, 'In-Reply-To') !== undefined);
  expect(replies.length).toBeGreaterThan(5);
  const byId = new Map(selected.map((m) => [header(m, 'Message-ID'), m]));
  for (const reply of replies) {
    expect(byId.get(header(reply, 'In-Reply-To'))?.conversationId).toBe(reply.conversationId);
    expect(reply.body?.content).toContain('-----Original Message-----');
    expect(reply.uniqueBody?.content).not.toContain('-----Original Message-----');
  }
});

test('$select of a property a message does not have is refused with Graph error body', async () => {
  const error = await failure(delta(['subject', 'notAProperty']));
  expect(error).toMatchObject({
    statusCode: 400,
    code: 'RequestBroker--ParseUri',
    message: "Could not find a property named 'notAProperty' on type 'microsoft.graph.message'.",
  });
});

test('attachments: listed with $select without content, inline ones included; contentId cannot be selected', async () => {
  const messages = (await delta(['hasAttachments', 'body'])).value;
  const withFiles = messages.find((m) => m.hasAttachments === true) as Message;
  const inlineOnly = messages.find((m) => m.hasAttachments === false && m.body?.content?.includes('cid:'));
  expect(inlineOnly).toBeDefined();
  const list = (id: string, select?: string[]) => {
    const api = client.api(`/me/messages/${id}/attachments`);
    return (select ? api.select(select) : api).get() as Promise<{ value: Attachment[] }>;
  };
  const selected = (await list(withFiles.id as string, ['id', 'name', 'contentType', 'size', 'isInline']))
    .value;
  expect(selected.length).toBeGreaterThanOrEqual(2);
  for (const file of selected) {
    expect(Object.keys(file).sort()).toEqual([
      '@odata.type',
      'contentType',
      'id',
      'isInline',
      'name',
      'size',
    ]);
  }
  const full = (await list(withFiles.id as string)).value as (Attachment & { contentBytes?: string })[];
  expect(Buffer.from(full[0]?.contentBytes ?? '', 'base64').length).toBe(full[0]?.size);
  const inline = (await list(inlineOnly?.id as string, ['name', 'isInline'])).value;
  expect(inline).toEqual([expect.objectContaining({ name: 'logo.png', isInline: true })]);
  const error = await failure(list(withFiles.id as string, ['id', 'contentId']));
  expect(error).toMatchObject({
    statusCode: 400,
    code: 'RequestBroker--ParseUri',
    message: "Could not find a property named 'contentId' on type 'microsoft.graph.attachment'.",
  });
});
