import { type EmailRecord } from '@crm-sync/core';
import { connectAccount, FULL, incremental, runRound } from '../../../test/google/harness';
import { syncScenarios } from '../../../test/google/scenarios';

/** The fields of the sandbox's stored Gmail message this test reads (provider-sandbox src/google/data.ts). */
interface SandboxMessage {
  threadId: string;
  labelIds: string[];
  from: string;
  to: string;
  subject: string;
  internalDate: number;
}

const DAY_MS = 86_400_000;

const scenario = syncScenarios<'emails', SandboxMessage>({
  resource: 'mail',
  sandboxResource: 'messages',
  route: 'gmail.*',
  size: 1200,
  sync: { gmailPageSize: 500, gmailConcurrency: 25 },
  initialWindowDays: 30,
  externalId: (id) => id,
  // Gmail's `after:` takes whole seconds; the sandbox's base mail is 1,200 minutes old at most, all in the window.
  inWindow: (m, now, days) =>
    m.internalDate > Math.floor((now.getTime() - days * DAY_MS) / 1000) * 1000 &&
    !m.labelIds.some((l) => l === 'TRASH' || l === 'SPAM'),
  expected: ({ id, data }) => ({
    externalId: id,
    threadId: data.threadId,
    fromAddress: /<([^>]+)>/.exec(data.from)![1]!,
    toAddresses: [data.to],
    ccAddresses: [],
    subject: data.subject,
    sentAt: new Date(data.internalDate),
    labels: data.labelIds,
  }),
  edit: { fields: { subject: 'Edited subject' }, expected: { subject: 'Edited subject' } },
});

test('a full round lists newest first, across pages', async () => {
  const round = await runRound(scenario.syncer(), FULL, scenario.options());
  const times = round.upserts.map((r: EmailRecord) => r.sentAt!.getTime());
  expect(times.length).toBeGreaterThan(1000);
  expect(times).toEqual([...times].sort((a, b) => b - a));
});

test('a message deleted between list and get is reported deleted, and the page still succeeds', async () => {
  const h = scenario.harness();
  const owner = await connectAccount(h, 'mail.racy@example.com', { messages: 60 });
  let victim = '';
  // Acts after messages.list has answered and before the gets: the sandbox deletes a listed message.
  const racing: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.endsWith('/messages') && !victim) {
      const listed = (await response.clone().json()) as { messages: { id: string }[] };
      victim = listed.messages[10]!.id;
      h.sandbox.control.deleteItem('google', owner.account.id, 'messages', victim);
    }
    return response;
  };
  const syncer = h.adapterWith(racing).sync!.mail!;
  const round = await runRound(syncer, FULL, { ...scenario.options(), accessToken: owner.accessToken });
  expect(round.deletes).toEqual([victim]);
  expect(round.upserts).toHaveLength(59);
  expect(round.upserts.map((r) => r.externalId)).not.toContain(victim);
});

test('a message moved to Trash leaves the CRM like a deletion and returns when restored', async () => {
  const { account, accessToken } = scenario.main();
  const control = scenario.harness().sandbox.control;
  const start = await runRound(scenario.syncer(), FULL, scenario.options());
  const id = start.upserts[0]!.externalId;
  control.updateItem('google', account.id, 'messages', id, { labelIds: ['TRASH'] });
  const trashed = await runRound(scenario.syncer(), incremental(start.cursor), {
    ...scenario.options(),
    accessToken,
  });
  expect([trashed.upserts, trashed.deletes]).toEqual([[], [id]]);
  control.updateItem('google', account.id, 'messages', id, { labelIds: ['INBOX'] });
  const restored = await runRound(scenario.syncer(), incremental(trashed.cursor), scenario.options());
  expect(restored.upserts.map((r) => [r.externalId, r.labels])).toEqual([[id, ['INBOX']]]);
});

test('an incremental round pages through history from the same start, and ends at the mailbox history id', async () => {
  const { account } = scenario.main();
  const control = scenario.harness().sandbox.control;
  const start = await runRound(scenario.syncer(), FULL, scenario.options());
  const added = Array.from({ length: 520 }, () => control.addItem('google', account.id, 'messages').id);
  const round = await runRound(scenario.syncer(), incremental(start.cursor), scenario.options());
  expect(round.continuations).toEqual([
    { phase: 'incremental', startHistoryId: start.cursor, pageToken: expect.any(String) },
  ]);
  expect(round.upserts.map((r) => r.externalId).sort()).toEqual(added.sort());
  const quiet = await runRound(scenario.syncer(), incremental(round.cursor), scenario.options());
  expect([quiet.upserts, quiet.deletes, quiet.cursor]).toEqual([[], [], round.cursor]);
});

test("under Gmail's per-user quota a page waits for the next window instead of failing and refetching", async () => {
  const h = scenario.harness();
  const owner = await connectAccount(h, 'mail.quota@example.com', { messages: 60 });
  // 100 units a second: 20 gets a second, so the 60 gets of one page need three windows.
  h.sandbox.control.setQuota({
    provider: 'google',
    accountId: owner.account.id,
    unitsPerSecond: 100,
    status: 429,
  });
  h.sandbox.control.resetCounters();
  try {
    const started = Date.now();
    const round = await runRound(h.adapter.sync!.mail!, FULL, {
      ...scenario.options(),
      accessToken: owner.accessToken,
    });
    expect(round.upserts).toHaveLength(60);
    expect(Date.now() - started).toBeGreaterThan(1_500);
    const gets = h.sandbox.control
      .counters()
      .filter((c) => c.route === 'gmail.messages.get' && c.accountId === owner.account.id);
    const served = gets.filter((c) => c.status === 200).reduce((n, c) => n + c.count, 0);
    // Every message was fetched once: nothing already fetched was thrown away and fetched again.
    expect(served).toBe(60);
  } finally {
    h.sandbox.control.clearQuota('google', owner.account.id);
  }
});
