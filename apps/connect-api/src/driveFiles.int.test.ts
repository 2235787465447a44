import { connectSandboxAccount, openRows } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT, type Account, type GoogleDriveFileData } from '@crm-sync/provider-sandbox';
import { engineDeps, syncUntilCaughtUp } from '@crm-sync/sync-engine/testing';
import { startApp, type AppHarness } from '../test/appHarness';

// Drive files the user selected (issue 23): synced metadata, content streamed from Drive with Range, and files
// not selected refused before anything reaches Google.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp({});
});
afterAll(() => h.close());

/** A file as Drive holds it now. */
const atDrive = (account: Account, id: string) =>
  h.sandbox.context.datasets
    .open(account, h.sandbox.context.datasets.generator('google', 'drivefiles')!)
    .get(id)!.data as GoogleDriveFileData;

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

it('uploads a file in resumable chunks, resuming after a dropped chunk; shares only selected files', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'drive-upload@example.com',
    sizes: { drivefiles: 2 },
    resources: ['files'],
  });
  // Two chunks of 8 MiB and a tail: the first chunk's connection is dropped by Drive.
  const content = Buffer.alloc(17 * 1024 * 1024 + 123);
  for (let i = 0; i < content.length; i += 4096) content.writeUInt32LE(i, i);
  h.sandbox.control.addFault({
    provider: 'google',
    route: 'drive.files.upload',
    action: { kind: 'drop' },
    next: 1,
  });
  const uploaded = await h.api(
    `/v1/connections/${connectionId}/files/upload?tenantId=t1&name=${encodeURIComponent('Offer é.bin')}&mimeType=application/octet-stream`,
    { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: content },
  );
  expect(uploaded.status).toBe(201);
  const { file, resumes } = (await uploaded.json()) as {
    file: { id: string; name: string; size: number };
    resumes: number;
  };
  expect([file.name, file.size, resumes]).toEqual(['Offer é.bin', content.length, 1]);
  // At Drive: the bytes sent, whole, in a file the app created (so the app may read it under drive.file).
  expect(atDrive(account, file.id).apps).toEqual([DEFAULT_CLIENT.clientId]);
  const back = await h.api(`/v1/connections/${connectionId}/files/${file.id}/content?tenantId=t1`);
  expect(Buffer.from(await back.arrayBuffer()).equals(content)).toBe(true);

  const share = (fileId: string, body: Record<string, unknown> = {}) =>
    h.api(`/v1/connections/${connectionId}/files/${fileId}/permissions`, {
      method: 'POST',
      json: { tenantId: 't1', emailAddress: 'partner@example.org', ...body },
    });
  const shared = await share(file.id, { role: 'commenter' });
  expect(shared.status).toBe(201);
  expect(atDrive(account, file.id).permissions).toEqual([
    expect.objectContaining({ emailAddress: 'partner@example.org', role: 'commenter', type: 'user' }),
  ]);
  expect((await share(file.id, { emailAddress: 'not an address' })).status).toBe(400);
  h.sandbox.control.resetCounters();
  const unselected = await share(filesOf(account)[0]!.id);
  expect([unselected.status, ((await unselected.json()) as { code: string }).code]).toEqual([
    404,
    'not_selected',
  ]);
  expect(h.sandbox.control.counters().filter((c) => c.route.startsWith('drive.'))).toEqual([]);
  const tooBig = await h.api(
    `/v1/connections/${connectionId}/files/upload?tenantId=t1&name=x&mimeType=text/plain`,
    {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    },
  );
  expect(tooBig.status).toBe(415);
});
