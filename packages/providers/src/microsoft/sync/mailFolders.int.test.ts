import { type EmailRecord, type ResourceSyncer } from '@crm-sync/core';
import { GRAPH_MAIL_FOLDER_IDS as FOLDERS } from '@crm-sync/provider-sandbox';
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
import { classificationOf } from '../../../test/sandbox';
import { createMicrosoftAdapter } from '../index';

let h: GraphHarness;
beforeAll(async () => {
  h = await startGraphHarness(10);
});
afterAll(() => h.close());

const mail = (adapter = h.adapter) => adapter.sync?.mail as ResourceSyncer<'emails'>;
const ids = (records: EmailRecord[]) => records.map((r) => r.externalId).sort();

test('Inbox, Sent Items, Archive and user folders land; Deleted Items and Junk Email do not; moves keep the row', async () => {
  const { account, accessToken } = await connectAccount(h, 'folders.owner@contoso.com', { messages: 40 });
  const all = [...sandboxItems<Message>(h, account, 'messages').keys()];
  const file = (id: string, folder: string) =>
    h.sandbox.control.updateItem('microsoft', account.id, 'messages', storedId(id), {
      parentFolderId: folder,
    });
  const filing: [number, string][] = [
    [0, FOLDERS.sentitems],
    [1, FOLDERS.archive],
    [2, FOLDERS.acme],
    [3, FOLDERS.clients],
    [4, FOLDERS.deleteditems],
    [5, FOLDERS.junkemail],
  ];
  for (const [i, folder] of filing) file(all[i]!, folder);
  const options = { accessToken, now: new Date(), initialWindowDays: 30 };
  const full = await runRound(mail(), FULL, options);
  const followed = all.filter((id) => id !== all[4] && id !== all[5]).sort();
  expect([...applyRounds([full]).keys()].sort()).toEqual(followed);

  // Inbox → Archive and Archive → Clients: updates of the same rows. Inbox → Junk Email: removed from the CRM.
  file(all[10]!, FOLDERS.archive);
  file(all[1]!, FOLDERS.clients);
  file(all[11]!, FOLDERS.junkemail);
  h.sandbox.control.updateItem('microsoft', account.id, 'messages', storedId(all[2]!), {
    subject: 'Moved on',
  });
  const next = await runRound(mail(), incremental(full.cursor), options);
  expect(ids(next.upserts)).toEqual([all[10]!, all[1]!, all[2]!].sort());
  expect(next.deletes).toEqual([all[11]]);
  const table = applyRounds([full, next]);
  expect(table.get(all[2]!)?.subject).toBe('Moved on');
  expect([...table.keys()].sort()).toEqual(followed.filter((id) => id !== all[11]));

  // A message brought back out of Junk Email lands again.
  file(all[5]!, FOLDERS.inbox);
  const back = await runRound(mail(), incremental(next.cursor), options);
  expect([ids(back.upserts), back.deletes]).toEqual([[all[5]], []]);
});

test('the mailFolders option narrows the folders followed', async () => {
  const { account, accessToken } = await connectAccount(h, 'inbox.only@contoso.com', { messages: 12 });
  const all = [...sandboxItems<Message>(h, account, 'messages').keys()];
  h.sandbox.control.updateItem('microsoft', account.id, 'messages', storedId(all[0]!), {
    parentFolderId: FOLDERS.sentitems,
  });
  const inboxOnly = createMicrosoftAdapter({ ...h.adapterOptions, mailFolders: 'inbox' });
  const round = await runRound(mail(inboxOnly), FULL, {
    accessToken,
    now: new Date(),
    initialWindowDays: 30,
  });
  expect(ids(round.upserts)).toEqual(all.slice(1).sort());
  expect(JSON.parse(round.cursor)).toEqual({
    folders: { [FOLDERS.inbox]: expect.any(String) },
    tree: expect.objectContaining({ named: { inbox: FOLDERS.inbox } }),
  });
});

