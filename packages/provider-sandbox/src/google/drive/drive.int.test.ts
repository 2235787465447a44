import { type GaxiosError } from 'gaxios';
import { type drive_v3 } from 'googleapis';
import { request } from 'undici';
import { DEFAULT_CLIENT, type RunningSandbox } from '../../core/types';
import { startSandbox } from '../../start';
import { driveFiles } from './generate';
import { connectGoogle, DRIVE_FILE, sandboxGoogleApis } from '../../../test';

let sandbox: RunningSandbox;
let drive: drive_v3.Drive;
let accountId: string;
let token: string;
const ids: string[] = [];

const control = {
  update: (id: string, fields: Record<string, unknown>) =>
    sandbox.control.updateItem('google', accountId, 'drivefiles', id, fields),
};

beforeAll(async () => {
  sandbox = await startSandbox();
  accountId = sandbox.control.createAccount({
    provider: 'google',
    email: 'dd@example.com',
    sizes: { drivefiles: 6 },
  }).id;
  const account = sandbox.context.accounts.get('google', accountId)!;
  const files = sandbox.context.datasets.open(account, driveFiles).page({ limit: 6, order: 'asc' });
  ids.push(...files.items.map((item) => item.id));
  const { client, tokens } = await connectGoogle(sandbox, 'dd@example.com', ['openid', 'email', DRIVE_FILE]);
  token = tokens.access_token!;
  drive = sandboxGoogleApis(sandbox, client).drive;
  // The user picks files 0-2 (text and binary ones) for the app in the Picker.
  for (const id of ids.slice(0, 3))
    control.update(id, { openedWith: DEFAULT_CLIENT.clientId, mimeType: 'text/plain' });
});
afterAll(() => sandbox.close());

const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: GaxiosError) => ({
      status: e.response?.status,
      body: e.response?.data as {
        error: { message: string; errors: { reason: string; location?: string }[] };
      },
    }),
  );

test('drive.file: picked files are visible, others are 404 notFound exactly like a missing file', async () => {
  const { data } = await drive.files.get({ fileId: ids[0]! });
  expect(Object.keys(data).sort()).toEqual(['id', 'kind', 'mimeType', 'name']);
  const full = await drive.files.get({
    fileId: ids[0]!,
    fields: 'id,name,size,owners(emailAddress),trashed,modifiedTime,webViewLink',
  });
  expect(full.data.owners).toEqual([{ emailAddress: 'dd@example.com' }]);
  expect(Number(full.data.size)).toBeGreaterThan(0);
  const unpicked = await failure(drive.files.get({ fileId: ids[4]! }));
  expect(unpicked?.status).toBe(404);
  expect(unpicked?.body.error.message).toBe(`File not found: ${ids[4]}.`);
  expect(unpicked?.body.error.errors[0]).toMatchObject({ reason: 'notFound', location: 'fileId' });
  const listed = await drive.files.list({ pageSize: 2, q: 'trashed = false' });
  const more = await drive.files.list({
    pageSize: 2,
    q: 'trashed = false',
    pageToken: listed.data.nextPageToken!,
  });
  expect([...listed.data.files!, ...more.data.files!].map((f) => f.id)).toEqual(ids.slice(0, 3));
  expect((await failure(drive.files.list({ q: "name contains 'x'" })))?.status).toBe(400);
  expect((await failure(drive.files.get({ fileId: 'nope' })))?.body.error.errors[0]?.reason).toBe('notFound');
  expect((await failure(drive.files.get({ fileId: ids[0]!, fields: 'bogus' })))?.status).toBe(400);
});

test('alt=media serves the bytes, a Range as 206 with Content-Range, past the end 416', async () => {
  const url = `${sandbox.urls.google}/drive/v3/files/${ids[1]}?alt=media`;
  const auth = { authorization: `Bearer ${token}` };
  const whole = await request(url, { headers: auth });
  const bytes = Buffer.from(await whole.body.arrayBuffer());
  expect(whole.statusCode).toBe(200);
  expect(Number(whole.headers['content-length'])).toBe(bytes.length);
  const part = await request(url, { headers: { ...auth, range: 'bytes=10-99' } });
  expect(part.statusCode).toBe(206);
  expect(part.headers['content-range']).toBe(`bytes 10-99/${bytes.length}`);
  expect(Buffer.from(await part.body.arrayBuffer())).toEqual(bytes.subarray(10, 100));
  const tail = await request(url, { headers: { ...auth, range: 'bytes=-5' } });
  expect(Buffer.from(await tail.body.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 5));
  const past = await request(url, { headers: { ...auth, range: `bytes=${bytes.length}-` } });
  await past.body.dump();
  expect([past.statusCode, past.headers['content-range']]).toEqual([416, `bytes */${bytes.length}`]);
  const hidden = await request(`${sandbox.urls.google}/drive/v3/files/${ids[5]}?alt=media`, {
    headers: auth,
  });
  await hidden.body.dump();
  expect(hidden.statusCode).toBe(404);
});

