import { type gmail_v1 } from 'googleapis';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, sandboxGoogleApis } from '../../../test';

let sandbox: RunningSandbox;
let gmail: gmail_v1.Gmail;
let accountId: string;
let messages: gmail_v1.Schema$Message[];

beforeAll(async () => {
  sandbox = await startSandbox({ clock: { now: () => Date.UTC(2026, 10, 1) } });
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'mime@example.com',
    sizes: { messages: 60 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'mime@example.com');
  gmail = sandboxGoogleApis(sandbox, client).gmail;
  const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 60 });
  messages = await Promise.all(
    (data.messages ?? []).map(
      async (m) => (await gmail.users.messages.get({ userId: 'me', id: m.id as string })).data,
    ),
  );
});
afterAll(() => sandbox.close());

const partsOf = (part: gmail_v1.Schema$MessagePart | undefined): gmail_v1.Schema$MessagePart[] =>
  part ? [part, ...(part.parts ?? []).flatMap(partsOf)] : [];
const header = (part: gmail_v1.Schema$MessagePart | undefined, name: string) =>
  part?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ?? undefined;
const decode = (data: string | null | undefined) => Buffer.from(data ?? '', 'base64url');

test('replies share their thread id and name the earlier messages in In-Reply-To and References', () => {
  const byMessageId = new Map(messages.map((m) => [header(m.payload, 'Message-ID'), m]));
  const replies = messages.filter((m) => header(m.payload, 'In-Reply-To') !== undefined);
  expect(replies.length).toBeGreaterThan(5);
  for (const reply of replies) {
    const references = (header(reply.payload, 'References') as string).split(' ');
    expect(references[references.length - 1]).toBe(header(reply.payload, 'In-Reply-To'));
    const parent = byMessageId.get(header(reply.payload, 'In-Reply-To'));
    const first = byMessageId.get(references[0]);
    expect(parent?.threadId).toBe(reply.threadId);
    expect(first?.id).toBe(reply.threadId);
    expect(Number(parent?.internalDate)).toBeLessThan(Number(reply.internalDate));
    expect(header(reply.payload, 'Subject')).toBe(`Re: ${header(first?.payload, 'Subject')}`);
  }
  expect(new Set(messages.map((m) => m.threadId)).size).toBeLessThan(messages.length);
});

test('format=full: text and HTML alternatives, inline images by Content-ID, attachments by attachmentId', async () => {
  const shapes = new Set(messages.map((m) => m.payload?.mimeType));
  expect([...shapes].sort()).toEqual([
    'multipart/alternative',
    'multipart/mixed',
    'multipart/related',
    'text/plain',
  ]);
  for (const message of messages) {
    const parts = partsOf(message.payload);
    const text = parts.find((p) => p.mimeType === 'text/plain');
    expect(decode(text?.body?.data).toString()).toContain('Hello');
    expect(text?.body?.size).toBe(decode(text?.body?.data).length);
    for (const container of parts.filter((p) => p.mimeType?.startsWith('multipart/')))
      expect([container.body, container.filename, container.parts?.length]).toEqual([
        { size: 0 },
        '',
        expect.any(Number),
      ]);
    const html = parts.find((p) => p.mimeType === 'text/html');
    for (const image of parts.filter((p) => p.mimeType === 'image/png')) {
      const cid = (header(image, 'Content-ID') as string).replace(/[<>]/g, '');
      expect(decode(html?.body?.data).toString()).toContain(`cid:${cid}`);
      expect(header(image, 'Content-Disposition')).toMatch(/^inline;/);
    }
  }
  const withFile = messages.find((m) =>
    partsOf(m.payload).some((p) => p.body?.attachmentId),
  ) as gmail_v1.Schema$Message;
  const file = partsOf(withFile.payload).find((p) => p.body?.attachmentId) as gmail_v1.Schema$MessagePart;
  expect(file.filename).not.toBe('');
  const { data } = await gmail.users.messages.attachments.get({
    userId: 'me',
    messageId: withFile.id as string,
    id: file.body?.attachmentId as string,
  });
  expect([data.size, decode(data.data).length]).toEqual([file.body?.size, file.body?.size]);
});

test('attachment ids change on every fetch of the message, as Gmail ids do; each issued one reads its part only', async () => {
  const withFile = messages.find((m) => partsOf(m.payload).some((p) => p.body?.attachmentId))!;
  const other = messages.find(
    (m) => m.id !== withFile.id && partsOf(m.payload).some((p) => p.body?.attachmentId),
  )!;
  const fileIds = async (id: string) => {
    const { data } = await gmail.users.messages.get({ userId: 'me', id, format: 'full' });
    return partsOf(data.payload).flatMap((p) => (p.body?.attachmentId ? [p.body.attachmentId] : []));
  };
  const [first, second] = [await fileIds(withFile.id!), await fileIds(withFile.id!)];
  expect(first.length).toBeGreaterThan(0);
  first.forEach((id, i) => expect(id).not.toBe(second[i]));
  for (const ids of [first, second]) {
    const { data } = await gmail.users.messages.attachments.get({
      userId: 'me',
      messageId: withFile.id!,
      id: ids[0]!,
    });
    expect(data.size).toBe(partsOf(withFile.payload).find((p) => p.body?.attachmentId)?.body?.size);
  }
  // An id of another message, or a made-up one, names nothing here.
  for (const id of [(await fileIds(other.id!))[0]!, `${first[0]!}x`])
    await expect(
      gmail.users.messages.attachments.get({ userId: 'me', messageId: withFile.id!, id }),
    ).rejects.toMatchObject({ status: 404 });
});

