import {
  contact,
  email,
  event,
  horizonPassed,
  insertConnection,
  writeSealed,
} from '@crm-sync/reader/testing';
import { startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';

// The read API (docs/read-api.md): @crm-sync/reader over HTTP, service-authenticated and tenant-bound like the
// other service routes, zod-validated queries, problem documents, never cached.

let h: AppHarness;
let mine: string;
let theirs: string;

beforeAll(async () => {
  h = await startApp();
  const db = h.db.dataSource;
  mine = await insertConnection(db, 't1', 'api');
  theirs = await insertConnection(db, 't2', 'api');
  const owner = { connectionId: mine, tenantId: 't1' };
  await writeSealed(db, h.deps.content, owner, 'emails', [
    email('m1', { fromAddress: 'carol@example.com' }),
    email('m2'),
    email('m3', { subject: 'Third' }),
  ]);
  await writeSealed(db, h.deps.content, owner, 'calendar_events', [event('e1')]);
  await writeSealed(db, h.deps.content, owner, 'contacts', [contact('c1')]);
  await writeSealed(db, h.deps.content, { connectionId: theirs, tenantId: 't2' }, 'contacts', [contact('x')]);
  // Reads serve rows below the oldest running transaction; other suites on this server may hold it back a moment.
  await horizonPassed(db);
});
afterAll(() => h.close());

/** A page as the API answers it. */
interface Page {
  items: Array<{ deleted: boolean; externalId: string; record: Record<string, unknown> }>;
  nextCursor: string;
  hasMore: boolean;
}

const get = (path: string, secret?: string) => h.api(path, secret === undefined ? {} : { secret });

it('serves decrypted records in pages, with no-store and times as RFC 3339', async () => {
  const first = await get(`/v1/connections/${mine}/emails?tenantId=t1&limit=2`);
  expect(first.status).toBe(200);
  expect(first.headers.get('cache-control')).toBe('no-store');
  const page = (await first.json()) as Page;
  expect(page.hasMore).toBe(true);
  expect(page.items[0]).toMatchObject({
    deleted: false,
    externalId: 'm1',
    record: { fromAddress: 'carol@example.com', subject: 'Subject m1', sentAt: '2026-11-01T10:00:00.000Z' },
  });
  const next = await get(`/v1/connections/${mine}/emails?tenantId=t1&cursor=${page.nextCursor}`);
  const rest = (await next.json()) as Page;
  expect(rest.items.map((i) => i.record.subject)).toEqual(['Third']);
  expect(rest.hasMore).toBe(false);
  const events = (await (await get(`/v1/connections/${mine}/events?tenantId=t1`)).json()) as Page;
  expect(events.items[0]!.record).toMatchObject({
    title: 'Meeting e1',
    startsAt: '2026-11-02T09:00:00.000Z',
  });
});

it('filters by address and time range', async () => {
  const byAddress = await get(`/v1/connections/${mine}/emails?tenantId=t1&address=Carol%40Example.com`);
  expect(
    ((await byAddress.json()) as { items: Array<{ externalId: string }> }).items.map((i) => i.externalId),
  ).toEqual(['m1']);
  const later = await get(`/v1/connections/${mine}/emails?tenantId=t1&from=2026-12-01T00:00:00Z`);
  expect(((await later.json()) as { items: unknown[] }).items).toEqual([]);
});

it('is tenant-bound: another tenant, a service without the grant, no token', async () => {
  const other = await get(`/v1/connections/${theirs}/contacts?tenantId=t1`);
  expect(other.status).toBe(404);
  expect(other.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  expect(await other.json()).toMatchObject({ code: 'not_found' });
  expect((await get(`/v1/connections/${theirs}/contacts?tenantId=t2`, T1_ONLY_SECRET)).status).toBe(403);
  expect((await get(`/v1/connections/${mine}/contacts?tenantId=t1`, T1_ONLY_SECRET)).status).toBe(200);
  expect((await h.api(`/v1/connections/${mine}/contacts?tenantId=t1`, { secret: null })).status).toBe(401);
});

it.each([
  ['an unknown parameter', 'emails?tenantId=t1&secret=1', 'invalid_request'],
  ['a limit over 1000', 'emails?tenantId=t1&limit=1001', 'invalid_request'],
  ['a time without its offset', 'emails?tenantId=t1&from=2026-01-01T00:00:00', 'invalid_request'],
  ['a cursor of another kind', 'contacts?tenantId=t1&cursor=CURSOR', 'invalid_cursor'],
  ['an address filter on tasks', 'tasks?tenantId=t1&address=a%40example.com', 'invalid_filter'],
  ['a time range on contacts', 'contacts?tenantId=t1&from=2026-01-01T00:00:00Z', 'invalid_filter'],
])('answers 400 for %s', async (_name, path, code) => {
  const page = (await (await get(`/v1/connections/${mine}/emails?tenantId=t1&limit=1`)).json()) as {
    nextCursor: string;
  };
  const response = await get(`/v1/connections/${mine}/${path.replace('CURSOR', page.nextCursor)}`);
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ code });
});

it('answers 410 once the connection was shredded; other connections read on', async () => {
  await h.deps.content.dataKeys.shred(h.db.dataSource, [mine]);
  const response = await get(`/v1/connections/${mine}/contacts?tenantId=t1`);
  expect(response.status).toBe(410);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toMatchObject({ code: 'content_shredded' });
  expect((await get(`/v1/connections/${theirs}/contacts?tenantId=t2`)).status).toBe(200);
});