test('changes: renames and trashing of visible files, removals when access is lost; nothing of unpicked files', async () => {
  const { data: start } = await drive.changes.getStartPageToken({});
  control.update(ids[0]!, { name: 'Renamed' });
  control.update(ids[1]!, { trashed: true });
  control.update(ids[2]!, { revokeApp: DEFAULT_CLIENT.clientId });
  control.update(ids[4]!, { name: 'Not picked' });
  const first = await drive.changes.list({ pageToken: start.startPageToken!, pageSize: 2, fields: '*' });
  expect(first.data.nextPageToken).toBeDefined();
  expect(first.data.newStartPageToken).toBeUndefined();
  const rest = await drive.changes.list({ pageToken: first.data.nextPageToken!, fields: '*' });
  const changes = [...first.data.changes!, ...rest.data.changes!];
  expect(changes.map((c) => [c.fileId, c.removed, c.file?.name, c.file?.trashed])).toEqual([
    [ids[0], false, 'Renamed', false],
    [ids[1], false, expect.any(String), true],
    [ids[2], true, undefined, undefined],
  ]);
  const after = await drive.changes.list({ pageToken: rest.data.newStartPageToken! });
  expect(after.data.changes).toEqual([]);
  const noRemoved = await drive.changes.list({ pageToken: start.startPageToken!, includeRemoved: false });
  expect(noRemoved.data.changes?.map((c) => c.fileId)).toEqual([ids[0], ids[1]]);
  const bad = await failure(drive.changes.list({ pageToken: '12345' }));
  expect([bad?.status, bad?.body.error.errors[0]]).toEqual([
    400,
    expect.objectContaining({ reason: 'invalid', location: 'pageToken' }),
  ]);
  // The client checks pageToken itself; the API's own answer, straight over HTTP:
  const none = await request(`${sandbox.urls.google}/drive/v3/changes`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect([
    none.statusCode,
    ((await none.body.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason,
  ]).toEqual([400, 'required']);
});

async function put(session: string, body: Buffer, contentRange: string) {
  const response = await request(session, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${token}`,
      'content-range': contentRange,
      'content-type': 'application/octet-stream',
    },
    body,
  });
  return { status: response.statusCode, range: response.headers.range, text: await response.body.text() };
}

test('resumable upload: 308 with Range per chunk, a dropped chunk leaves the range, a status query resumes it', async () => {
  const content = Buffer.alloc(600 * 1024, 7);
  const total = content.length;
  const init = await request(`${sandbox.urls.google}/upload/drive/v3/files?uploadType=resumable`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-upload-content-length': String(total),
    },
    body: JSON.stringify({ name: 'upload.bin', mimeType: 'application/octet-stream' }),
  });
  await init.body.dump();
  const session = String(init.headers.location);
  expect(init.statusCode).toBe(200);
  expect(await put(session, Buffer.alloc(0), `bytes */${total}`)).toMatchObject({
    status: 308,
    range: undefined,
  });
  const chunk = 256 * 1024;
  expect(await put(session, content.subarray(0, chunk), `bytes 0-${chunk - 1}/${total}`)).toMatchObject({
    status: 308,
    range: `bytes=0-${chunk - 1}`,
  });
  sandbox.control.addFault({ route: 'drive.files.upload', action: { kind: 'drop' }, next: 1 });
  await expect(
    put(session, content.subarray(chunk, 2 * chunk), `bytes ${chunk}-${2 * chunk - 1}/${total}`),
  ).rejects.toThrow();
  expect(await put(session, Buffer.alloc(0), `bytes */${total}`)).toMatchObject({
    status: 308,
    range: `bytes=0-${chunk - 1}`,
  });
  // Past the bytes received: refused in Drive's words (docs/providers/google.md#drive-uploads-and-sharing).
  const early = await put(session, content.subarray(2 * chunk), `bytes ${2 * chunk}-${total - 1}/${total}`);
  expect([early.status, (JSON.parse(early.text) as { error: { message: string } }).error.message]).toEqual([
    400,
    `Invalid request.  According to the Content-Range header, the upload offset is ${2 * chunk} byte(s), which exceeds already uploaded size of ${chunk} byte(s).`,
  ]);
  expect(
    (await put(session, content.subarray(chunk, 2 * chunk), `bytes ${chunk}-${2 * chunk - 1}/${total}`))
      .status,
  ).toBe(308);
  const done = await put(session, content.subarray(2 * chunk), `bytes ${2 * chunk}-${total - 1}/${total}`);
  expect(done.status).toBe(200);
  const file = JSON.parse(done.text) as { id: string; name: string };
  expect(file.name).toBe('upload.bin');
  // Created by the app: visible under drive.file, with the bytes sent.
  const { data } = await drive.files.get({ fileId: file.id, alt: 'media' }, { responseType: 'arraybuffer' });
  expect(Buffer.from(data as ArrayBuffer)).toEqual(content);
  const unknown = await put(
    `${sandbox.urls.google}/upload/drive/v3/files?uploadType=resumable&upload_id=nope`,
    Buffer.alloc(0),
    'bytes */1',
  );
  expect(unknown.status).toBe(404);
});

test('permissions.create shares a visible file; a user permission needs emailAddress; unpicked files are 404', async () => {
  const { data } = await drive.permissions.create({
    fileId: ids[0]!,
    requestBody: { role: 'reader', type: 'user', emailAddress: 'x@example.org' },
  });
  expect(data).toMatchObject({
    kind: 'drive#permission',
    role: 'reader',
    type: 'user',
    emailAddress: 'x@example.org',
  });
  const { data: file } = await drive.files.get({ fileId: ids[0]!, fields: 'permissions(emailAddress,role)' });
  expect(file.permissions).toEqual([{ emailAddress: 'x@example.org', role: 'reader' }]);
  const missing = await failure(
    drive.permissions.create({ fileId: ids[0]!, requestBody: { role: 'reader', type: 'user' } }),
  );
  expect(missing?.body.error.errors[0]?.reason).toBe('required');
  expect(
    (
      await failure(
        drive.permissions.create({ fileId: ids[4]!, requestBody: { role: 'reader', type: 'anyone' } }),
      )
    )?.status,
  ).toBe(404);
});
