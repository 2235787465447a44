import { type ConnectionsHarness } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT, type GoogleDriveFileData } from '@crm-sync/provider-sandbox';
import { waitFor } from '@crm-sync/testing';
import { connectThroughApi, serviceCall } from '../test/connectApi';
import { threeAppsSuite } from '../test/threeApps';

// Issue 23, Drive files the user selects: connect-api, worker and scheduler as processes, the sandbox as Google.

let h: ConnectionsHarness;
let baseUrl: string;
threeAppsSuite((apps) => ({ h, baseUrl } = apps));
jest.setTimeout(180_000);

const api = (path: string, init?: Parameters<typeof serviceCall>[2]) => serviceCall(baseUrl, path, init);

const row = async (connectionId: string, fileId: string) =>
  (
    (await h.db.dataSource.query(
      `SELECT content_hash, deleted_at FROM drive_files WHERE connection_id = $1 AND external_id = $2`,
      [connectionId, fileId],
    )) as { content_hash: string; deleted_at: Date | null }[]
  )[0];

it('select → metadata synced → renamed and trashed at Drive → reflected; unselected refused; upload resumed; share', async () => {
  const email = 'drive-e2e@example.com';
  const account = h.sandbox.control.createAccount({ provider: 'google', email, sizes: { drivefiles: 3 } });
  const connectionId = await connectThroughApi(h, baseUrl, {
    provider: 'google',
    email,
    resources: ['files'],
  });
  const files = h.sandbox.context.datasets.open(
    account,
    h.sandbox.context.datasets.generator('google', 'drivefiles')!,
  );
  const [picked, other] = files.page({ limit: 3, order: 'asc' }).items.map((f) => f.id);

  // The user picks one file in the Google Picker; the CRM registers the id it got.
  h.sandbox.control.updateItem('google', account.id, 'drivefiles', picked!, {
    openedWith: DEFAULT_CLIENT.clientId,
    mimeType: 'text/plain',
  });
  const registered = await api(`/v1/connections/${connectionId}/files`, {
    json: { tenantId: 't1', fileIds: [picked] },
  });
  expect(registered.status).toBe(200);
  const before = (await row(connectionId, picked!))!;
  expect(before.deleted_at).toBeNull();

  // Renamed at Drive: a sync round (the changes feed) rewrites the row.
  h.sandbox.control.updateItem('google', account.id, 'drivefiles', picked!, { name: 'Renamed at Drive' });
  const sync = () =>
    api(`/v1/connections/${connectionId}/sync`, { json: { tenantId: 't1', resources: ['files'] } });
  expect((await sync()).status).toBe(202);
  await waitFor(async () => (await row(connectionId, picked!))!.content_hash !== before.content_hash, {
    what: 'the rename synced',
    timeoutMs: 60_000,
  });

  // Content streams from Drive; an unselected file is refused before Google.
  const content = await api(`/v1/connections/${connectionId}/files/${picked}/content?tenantId=t1`);
  expect(content.status).toBe(200);
  const body = Buffer.from(await content.arrayBuffer());
  expect(body.length).toBeGreaterThan(0);
  expect(body.length).toBe(Number(content.headers.get('content-length')));
  const refused = await api(`/v1/connections/${connectionId}/files/${other}/content?tenantId=t1`);
  expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([404, 'not_selected']);

  // Upload interrupted (Drive drops the first chunk's connection) and resumed.
  const bytes = Buffer.alloc(9 * 1024 * 1024, 3);
  h.sandbox.control.addFault({
    provider: 'google',
    route: 'drive.files.upload',
    action: { kind: 'drop' },
    next: 1,
  });
  const uploaded = await api(
    `/v1/connections/${connectionId}/files/upload?tenantId=t1&name=report.bin&mimeType=application/octet-stream`,
    {
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    },
  );
  expect(uploaded.status).toBe(201);
  const { file, resumes } = (await uploaded.json()) as {
    file: { id: string; size: number };
    resumes: number;
  };
  expect([file.size, resumes]).toEqual([bytes.length, 1]);

  // Shared with an address.
  const shared = await api(`/v1/connections/${connectionId}/files/${file.id}/permissions`, {
    json: { tenantId: 't1', emailAddress: 'partner@example.org' },
  });
  expect(shared.status).toBe(201);
  expect((files.get(file.id)!.data as GoogleDriveFileData).permissions).toEqual([
    expect.objectContaining({ emailAddress: 'partner@example.org', role: 'reader' }),
  ]);

  // Trashed at Drive: the next round removes the row and its content is refused from then on.
  h.sandbox.control.updateItem('google', account.id, 'drivefiles', picked!, { trashed: true });
  expect((await sync()).status).toBe(202);
  await waitFor(async () => (await row(connectionId, picked!))!.deleted_at !== null, {
    what: 'the trash synced',
    timeoutMs: 60_000,
  });
  expect((await api(`/v1/connections/${connectionId}/files/${picked}/content?tenantId=t1`)).status).toBe(404);
});
