import { type EmailRecord } from '@crm-sync/core';
import type { Message } from '@microsoft/microsoft-graph-types';
import {
  applyRounds,
  connectAccount,
  FULL,
  incremental,
  runRound,
  sandboxItems,
  startGraphHarness,
  storedId,
  type GraphHarness,
} from '../../../test/microsoft/harness';

// Graph serves at most 5,000 messages in a message-delta round with `$filter`
// (docs/providers/microsoft.md#delta-endpoints); the sandbox's cap is lowered here so the test stays small.
const CAP = 50;
const DAY = 86_400_000;
let h: GraphHarness;
beforeAll(async () => {
  h = await startGraphHarness(20, { messageDeltaFilterCap: CAP });
});
afterAll(() => h.close());

// Issue 16: the full round used `$filter=receivedDateTime ge …` and ended at the cap; it now lists the folder
// without `$filter` and applies the window itself (sync/mail.ts).
test('a full mail round lands every message in the window, even past the $filter cap', async () => {
  const { account, accessToken } = await connectAccount(h, 'cap.owner@contoso.com', { messages: CAP + 30 });
  const syncer = h.adapter.sync?.mail;
  if (syncer === undefined) throw new Error('the Microsoft adapter has no mail syncer');
  const round = await runRound(syncer, FULL, { accessToken, now: new Date(), initialWindowDays: 30 });
  const inSandbox = [...sandboxItems<Message>(h, account, 'messages').keys()].sort();
  expect(inSandbox).toHaveLength(CAP + 30);
  expect([...applyRounds([round]).keys()].sort()).toEqual(inSandbox);
});

test('messages received before the window are neither upserted nor reported; later changes still arrive', async () => {
  // Sandbox messages are 17 minutes apart and end at account creation: 300 span ~3.5 days, one day holds ~85.
  const { account, accessToken } = await connectAccount(h, 'window.owner@contoso.com', { messages: 300 });
  const syncer = h.adapter.sync?.mail;
  if (syncer === undefined) throw new Error('the Microsoft adapter has no mail syncer');
  // Whole seconds: Graph's instants (and so the window) carry no milliseconds.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const options = { accessToken, now, initialWindowDays: 1 };
  const full = await runRound(syncer, FULL, options);
  const all = sandboxItems<Message>(h, account, 'messages');
  const inWindow = [...all]
    .filter(([, m]) => Date.parse(m.receivedDateTime!) >= now.getTime() - DAY)
    .map(([id]) => id)
    .sort();
  expect(inWindow.length).toBeGreaterThan(CAP);
  expect(inWindow.length).toBeLessThan(all.size);
  expect([...applyRounds([full]).keys()].sort()).toEqual(inWindow);
  expect(full.deletes).toEqual([]);
  expect(full.window).toEqual({ after: new Date(now.getTime() - DAY), before: null });

  // The delta link has no $filter in it, so an edit anywhere in the folder is reported on the next round.
  const edited = inWindow[0]!;
  h.sandbox.control.updateItem('microsoft', account.id, 'messages', storedId(edited), {
    subject: 'Re: edited',
  });
  const next = await runRound(syncer, incremental(full.cursor), options);
  expect((next.upserts as EmailRecord[]).map((r) => [r.externalId, r.subject])).toEqual([
    [edited, 'Re: edited'],
  ]);
});
