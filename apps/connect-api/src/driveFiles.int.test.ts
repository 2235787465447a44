import { connectSandboxAccount, openRows } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT, type Account } from '@crm-sync/provider-sandbox';
import { engineDeps, syncUntilCaughtUp } from '@crm-sync/sync-engine/testing';
import { startApp, type AppHarness } from '../test/appHarness';

// Drive files the user selected (issue 23): synced metadata, content streamed from Drive with Range, and files
// not selected refused before anything reaches Google.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp({});
});
afterAll(() => h.close());

const filesOf = (account: Account) =>
  h.sandbox.context.datasets
    .open(account, h.sandbox.context.datasets.generator('google', 'drivefiles')!)
    .page({ limit: 100, order: 'asc' }).items;

it('registers picked files (sealed), keeps them in step, streams their content with Range, refuses unselected files before Google', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'drive-user@example.com',
    sizes: { drivefiles: 4 },
    resources: ['files'],
  });
  const [picked, other] = filesOf(account).map((f) => f.id);
  h.sandbox.control.updateItem('google', account.id, 'drivefiles', picked!, {
    openedWith: DEFAULT_CLIENT.clientId,
    mimeType: 'application/pdf',
    size: 300_000,
    name: 'Contract.pdf',
  });
  // The CRM registers what the Picker handed it: fetched once from Drive and stored, sealed.
  const register = (fileIds: string[]) =>
    h.api(`/v1/connections/${connectionId}/files`, { method: 'POST', json: { tenantId: 't1', fileIds } });
  const refusedIds = await register([picked!, other!]);
  expect([refusedIds.status, ((await refusedIds.json()) as { code: string }).code]).toEqual([
    422,
    'not_accessible',
  ]);
  expect(await h.db.dataSource.query('SELECT 1 FROM drive_files')).toEqual([]);
  expect((await register(['../etc'])).status).toBe(400);
  const registered = await register([picked!]);
  expect(registered.status).toBe(200);
  expect(((await registered.json()) as { files: unknown[] }).files).toEqual([
    expect.objectContaining({
      id: picked,
      name: 'Contract.pdf',
      size: 300_000,
      owners: ['drive-user@example.com'],
    }),
  ]);
  const opened = () =>
    openRows(h.db.dataSource, h.deps.content, 'drive_files', 'connection_id = $1 AND deleted_at IS NULL', [
      connectionId,
    ]) as Promise<{ external_id: string; name: string; size: string; mime_type: string }[]>;
  expect((await opened()).map((r) => [r.external_id, r.name, Number(r.size), r.mime_type])).toEqual([
    [picked, 'Contract.pdf', 300_000, 'application/pdf'],
  ]);
  // Renamed at Drive: the next round (the changes feed) brings the new name.
  await syncUntilCaughtUp(engineDeps(h), connectionId, 'files');
  h.sandbox.control.updateItem('google', account.id, 'drivefiles', picked!, { name: 'Contract v2.pdf' });
  await syncUntilCaughtUp(engineDeps(h), connectionId, 'files');
  expect((await opened()).map((r) => r.name)).toEqual(['Contract v2.pdf']);
  const [raw] = (await h.db.dataSource.query('SELECT * FROM drive_files WHERE connection_id = $1', [
    connectionId,
  ])) as Record<string, unknown>[];
  expect(JSON.stringify(raw)).not.toContain('Contract');
  expect(raw).not.toHaveProperty('name');

  const url = (fileId: string, tenant = 't1') =>
    `/v1/connections/${connectionId}/files/${encodeURIComponent(fileId)}/content?tenantId=${tenant}`;
  const whole = await h.api(url(picked!));
  expect(whole.status).toBe(200);
  const bytes = Buffer.from(await whole.arrayBuffer());
  expect(bytes.length).toBe(300_000);
  const part = await h.api(url(picked!), { headers: { range: 'bytes=1000-1999' } });
  expect([part.status, part.headers.get('content-range')]).toEqual([206, 'bytes 1000-1999/300000']);
  expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));
  const past = await h.api(url(picked!), { headers: { range: 'bytes=300000-' } });
  expect(past.status).toBe(416);

  h.sandbox.control.resetCounters();
  for (const fileId of [other!, 'never-heard-of']) {
    const refused = await h.api(url(fileId));
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([
      404,
      'not_selected',
    ]);
  }
  expect(h.sandbox.control.counters().filter((c) => c.route.startsWith('drive.'))).toEqual([]);
  // Another tenant's view of the connection: no such connection.
  expect((await h.api(url(picked!, 't2'))).status).toBe(404);

  // Trashed at the provider: the next round removes the row, and the content is refused here from then on.
  h.sandbox.control.updateItem('google', account.id, 'drivefiles', picked!, { trashed: true });
  await syncUntilCaughtUp(engineDeps(h), connectionId, 'files');
  expect(await opened()).toEqual([]);
  expect((await h.api(url(picked!))).status).toBe(404);
});