test('folders added, renamed, moved away and deleted between rounds: the tree follows mailFolders delta', async () => {
  const { account, accessToken } = await connectAccount(h, 'folder.changes@contoso.com', { messages: 12 });
  const all = [...sandboxItems<Message>(h, account, 'messages').keys()];
  const options = { accessToken, now: new Date(), initialWindowDays: 30 };
  const control = h.sandbox.control;
  const calls = (route: string) =>
    control
      .counters()
      .filter((e) => e.route === route && e.accountId === account.id)
      .reduce((sum, e) => sum + e.count, 0);
  const full = await runRound(mail(), FULL, options);

  // A folder added with a message filed in it, another folder renamed: one folder delta call, no name looked up.
  const added = control.addItem('microsoft', account.id, 'mailFolders', {
    displayName: 'Deals',
    parentFolderId: FOLDERS.inbox,
  }).id;
  control.updateItem('microsoft', account.id, 'messages', storedId(all[0]!), { parentFolderId: added });
  control.updateItem('microsoft', account.id, 'mailFolders', FOLDERS.clients, { displayName: 'Customers' });
  control.resetCounters();
  const next = await runRound(mail(), incremental(full.cursor), options);
  expect([calls('graph.mailFolders.delta'), calls('graph.mailFolders.get')]).toEqual([1, 0]);
  expect([ids(next.upserts), next.deletes]).toEqual([[all[0]], []]);
  const followed = Object.keys((JSON.parse(next.cursor) as { folders: object }).folders);
  expect(followed).toEqual(expect.arrayContaining([added, FOLDERS.clients, FOLDERS.inbox]));

  // The new folder deleted for good, with its message: no followed folder's delta says so, so the round starts over
  // as a full one, which no longer has the message (its sweep removes the row).
  control.deleteItem('microsoft', account.id, 'mailFolders', added);
  const left = mail().fetchPage({ ...options, position: incremental(next.cursor) });
  expect(await classificationOf(left)).toEqual({ kind: 'cursor_expired' });
  const again = await runRound(mail(), FULL, options);
  expect([...applyRounds([again]).keys()].sort()).toEqual(all.slice(1).sort());

  // A followed folder moved under Deleted Items is no longer followed either.
  control.updateItem('microsoft', account.id, 'messages', storedId(all[1]!), {
    parentFolderId: FOLDERS.acme,
  });
  const before = await runRound(mail(), incremental(again.cursor), options);
  expect(ids(before.upserts)).toEqual([all[1]]);
  control.updateItem('microsoft', account.id, 'mailFolders', FOLDERS.acme, {
    parentFolderId: FOLDERS.deleteditems,
  });
  const moved = mail().fetchPage({ ...options, position: incremental(before.cursor) });
  expect(await classificationOf(moved)).toEqual({ kind: 'cursor_expired' });
  const last = await runRound(mail(), FULL, options);
  expect([...applyRounds([last]).keys()].sort()).toEqual(all.slice(2).sort());
});

test('a round reads /me once; removed messages are looked up twenty to a $batch call', async () => {
  const { account, accessToken } = await connectAccount(h, 'batched.owner@contoso.com', { messages: 60 });
  const all = [...sandboxItems<Message>(h, account, 'messages').keys()];
  const options = { accessToken, now: new Date(), initialWindowDays: 30 };
  const control = h.sandbox.control;
  const calls = (route: string) =>
    control
      .counters()
      .filter((e) => e.route === route && e.accountId === account.id)
      .reduce((sum, e) => sum + e.count, 0);
  control.resetCounters();
  const full = await runRound(mail(), FULL, options);
  expect(full.pages.length).toBeGreaterThan(3);
  expect(calls('graph.me.get')).toBe(1);

  // 25 messages to Junk Email: removed from the Inbox on pages of 10 (the harness's page size), each removal
  // looked up once, one $batch call per page, and every one a delete.
  const junked = all.slice(0, 25);
  for (const id of junked)
    control.updateItem('microsoft', account.id, 'messages', storedId(id), {
      parentFolderId: FOLDERS.junkemail,
    });
  control.resetCounters();
  const next = await runRound(mail(), incremental(full.cursor), options);
  expect([next.upserts, [...next.deletes].sort()]).toEqual([[], [...junked].sort()]);
  expect([calls('graph.messages.get'), calls('graph.batch'), calls('graph.me.get')]).toEqual([25, 3, 1]);

  // A throttled look-up inside the batch fails the page as the lone request would, with its Retry-After.
  const moved = all[30]!;
  control.updateItem('microsoft', account.id, 'messages', storedId(moved), {
    parentFolderId: FOLDERS.archive,
  });
  control.addFault({
    provider: 'microsoft',
    route: 'graph.messages.get',
    accountId: account.id,
    action: { kind: 'status', status: 429, retryAfterSeconds: 9 },
    next: 1,
  });
  const throttled = mail().fetchPage({ ...options, position: incremental(next.cursor) });
  expect(await classificationOf(throttled)).toEqual({ kind: 'rate_limited', retryAfterMs: 9000 });
  control.clearFaults();
  const after = await runRound(mail(), incremental(next.cursor), options);
  expect([ids(after.upserts), after.deletes]).toEqual([[moved], []]);
});
