import type { ServicePolicy } from '@crm-sync/config';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { startApp, T1_ONLY_SECRET, type AppHarness } from '../test/appHarness';
import { seedConnection } from '../test/seed';

let h: AppHarness;
let t1Connection: string;
let t2Connection: string;
let revoked: string;
beforeAll(async () => {
  h = await startApp({
    servicePolicies: new Map([
      [
        'crm-web',
        writer({
          contacts: ['create', 'update', 'delete'],
          events: ['create', 'update', 'delete'],
          objects: ['create', 'update', 'delete'],
        }),
      ],
      ['tenant-one', writer({ contacts: ['create'] })],
    ]),
  });
  t1Connection = await seedConnection(h.db.dataSource, { tenantId: 't1' });
  t2Connection = await seedConnection(h.db.dataSource, { tenantId: 't2' });
  revoked = await seedConnection(h.db.dataSource, { tenantId: 't1', status: 'revoked' });
});
afterAll(() => h.close());

/** A policy that grants these writes and no broker use. */
const writer = (writes: ServicePolicy['writes']): ServicePolicy => ({
  providers: [],
  purposes: [],
  scopes: [],
  rawTokens: false,
  proxyPaths: {},
  writes,
});
const writes = async () => Number((await h.db.dataSource.query(`SELECT count(*) AS n FROM writes`))[0].n);
const contact = { schemaVersion: 1, fields: { givenName: 'Ada', emails: ['ada@example.com'] } };
const send = (
  path: string,
  options: { method?: string; body?: unknown; key?: string | null; secret?: string; tenant?: string } = {},
) =>
  h.api(`/v1/connections/${path}?tenantId=${options.tenant ?? 't1'}`, {
    method: options.method ?? 'POST',
    ...(options.body === undefined ? {} : { json: options.body }),
    ...(options.secret ? { secret: options.secret } : {}),
    headers: options.key === null ? {} : { 'idempotency-key': options.key ?? 'key-1' },
  });

