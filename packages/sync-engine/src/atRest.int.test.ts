import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createConnectionsHarness,
  openRows,
  type ConnectionsHarness,
  type OpenedRow,
} from '@crm-sync/connections/testing';
import type { CrmTableName, Provider, Resource } from '@crm-sync/core';
import { SealedRowError } from '@crm-sync/vault';
import { connectSandboxAccount, engineDeps, sandboxData, SYNC_CASES, syncUntilCaughtUp } from '../test';
import { normalizeAddress } from './records/participants';

// Encryption at rest (issue 19, docs/encryption-at-rest.md): after a sync of every provider, a pg_dump of the
// database holds none of the synced subjects, bodies, addresses or notes; a sealed value only opens in its own
// row of its own connection; the blind index finds exactly the rows with an address.

const run = promisify(execFile);
const TENANT = 't-atrest';
const SIZES = { messages: 12, events: 12, contacts: 12, companies: 12, deals: 12, tasks: 12 };
const RESOURCES: Record<Provider, Resource[]> = {
  google: ['mail', 'calendar', 'contacts', 'tasks'],
  microsoft: ['mail', 'calendar', 'contacts', 'tasks'],
  hubspot: ['contacts', 'companies', 'deals'],
};
const TABLES: CrmTableName[] = ['emails', 'calendar_events', 'contacts', 'crm_objects'];

/**
 * The sandbox fields that carry what a user wrote or who they wrote to (the provider payloads' names, at any
 * depth): subjects, bodies and previews, titles, descriptions, places, names, addresses, phones, notes, HubSpot's
 * properties of that kind. Ids, dates, labels and states are left out: they stay plain by design.
 */
const CONTENT_KEYS = new Set([
  'subject',
  'body',
  'content',
  'bodyPreview',
  'summary',
  'description',
  'location',
  'displayName',
  'from',
  'to',
  'attendees',
  'name',
  'address',
  'givenName',
  'familyName',
  'surname',
  'email',
  'phone',
  'mobilePhone',
  'businessPhones',
  'organization',
  'companyName',
  'jobTitle',
  'personalNotes',
  'firstname',
  'lastname',
  'dealname',
  'domain',
  'city',
  // Tasks: Google's notes; Microsoft To Do's body (`content`, above). Titles are `title` at both.
  'title',
  'notes',
]);

/**
 * The literal pieces of a content value to look for: its lines and the text between HTML tags, trimmed. Short
 * pieces could match anything in a dump; pieces with characters COPY or JSON escape would not match as written.
 */
