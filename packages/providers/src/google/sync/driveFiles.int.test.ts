import { type DriveFileRecord, type ResourceSyncer } from '@crm-sync/core';
import { DEFAULT_CLIENT, type GoogleDriveFileData } from '@crm-sync/provider-sandbox';
import { classificationOf } from '../../../test/sandbox';
import {
  applyRounds,
  connectAccount,
  FULL,
  incremental,
  runRound,
  sandboxItems,
  startGoogleHarness,
  type Connected,
  type GoogleHarness,
} from '../../../test/google/harness';

let h: GoogleHarness;
let main: Connected;
const syncer = () => h.adapter.sync!.files as ResourceSyncer<'drive_files'>;
const options = () => ({ accessToken: main.accessToken, now: new Date(), initialWindowDays: 30 });
const files = () => sandboxItems<GoogleDriveFileData>(h, main.account, 'drivefiles');
const update = (id: string, fields: Record<string, unknown>) =>
  h.sandbox.control.updateItem('google', main.account.id, 'drivefiles', id, fields);
/** The files the app was given: picked ones and the one it "created". */
const selected = () =>
  files().filter((f) => f.data.apps.includes(DEFAULT_CLIENT.clientId) && !f.data.trashed);

function expectLanded(table: Map<string, DriveFileRecord>) {
  expect([...table.keys()].sort()).toEqual(
    selected()
      .map((f) => f.id)
      .sort(),
  );
  for (const f of selected()) {
    expect(table.get(f.id)).toEqual({
      externalId: f.id,
      name: f.data.name,
      mimeType: f.data.mimeType,
      size: f.data.mimeType.startsWith('application/vnd.google-apps.') ? null : expect.any(Number),
      ownerEmails: [main.account.email],
      modifiedAt: new Date(f.data.modified),
      webViewLink: expect.stringContaining(f.id),
    });
  }
}

beforeAll(async () => {
  h = await startGoogleHarness({ drivePageSize: 3 });
  main = await connectAccount(h, 'drive.owner@example.com', { drivefiles: 30 });
  // The user picks 8 of the 30 files for the CRM; the CRM created one more.
  for (const f of files().filter((_, i) => i % 4 === 0))
    update(f.id, { openedWith: DEFAULT_CLIENT.clientId });
  h.sandbox.control.addItem('google', main.account.id, 'drivefiles', {
    name: 'Made by the CRM',
    content: 'hello',
    createdBy: DEFAULT_CLIENT.clientId,
  });
});
afterAll(() => h.close());

test('a full round lists exactly the files the app was given, resuming from stored continuations', async () => {
  const round = await runRound(syncer(), FULL, options());
  expect(round.pages.length).toBeGreaterThan(2);
  expect(selected()).toHaveLength(9);
  expectLanded(applyRounds([round]));
  expect(JSON.stringify([round.continuations, round.cursor])).not.toContain(main.accessToken);
});

test('incremental rounds follow the changes feed: renames, trashing, lost access, new picks; unpicked files never show', async () => {
  const full = await runRound(syncer(), FULL, options());
  const [renamed, trashed, revoked] = selected().map((f) => f.id);
  const unpicked = files().find((f) => !f.data.apps.includes(DEFAULT_CLIENT.clientId))!.id;
  update(renamed!, { name: 'Renamed at Google' });
  update(trashed!, { trashed: true });
  update(revoked!, { revokeApp: DEFAULT_CLIENT.clientId });
  update(unpicked, { name: 'Someone else’s' });
  const next = await runRound(syncer(), incremental(full.cursor), options());
  expect(next.deletes.sort()).toEqual([trashed, revoked].sort());
  expect(next.upserts.map((r) => [r.externalId, r.name])).toEqual([[renamed, 'Renamed at Google']]);
  expectLanded(applyRounds([full, next]));

  update(unpicked, { openedWith: DEFAULT_CLIENT.clientId });
  const picked = await runRound(syncer(), incremental(next.cursor), options());
  expect(picked.upserts.map((r) => r.externalId)).toEqual([unpicked]);
  const quiet = await runRound(syncer(), incremental(picked.cursor), options());
  expect([quiet.upserts, quiet.deletes]).toEqual([[], []]);
});

test('a changes token Drive refuses is cursor_expired (the engine then runs a full round)', async () => {
  const full = await runRound(syncer(), FULL, options());
  h.sandbox.control.expireCursors('google', main.account.id, 'drivefiles');
  update(selected()[0]!.id, { name: 'after expiry' });
  expect(await classificationOf(runRound(syncer(), incremental(full.cursor), options()))).toEqual({
    kind: 'cursor_expired',
  });
});