describe('write routes', () => {
  it('accepts a write with 202 and its id, the same again with the same id, another body under the key with 422', async () => {
    const first = await send(`${t1Connection}/contacts`, { body: contact, key: 'k-a' });
    expect(first.status).toBe(202);
    const { writeId } = (await first.json()) as { writeId: string };
    const again = await send(`${t1Connection}/contacts`, { body: contact, key: 'k-a' });
    expect(await again.json()).toEqual({ writeId });
    const other = await send(`${t1Connection}/contacts`, {
      body: { ...contact, fields: { givenName: 'Grace' } },
      key: 'k-a',
    });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused' });

    const view = await h.api(`/v1/writes/${writeId}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({
      id: writeId,
      connectionId: t1Connection,
      resource: 'contacts',
      op: 'create',
      status: 'pending',
    });
    // A service granted only t1 sees t1's write, not t2's.
    expect((await h.api(`/v1/writes/${writeId}`, { secret: T1_ONLY_SECRET })).status).toBe(200);
    const t2Write = await send(`${t2Connection}/contacts`, { body: contact, key: 'k-b', tenant: 't2' });
    const t2Id = ((await t2Write.json()) as { writeId: string }).writeId;
    expect((await h.api(`/v1/writes/${t2Id}`)).status).toBe(200);
    expect((await h.api(`/v1/writes/${t2Id}`, { secret: T1_ONLY_SECRET })).status).toBe(404);
    expect((await h.api(`/v1/writes/00000000-0000-4000-8000-000000000000`)).status).toBe(404);

    // Announced by id only, on connection-events, once.
    await h.relay();
    const job = await h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJobs(['waiting']);
    const announced = job.filter((j) => j.name === 'write.accepted' && j.data.writeId === writeId);
    expect(announced).toHaveLength(1);
    expect(JSON.stringify(announced[0]?.data)).not.toContain('Ada');
  });

  it('takes PATCH and DELETE on an item with the version the CRM saw', async () => {
    const item = `${t1Connection}/events/evt-1`;
    const patch = await send(item, {
      method: 'PATCH',
      key: 'k-patch',
      body: { schemaVersion: 1, baseVersion: '"3181"', fields: { title: 'Renamed' }, sendUpdates: 'all' },
    });
    expect(patch.status).toBe(202);
    const del = await send(item, {
      method: 'DELETE',
      key: 'k-del',
      body: { schemaVersion: 1, baseVersion: '"3182"' },
    });
    expect(del.status).toBe(202);
    const { writeId } = (await del.json()) as { writeId: string };
    const view = await (await h.api(`/v1/writes/${writeId}`)).json();
    expect(view).toMatchObject({ resource: 'events', op: 'delete', status: 'pending' });
  });

  it('takes CRM object writes under objects/{objectType}, each naming its type', async () => {
    const created = await send(`${t1Connection}/objects/deals`, {
      key: 'k-deal',
      body: { schemaVersion: 1, properties: { dealname: 'Renewal', amount: '1200', closedate: null } },
    });
    expect(created.status).toBe(202);
    // The same id in two types names two items.
    const patch = (type: string, key: string) =>
      send(`${t1Connection}/objects/${type}/101`, {
        method: 'PATCH',
        key,
        body: { schemaVersion: 1, baseVersion: '2026-12-03T10:00:00.000Z', properties: { name: 'Initech' } },
      });
    const ids = await Promise.all(
      [await patch('companies', 'k-co'), await patch('contacts', 'k-ct')].map(
        async (r) => ((await r.json()) as { writeId: string }).writeId,
      ),
    );
    const archive = await send(`${t1Connection}/objects/companies/101`, {
      method: 'DELETE',
      key: 'k-co-del',
      body: { schemaVersion: 1, baseVersion: '2026-12-03T10:00:00.000Z' },
    });
    expect(archive.status).toBe(202);
    const rows = (await h.db.dataSource.query(
      `SELECT resource, op, object_type, item_key FROM writes WHERE id = ANY($1) ORDER BY object_type`,
      [ids],
    )) as Array<Record<string, string>>;
    expect(rows).toEqual([
      { resource: 'objects', op: 'update', object_type: 'companies', item_key: 'companies.101' },
      { resource: 'objects', op: 'update', object_type: 'contacts', item_key: 'contacts.101' },
    ]);
    const view = await (await h.api(`/v1/writes/${ids[0]}`)).json();
    expect(view).toMatchObject({ resource: 'objects', op: 'update', status: 'pending' });
  });

  it('refuses invalid writes with 4xx and records nothing', async () => {
    const before = await writes();
    const cases: Array<[string, Parameters<typeof send>[1], number, string]> = [
      [`${t1Connection}/contacts`, { body: contact, key: null }, 400, 'invalid_request'],
      [`${t1Connection}/contacts`, { body: contact, key: 'has space' }, 400, 'invalid_request'],
      [
        `${t1Connection}/contacts`,
        { body: { schemaVersion: 2, fields: contact.fields } },
        400,
        'invalid_request',
      ],
      [`${t1Connection}/contacts`, { body: { schemaVersion: 1, fields: {} } }, 400, 'invalid_request'],
      [
        `${t1Connection}/contacts`,
        { body: { schemaVersion: 1, fields: { emails: ['not-an-address'] } } },
        400,
        'invalid_request',
      ],
      [`${t1Connection}/contacts`, { body: { ...contact, extra: true } }, 400, 'invalid_request'],
      [
        `${t1Connection}/events`,
        {
          body: {
            schemaVersion: 1,
            fields: {
              start: { dateTime: '2026-12-04T10:00:00Z' },
              end: { dateTime: '2026-12-04T09:00:00Z' },
            },
          },
        },
        400,
        'invalid_request',
      ],
      [`${t1Connection}/contacts/c1`, { method: 'PATCH', body: contact }, 400, 'invalid_request'],
      [
        `${t2Connection}/contacts`,
        { body: contact, secret: T1_ONLY_SECRET, tenant: 't2' },
        403,
        'forbidden_tenant',
      ],
      [
        `${t1Connection}/contacts/c1`,
        { method: 'DELETE', body: { schemaVersion: 1, baseVersion: 'v1' }, secret: T1_ONLY_SECRET },
        403,
        'forbidden_write',
      ],
      [
        `${t1Connection}/events`,
        {
          body: {
            schemaVersion: 1,
            fields: { title: 'x', start: { date: '2026-12-04' }, end: { date: '2026-12-05' } },
          },
          secret: T1_ONLY_SECRET,
        },
        403,
        'forbidden_write',
      ],
      [
        `${t1Connection}/objects/tickets`,
        { body: { schemaVersion: 1, properties: { subject: 'x' } } },
        400,
        'invalid_request',
      ],
      [
        `${t1Connection}/objects/deals`,
        { body: { schemaVersion: 1, properties: {} } },
        400,
        'invalid_request',
      ],
      [
        `${t1Connection}/objects/deals`,
        { body: { schemaVersion: 1, properties: { DealName: 'x' } } },
        400,
        'invalid_request',
      ],
      [
        `${t1Connection}/objects/deals`,
        { body: { schemaVersion: 1, properties: { amount: 1200 } } },
        400,
        'invalid_request',
      ],
      [
        `${t1Connection}/objects/deals`,
        { body: { schemaVersion: 1, fields: { title: 'x' } } },
        400,
        'invalid_request',
      ],
      [
        `${t1Connection}/objects/deals/7`,
        { method: 'PATCH', body: { schemaVersion: 1, properties: { dealname: 'x' } } },
        400,
        'invalid_request',
      ],
      [
        `${t1Connection}/objects/deals`,
        { body: { schemaVersion: 1, properties: { dealname: 'x' } }, secret: T1_ONLY_SECRET },
        403,
        'forbidden_write',
      ],
      [`${t2Connection}/contacts`, { body: contact }, 404, 'not_found'],
      [`${revoked}/contacts`, { body: contact }, 409, 'connection_inactive'],
    ];
    for (const [path, options, status, code] of cases) {
      const response = await send(path, options);
      expect({
        path,
        status: response.status,
        code: ((await response.json()) as { code: string }).code,
      }).toEqual({
        path,
        status,
        code,
      });
    }
    expect(await writes()).toBe(before);
  });
});