test('format=raw is the same MIME document, and sizeEstimate is its size', async () => {
  const message = messages.find((m) => m.payload?.mimeType === 'multipart/mixed') as gmail_v1.Schema$Message;
  const { data } = await gmail.users.messages.get({ userId: 'me', id: message.id as string, format: 'raw' });
  const raw = decode(data.raw).toString();
  const boundary = /boundary="([^"]+)"/.exec(
    header(message.payload, 'Content-Type') as string,
  )?.[1] as string;
  expect(raw).toContain(`\r\n--${boundary}\r\n`);
  expect(raw).toMatch(new RegExp(`--${boundary}--\\r\\n$`));
  expect(raw).toContain(`Message-ID: ${header(message.payload, 'Message-ID')}\r\n`);
  expect(decode(data.raw).length).toBe(data.sizeEstimate);
  expect(data.sizeEstimate).toBe(message.sizeEstimate);
});

test('label edits show in history as labelsAdded and labelsRemoved with the labels that changed', async () => {
  const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId as string;
  const [read, moved] = messages.filter((m) => m.labelIds?.includes('UNREAD'));
  const without = (m: gmail_v1.Schema$Message | undefined, label: string) =>
    (m?.labelIds ?? []).filter((l) => l !== label);
  sandbox.control.updateItem('google', accountId, 'messages', read?.id as string, {
    labelIds: without(read, 'UNREAD'),
  });
  sandbox.control.updateItem('google', accountId, 'messages', moved?.id as string, {
    labelIds: [...without(moved, 'INBOX'), 'TRASH'],
  });
  const { data } = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
  expect(data.history?.map((h) => [h.labelsAdded?.[0]?.labelIds, h.labelsRemoved?.[0]?.labelIds])).toEqual([
    [undefined, ['UNREAD']],
    [['TRASH'], ['INBOX']],
  ]);
  expect(data.history?.[0]?.labelsRemoved?.[0]?.message?.labelIds).not.toContain('UNREAD');
  const removedOnly = await gmail.users.history.list({
    userId: 'me',
    startHistoryId: start,
    historyTypes: ['labelRemoved'],
  });
  expect(removedOnly.data.history).toHaveLength(2);
});

test('a text part sent in ISO-8859-1: quoted-printable in raw, its own bytes (not UTF-8) in full', async () => {
  const id = messages[3]?.id as string;
  const body =
    'Voilà le devis révisé, à signer = merci.\nUne ligne bien plus longue que soixante-seize caractères, pour voir la coupure douce.';
  sandbox.control.updateItem('google', accountId, 'messages', id, { body, textCharset: 'ISO-8859-1' });
  const raw = decode(
    (await gmail.users.messages.get({ userId: 'me', id, format: 'raw' })).data.raw,
  ).toString();
  expect(raw).toContain(
    'Content-Type: text/plain; charset="ISO-8859-1"\r\nContent-Transfer-Encoding: quoted-printable',
  );
  expect(raw).toContain('Voil=E0 le devis r=E9vis=E9, =E0 signer =3D merci.\r\n');
  const encoded = raw.split('quoted-printable\r\n\r\n')[1]?.split('\r\n--')[0] ?? '';
  expect(encoded.split('\r\n').map((line) => line.length <= 76)).not.toContain(false);
  expect(encoded).toContain('=\r\n');
  const { data } = await gmail.users.messages.get({ userId: 'me', id });
  const text = partsOf(data.payload).find((p) => p.mimeType === 'text/plain');
  expect(decode(text?.body?.data).toString('latin1')).toBe(body);
  expect(text?.body?.size).toBe(Buffer.byteLength(body, 'latin1'));
});

test('a forwarded message is a message/rfc822 part: written out whole in raw, fetched by attachmentId in full', async () => {
  const id = messages[5]?.id as string;
  const file = { filename: 'inside.txt', mimeType: 'text/plain', size: 700 };
  sandbox.control.updateItem('google', accountId, 'messages', id, {
    forwarded: { subject: 'Quote', disposition: 'inline', files: [file] },
    attachments: [],
  });
  const { data: full } = await gmail.users.messages.get({ userId: 'me', id, format: 'full' });
  const part = partsOf(full.payload).find(
    (p) => p.mimeType === 'message/rfc822',
  ) as gmail_v1.Schema$MessagePart;
  expect([full.payload?.mimeType, header(part, 'Content-Disposition'), part.parts]).toEqual([
    'multipart/mixed',
    'inline',
    undefined,
  ]);
  const { data: carried } = await gmail.users.messages.attachments.get({
    userId: 'me',
    messageId: id,
    id: part.body?.attachmentId as string,
  });
  const message = decode(carried.data).toString();
  expect([carried.size, message.length]).toEqual([part.body?.size, part.body?.size]);
  expect(message).toMatch(/^From: Forwarded Sender <forwarded@sandbox.mail.example>\r\nSubject: Quote\r\n/);
  const { data: raw } = await gmail.users.messages.get({ userId: 'me', id, format: 'raw' });
  expect(decode(raw.raw).toString()).toContain(
    `Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n${message}`,
  );
  expect(raw.sizeEstimate).toBe(decode(raw.raw).length);
});

test('a malformed file given to the control API is refused', () => {
  const id = messages[4]?.id as string;
  expect(() =>
    sandbox.control.updateItem('google', accountId, 'messages', id, { attachments: [{ filename: 'x' }] }),
  ).toThrow('a Gmail file needs filename, mimeType and a whole size');
  expect(() =>
    sandbox.control.updateItem('google', accountId, 'messages', id, {
      forwarded: { subject: 'x', files: [] },
    }),
  ).toThrow('a forwarded message needs a subject, an inline or attachment disposition and files');
});