function pieces(value: string): string[] {
  const addresses = value.match(/[^\s<>"',;]+@[^\s<>"',;]+/g) ?? [];
  return [...value.split(/[\r\n]+|<[^>]*>/), ...addresses]
    .map((p) => p.trim())
    .filter((p) => p.length >= 8 && !/[\\"\t\u0000-\u001f]/.test(p));
}

function contentOf(value: unknown, key: string | undefined, out: Set<string>): void {
  if (typeof value === 'string') {
    if (key !== undefined && CONTENT_KEYS.has(key)) for (const p of pieces(value)) out.add(p);
  } else if (Array.isArray(value)) {
    for (const v of value) contentOf(v, key, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) contentOf(v, k, out);
  }
}

let h: ConnectionsHarness;
const connections = new Map<Provider, { connectionId: string; accountId: string }>();
let baseline: string;

const dump = async () =>
  (await run('pg_dump', ['--no-owner', '--dbname', h.db.url], { maxBuffer: 256 << 20 })).stdout;

beforeAll(async () => {
  h = await createConnectionsHarness();
  for (const provider of ['google', 'microsoft', 'hubspot'] as const) {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider,
      email: `atrest-${provider}@example.com`,
      sizes: SIZES,
      resources: RESOURCES[provider],
      tenantId: TENANT,
    });
    connections.set(provider, { connectionId, accountId: account.id });
  }
  // What the dump holds before any sync (the connections' own account addresses, for one) is not synced content.
  baseline = await dump();
  const deps = engineDeps(h);
  for (const [provider, { connectionId }] of connections)
    for (const resource of RESOURCES[provider]) await syncUntilCaughtUp(deps, connectionId, resource);
}, 120_000);
afterAll(() => h.close());

const connectionOf = (provider: Provider) => connections.get(provider)!.connectionId;

/** Every synced row of the tenant, opened. */
async function opened(table: CrmTableName): Promise<OpenedRow[]> {
  return openRows(h.db.dataSource, h.deps.content, table, 'connection_id = ANY($1::uuid[])', [
    [...connections.values()].map((c) => c.connectionId),
  ]);
}

test('a pg_dump after the sync holds none of the seeded subjects, bodies, addresses or notes', async () => {
  const seeded = new Set<string>();
  for (const c of SYNC_CASES) {
    const account = connections.get(c.provider)!;
    if (!RESOURCES[c.provider].includes(c.resource)) continue;
    for (const data of sandboxData(h, c, account.accountId)) contentOf(data, undefined, seeded);
  }
  // Message-IDs are sealed too (migration 1765000000181), so nothing seeded is exempt.
  const wanted = [...seeded].filter((p) => !baseline.includes(p));
  // Enough of every kind to mean something: subjects, body lines, addresses and names of all three providers.
  expect(wanted.length).toBeGreaterThan(150);
  const all = wanted.join('\n');
  for (const sample of ['Re: ', 'about ', '@example.', 'Agenda: ', 'Agenda item', '+1 '])
    expect(all).toContain(sample);

  // The rows are there (sealed) and open to what was seeded: the search below is over a dump of synced data.
  for (const table of [...TABLES, 'tasks'] as const) expect((await opened(table)).length).toBeGreaterThan(0);
  const mail = await opened('emails');
  expect(mail.some((r) => wanted.includes(String(r.subject)))).toBe(true);
  expect((await opened('tasks')).some((r) => wanted.includes(String(r.title)))).toBe(true);
  expect(mail.some((r) => typeof r.message_id === 'string' && r.message_id.length > 0)).toBe(true);

  const after = await dump();
  expect(after).toContain(connectionOf('google'));
  expect(wanted.filter((p) => after.includes(p))).toEqual([]);
  // The threading ids (sealed since migration 1765000000181) are not in the dump either.
  const threadIds = mail
    .flatMap((r) => [r.message_id, r.in_reply_to, ...((r.reference_ids as string[] | null) ?? [])])
    .filter((id): id is string => typeof id === 'string' && id.length >= 8);
  expect(threadIds.length).toBeGreaterThan(10);
  expect(threadIds.filter((id) => after.includes(id))).toEqual([]);

  // The search does find plain text: one subject written back in the clear shows up in the next dump.
  const [row] = mail;
  await h.db.dataSource.query(`UPDATE emails SET subject = $1 WHERE id = $2`, [row!.subject, row!.id]);
  try {
    const leaked = await dump();
    expect(wanted.filter((p) => leaked.includes(p))).toContain(row!.subject);
  } finally {
    await h.db.dataSource.query(`UPDATE emails SET subject = NULL WHERE id = $1`, [row!.id]);
  }
}, 60_000);

describe('a sealed value opens only in its own row of its own connection', () => {
  /** Two live rows of a provider's emails, by id, with their sealed values. */
  async function twoEmails(provider: Provider) {
    return h.db.dataSource.query<{ id: string; external_id: string; sealed: Buffer }[]>(
      `SELECT id, external_id, sealed FROM emails WHERE connection_id = $1 ORDER BY id LIMIT 2`,
      [connectionOf(provider)],
    );
  }
  const openOne = (id: string) => openRows(h.db.dataSource, h.deps.content, 'emails', 'id = $1', [id]);

  /** Writes `sealed` into row `id` for the duration of `check`, then puts the row's own value back. */
  async function withSealed(id: string, sealed: Buffer, check: () => Promise<void>) {
    const [{ original }] = await h.db.dataSource.query<{ original: Buffer }[]>(
      `SELECT sealed AS original FROM emails WHERE id = $1`,
      [id],
    );
    await h.db.dataSource.query(`UPDATE emails SET sealed = $1 WHERE id = $2`, [sealed, id]);
    try {
      await check();
    } finally {
      await h.db.dataSource.query(`UPDATE emails SET sealed = $1 WHERE id = $2`, [original, id]);
    }
    expect(await openOne(id)).toHaveLength(1);
  }

  it('refuses a tampered value', async () => {
    const [a] = await twoEmails('google');
    const tampered = Buffer.from(a!.sealed);
    tampered[tampered.length - 1]! ^= 0x01;
    await withSealed(a!.id, tampered, () => expect(openOne(a!.id)).rejects.toThrow(SealedRowError));
  });

  it('refuses a value moved to another row of the same connection', async () => {
    const [a, b] = await twoEmails('google');
    await withSealed(b!.id, a!.sealed, () => expect(openOne(b!.id)).rejects.toThrow(SealedRowError));
  });

  it("refuses a value copied to another connection's row", async () => {
    const [a] = await twoEmails('google');
    const [m] = await twoEmails('microsoft');
    await withSealed(m!.id, a!.sealed, () => expect(openOne(m!.id)).rejects.toThrow(SealedRowError));
  });
});

/** The normalised addresses an opened row names, by table (what the engine computes terms of). */
function addressesOf(table: CrmTableName, row: OpenedRow): string[] {
  const raw: unknown[] =
    table === 'emails'
      ? [row.from_address, row.to_addresses, row.cc_addresses, row.bcc_addresses]
      : table === 'calendar_events'
        ? [row.organizer, ((row.attendees as { email?: unknown }[]) ?? []).map((a) => a.email)]
        : table === 'contacts'
          ? [row.emails]
          : Object.values(row.properties as Record<string, unknown>);
  return raw
    .flat()
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(';'))
    .map(normalizeAddress)
    .filter((a): a is string => a !== null);
}

test('a blind index lookup finds exactly the rows that name an address, and only for its tenant', async () => {
  const rows = new Map<CrmTableName, OpenedRow[]>();
  for (const table of TABLES) rows.set(table, await opened(table));
  // An address on several rows, as the CRM would ask about a contact it knows.
  const counts = new Map<string, number>();
  for (const [table, list] of rows)
    for (const row of list)
      for (const a of new Set(addressesOf(table, row))) counts.set(a, (counts.get(a) ?? 0) + 1);
  const ownAddresses = [...connections.keys()].map((p) => `atrest-${p}@example.com`);
  const [address] = [...counts].filter(([a]) => !ownAddresses.includes(a)).sort((x, y) => y[1] - x[1])[0]!;
  expect(counts.get(address)).toBeGreaterThan(1);

  /** The tenant's live rows whose blind index holds the address's terms as `termsOf` derives them. */
  const lookup = async (termsOf: string) => {
    const found: string[] = [];
    const terms = h.deps.content.indexKeys.lookupTerms('address', termsOf, address);
    for (const table of TABLES) {
      const hits = await h.db.dataSource.query<{ key: string }[]>(
        `SELECT t.external_id AS key FROM ${table} t JOIN connections c ON c.id = t.connection_id
          WHERE c.tenant_id = $1 AND t.blind_index && $2::bytea[] AND t.deleted_at IS NULL`,
        [TENANT, terms],
      );
      found.push(...hits.map((r) => `${table}:${r.key}`));
    }
    return found.sort();
  };
  const expected = [...rows]
    .flatMap(([table, list]) =>
      list
        .filter((r) => r.deleted_at === null && addressesOf(table, r).includes(address))
        .map((r) => `${table}:${String(r.external_id)}`),
    )
    .sort();
  expect(await lookup(TENANT)).toEqual(expected);
  // Upper case, as a sender might write it, is the same person.
  const upper = h.deps.content.indexKeys.lookupTerms(
    'address',
    TENANT,
    normalizeAddress(address.toUpperCase())!,
  );
  expect(upper).toEqual(h.deps.content.indexKeys.lookupTerms('address', TENANT, address));
  // The same address's terms under another tenant's key match none of this tenant's rows.
  expect(await lookup('t-other')).toEqual([]);
});
