import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT, type GoogleDriveFileData } from '@crm-sync/provider-sandbox';
import { waitFor } from '@crm-sync/testing';
import { startApp, type AppHarness } from '../test/appHarness';

// Drive upload and share (issue 23) when Google refuses the connection's access token (401, expired at the
// sandbox): the token is refreshed once through the one refresh path and the refused request sent again, as the
// proxy and the sync do.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp({});
});
afterAll(() => h.close());

const CHUNK = 8 * 1024 * 1024;

/** The sandbox's answers to Drive calls of the account, by route and status. */
const driveAnswers = (accountId: string) =>
  h.sandbox.control
    .counters()
    .filter((c) => c.accountId === accountId && c.route.startsWith('drive.'))
    .map((c) => `${c.route} ${c.status} ×${c.count}`)
    .sort();

it('an upload whose token expires before it starts and again between chunks refreshes and goes on; so does a share', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'drive-refresh@example.com',
    sizes: { drivefiles: 1 },
    resources: ['files'],
  });
  const content = Buffer.alloc(CHUNK + 4096);
  for (let i = 0; i < content.length; i += 4096) content.writeUInt32LE(i, i);
  h.sandbox.control.resetCounters();

  // Expired before the upload starts: the session's POST is refused, then sent again with a fresh token. The body
  // is streamed: its second part goes only after Drive took the first chunk, and the token expires in between.
  expect(h.sandbox.control.expireTokens('google', account.id)).toBe(1);
  let second!: () => void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(content.subarray(0, CHUNK));
      second = () => {
        controller.enqueue(content.subarray(CHUNK));
        controller.close();
      };
    },
  });
  const uploading = h.api(
    `/v1/connections/${connectionId}/files/upload?tenantId=t1&name=refreshed.bin&mimeType=application/octet-stream`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(content.length) },
      body,
      duplex: 'half',
    } as RequestInit,
  );
  await waitFor(() => driveAnswers(account.id).includes('drive.files.upload 308 ×1'), {
    what: 'Drive to take the first chunk',
  });
  expect(h.sandbox.control.expireTokens('google', account.id)).toBe(1);
  second();
  const uploaded = await uploading;
  expect(uploaded.status).toBe(201);
  const { file, resumes } = (await uploaded.json()) as {
    file: { id: string; size: number };
    resumes: number;
  };
  expect([file.size, resumes]).toEqual([content.length, 0]);
  const files = h.sandbox.context.datasets.open(
    account,
    h.sandbox.context.datasets.generator('google', 'drivefiles')!,
  );
  expect((files.get(file.id)!.data as GoogleDriveFileData).apps).toEqual([DEFAULT_CLIENT.clientId]);
  expect(driveAnswers(account.id)).toEqual([
    'drive.files.create 200 ×1',
    'drive.files.create 401 ×1',
    'drive.files.get 200 ×1',
    'drive.files.upload 200 ×1',
    'drive.files.upload 308 ×1',
    'drive.files.upload 401 ×1',
  ]);
  const back = await h.api(`/v1/connections/${connectionId}/files/${file.id}/content?tenantId=t1`);
  expect(Buffer.from(await back.arrayBuffer()).equals(content)).toBe(true);

  // Share with an expired token: refused once, refreshed, shared.
  h.sandbox.control.resetCounters();
  expect(h.sandbox.control.expireTokens('google', account.id)).toBe(1);
  const shared = await h.api(`/v1/connections/${connectionId}/files/${file.id}/permissions`, {
    method: 'POST',
    json: { tenantId: 't1', emailAddress: 'partner@example.org' },
  });
  expect(shared.status).toBe(201);
  expect((files.get(file.id)!.data as GoogleDriveFileData).permissions).toEqual([
    expect.objectContaining({ emailAddress: 'partner@example.org', role: 'reader' }),
  ]);
  expect(driveAnswers(account.id)).toEqual([
    'drive.permissions.create 200 ×1',
    'drive.permissions.create 401 ×1',
  ]);
});

it('a grant revoked at Google ends the upload at its first refusal: the refresh is refused too, nothing retried', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'drive-revoked@example.com',
    sizes: { drivefiles: 1 },
    resources: ['files'],
  });
  // Revoked at Google: the refresh itself is refused, so the upload ends with the connection's state.
  h.sandbox.control.revokeTokens('google', account.id);
  h.sandbox.control.resetCounters();
  const uploaded = await h.api(
    `/v1/connections/${connectionId}/files/upload?tenantId=t1&name=x.bin&mimeType=application/octet-stream`,
    { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(10) },
  );
  expect(uploaded.status).toBe(409);
  expect(((await uploaded.json()) as { code: string }).code).toBe('connection_inactive');
  expect(driveAnswers(account.id)).toEqual(['drive.files.create 401 ×1']);
});

it('content: an expired token is refreshed and the download sent again; a Drive 503 is 502 provider_unavailable', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'drive-content-refresh@example.com',
    sizes: { drivefiles: 1 },
    resources: ['files'],
  });
  const files = h.sandbox.context.datasets.open(
    account,
    h.sandbox.context.datasets.generator('google', 'drivefiles')!,
  );
  const fileId = files.page({ limit: 1, order: 'asc' }).items[0]!.id;
  h.sandbox.control.updateItem('google', account.id, 'drivefiles', fileId, {
    openedWith: DEFAULT_CLIENT.clientId,
    mimeType: 'application/octet-stream',
    size: 70_000,
  });
  const registered = await h.api(`/v1/connections/${connectionId}/files`, {
    method: 'POST',
    json: { tenantId: 't1', fileIds: [fileId] },
  });
  expect(registered.status).toBe(200);
  const content = () => h.api(`/v1/connections/${connectionId}/files/${fileId}/content?tenantId=t1`);

  h.sandbox.control.resetCounters();
  expect(h.sandbox.control.expireTokens('google', account.id)).toBe(1);
  const refreshed = await content();
  expect(refreshed.status).toBe(200);
  expect((await refreshed.arrayBuffer()).byteLength).toBe(70_000);
  expect(driveAnswers(account.id)).toEqual(['drive.files.get 200 ×1', 'drive.files.get 401 ×1']);

  h.sandbox.control.addFault({
    provider: 'google',
    route: 'drive.files.get',
    action: { kind: 'status', status: 503 },
    next: 1,
  });
  const failed = await content();
  expect([failed.status, ((await failed.json()) as { code: string }).code]).toEqual([
    502,
    'provider_unavailable',
  ]);
});
