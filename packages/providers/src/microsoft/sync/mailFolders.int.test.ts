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
  expect(JSON.parse(round.cursor)).toEqual({ folders: { [FOLDERS.inbox]: expect.any(String) } });
});
