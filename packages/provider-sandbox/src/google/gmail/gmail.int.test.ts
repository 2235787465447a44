import { type GaxiosError } from 'gaxios';
import { type gmail_v1 } from 'googleapis';
import { type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { connectGoogle, failure, sandboxGoogleApis } from '../../../test';

let sandbox: RunningSandbox;
let gmail: gmail_v1.Gmail;
let accountId: string;

beforeAll(async () => {
  // A frozen clock keeps the one-second quota window from rolling over mid-test on a slow machine.
  sandbox = await startSandbox({ clock: { now: () => Date.UTC(2026, 10, 1) } });
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'ada@example.com',
    sizes: { messages: 230 },
  }).id;
  const { client } = await connectGoogle(sandbox, 'ada@example.com');
  gmail = sandboxGoogleApis(sandbox, client).gmail;
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.control.clearFaults();
  sandbox.control.clearQuota('google', accountId);
});

/** Every part of a MIME tree, depth first. */
const partsOf = (part: gmail_v1.Schema$MessagePart | undefined): gmail_v1.Schema$MessagePart[] =>
  part ? [part, ...(part.parts ?? []).flatMap(partsOf)] : [];

async function listAll(params: gmail_v1.Params$Resource$Users$Messages$List = {}) {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await gmail.users.messages.list({
      userId: 'me',
      maxResults: 100,
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    ids.push(...(data.messages ?? []).map((m) => m.id as string));
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return ids;
}

test('messages.list pages newest first to the end; get renders every format', async () => {
  const ids = await listAll();
  expect(ids).toHaveLength(230);
  expect(new Set(ids).size).toBe(230);
  const first = (await gmail.users.messages.get({ userId: 'me', id: ids[0] as string, format: 'minimal' }))
    .data;
  const last = (await gmail.users.messages.get({ userId: 'me', id: ids[229] as string, format: 'minimal' }))
    .data;
  expect(Number(first.internalDate)).toBeGreaterThan(Number(last.internalDate));
  const meta = (
    await gmail.users.messages.get({
      userId: 'me',
      id: ids[0] as string,
      format: 'metadata',
      metadataHeaders: ['Subject', 'From'],
    })
  ).data;
  expect(meta.payload?.headers?.map((h) => h.name).sort()).toEqual(['From', 'Subject']);
  const full = (await gmail.users.messages.get({ userId: 'me', id: ids[0] as string })).data;
  const plain = partsOf(full.payload).find((p) => p.mimeType === 'text/plain');
  expect(Buffer.from(plain?.body?.data as string, 'base64url').toString()).toContain('Hello');
  expect((await failure(gmail.users.messages.get({ userId: 'me', id: 'ffffffffffffffff' }))).status).toBe(
    404,
  );
});

test('q after: cuts the listing by date', async () => {
  const newest = (await gmail.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages?.[0]
    ?.id as string;
  const date = Number(
    (await gmail.users.messages.get({ userId: 'me', id: newest, format: 'minimal' })).data.internalDate,
  );
  const after = Math.floor((date - 10 * 60_000) / 1000) + 1;
  expect((await listAll({ q: `after:${after}` })).length).toBe(10);
});

test('history.list reports adds, edits and deletes after a profile historyId; 404 once expired', async () => {
  const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId as string;
  const added = sandbox.control.addItem('google', accountId, 'messages', { subject: 'New deal' });
  const [edited, removed] = (await listAll()).slice(5, 7) as [string, string];
  sandbox.control.updateItem('google', accountId, 'messages', edited, { labelIds: ['INBOX', 'STARRED'] });
  sandbox.control.deleteItem('google', accountId, 'messages', removed);

  const { data } = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
  expect(data.history?.map((h) => Object.keys(h).find((k) => k !== 'id' && k !== 'messages'))).toEqual([
    'messagesAdded',
    'labelsAdded',
    'messagesDeleted',
  ]);
  expect(data.history?.[0]?.messagesAdded?.[0]?.message?.id).toBe(added.id);
  expect(data.history?.[1]?.labelsAdded?.[0]?.labelIds).toContain('STARRED');
  expect(data.history?.[2]?.messagesDeleted?.[0]?.message?.id).toBe(removed);
  expect(Number(data.historyId)).toBeGreaterThan(Number(start));
  const onlyAdds = await gmail.users.history.list({
    userId: 'me',
    startHistoryId: start,
    historyTypes: ['messageAdded'],
  });
  expect(onlyAdds.data.history).toHaveLength(1);
  expect((await gmail.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages?.[0]?.id).toBe(
    added.id,
  );
  expect((await failure(gmail.users.messages.get({ userId: 'me', id: removed }))).status).toBe(404);

  sandbox.control.expireCursors('google', accountId, 'messages');
  const expired = await failure(
    gmail.users.history.list({ userId: 'me', startHistoryId: data.historyId as string }),
  );
  expect(expired.status).toBe(404);
  expect(expired.response?.data).toMatchObject({ error: { code: 404, errors: [{ reason: 'notFound' }] } });
  expect((await failure(gmail.users.history.list({ userId: 'me' } as never))).status).toBe(400);
});

test('history pages with maxResults', async () => {
  const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId as string;
  for (let i = 0; i < 5; i++) sandbox.control.addItem('google', accountId, 'messages');
  const first = (await gmail.users.history.list({ userId: 'me', startHistoryId: start, maxResults: 3 })).data;
  expect(first.history).toHaveLength(3);
  const second = (
    await gmail.users.history.list({
      userId: 'me',
      startHistoryId: start,
      maxResults: 3,
      pageToken: first.nextPageToken as string,
    })
  ).data;
  expect(second.history).toHaveLength(2);
  expect(second.nextPageToken).toBeUndefined();
});

test('fault plans: 429 without Retry-After unless asked, 500, 503, latency, dropped connection', async () => {
  const list = () => gmail.users.messages.list({ userId: 'me', maxResults: 1 });
  const limitedWith = async (retryAfterSeconds?: number) => {
    sandbox.control.addFault({
      provider: 'google',
      route: 'gmail.messages.list',
      action: {
        kind: 'status',
        status: 429,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      },
      next: 1,
    });
    return failure(list());
  };
  const limited = await limitedWith();
  expect([limited.status, limited.response?.headers.get('retry-after')]).toEqual([429, null]);
  expect(limited.response?.data).toMatchObject({
    error: { errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] },
  });
  expect((await limitedWith(7)).response?.headers.get('retry-after')).toBe('7');
  for (const status of [500, 503] as const) {
    sandbox.control.addFault({ route: 'gmail.*', action: { kind: 'status', status }, next: 1 });
    const failed = await failure(list());
    expect([failed.status, failed.response?.headers.get('retry-after')]).toEqual([status, null]);
  }
  expect(() =>
    sandbox.control.addFault({
      provider: 'google',
      action: { kind: 'status', status: 500, retryAfterSeconds: 1 },
      next: 1,
    }),
  ).toThrow(/google sends no Retry-After with 500/);
  sandbox.control.addFault({ route: 'gmail.messages.list', action: { kind: 'latency', ms: 200 }, next: 1 });
  const started = Date.now();
  await list();
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  sandbox.control.addFault({ route: 'gmail.messages.list', action: { kind: 'drop' }, next: 1 });
  const dropped = await failure(list());
  expect(dropped.status).toBeUndefined();
  expect((await list()).status).toBe(200);
});

test('a seeded error rate repeats exactly for the same seed', async () => {
  const run = async () => {
    sandbox.control.clearFaults();
    sandbox.control.addFault({
      route: 'gmail.users.getProfile',
      action: { kind: 'status', status: 503 },
      rate: 0.5,
      seed: 42,
    });
    const outcomes: number[] = [];
    for (let i = 0; i < 12; i++)
      outcomes.push(
        await gmail.users.getProfile({ userId: 'me' }).then(
          (r) => r.status,
          (e: GaxiosError) => e.status ?? 0,
        ),
      );
    return outcomes;
  };
  const first = await run();
  expect(first).toContain(503);
  expect(first).toContain(200);
  expect(await run()).toEqual(first);
});

test('per-user quota in Gmail units: messages.get costs 5, the sixth call in a 25-unit second is refused', async () => {
  const id = (await gmail.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages?.[0]
    ?.id as string;
  sandbox.control.setQuota({ provider: 'google', accountId, unitsPerSecond: 25, status: 403 });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    statuses.push(
      await gmail.users.messages.get({ userId: 'me', id, format: 'minimal' }).then(
        (r) => r.status,
        (e: GaxiosError) => e.status ?? 0,
      ),
    );
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 403]);
  const refused = await failure(gmail.users.messages.get({ userId: 'me', id, format: 'minimal' }));
  expect(refused.response?.data).toMatchObject({
    error: { code: 403, errors: [{ reason: 'userRateLimitExceeded' }] },
  });
});

test('a lazy 100k-message account answers the first page without generating everything', async () => {
  const big = sandbox.control.createAccount({
    provider: 'google',
    email: 'big@example.com',
    sizes: { messages: 100_000 },
  });
  const { client } = await connectGoogle(sandbox, big.email);
  const bigGmail = sandboxGoogleApis(sandbox, client).gmail;
  // Lazy is shown by the heap, not by the time (a loaded CI machine's clock says nothing).
  const heapBefore = process.memoryUsage().heapUsed;
  const { data } = await bigGmail.users.messages.list({ userId: 'me', maxResults: 500 });
  expect(data.messages).toHaveLength(500);
  expect((await bigGmail.users.getProfile({ userId: 'me' })).data.messagesTotal).toBe(100_000);
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(30 * 1024 * 1024);
});
