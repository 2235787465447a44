import {
  AUDIT_EVENT_TYPES,
  CONNECTION_STATUSES,
  PARTICIPANT_ROLES,
  PROVIDERS,
  SYNC_MODES,
  TASK_STATUSES,
} from '@crm-sync/core';
import { createTestDatabase, type TestDatabase } from '@crm-sync/db/testing';
import { SYNC_STATUSES } from '../types';
import { MIGRATIONS } from '.';

/** Tables of the deletion requests migration (1765000000040), left out where an older state is checked. */
const DELETION_TABLES = ['deletion_requests', 'tenant_settings'];
const withoutDeletion = (tables: string[]) => tables.filter((t) => !DELETION_TABLES.includes(t));

/** The tables each migration after the initial schema creates, by its timestamp. */
const CREATED_BY: Array<[timestamp: number, tables: string[]]> = [
  [1765000000000, ['sync_quarantine']],
  [1765000000003, ['email_attachments']],
  [1765000000004, ['crm_associations']],
  [1765000000010, ['participants']],
  [1765000000040, DELETION_TABLES],
  [1765000000070, ['outbox']],
  [1765000000071, ['expiry_warnings']],
  [1765000000100, ['data_keys']],
  [1765000000130, ['notice_replays']],
  [1765000000170, ['tasks']],
  [1765000000190, ['drive_files']],
  [1765000000200, ['writes']],
  [1765000000210, ['push_channels']],
];

/** The tables that exist once `downThrough(name)` has reverted `name` and every migration after it. */
function tablesBefore(name: string): string[] {
  const reverted = Number(/\d+$/.exec(name)![0]);
  const gone = CREATED_BY.filter(([at]) => at >= reverted).flatMap(([, created]) => created);
  return TABLES.filter((t) => !gone.includes(t));
}

const TABLES = [
  'audit_events',
  'calendar_events',
  'connections',
  'contacts',
  'credentials',
  'crm_associations',
  'crm_objects',
  'data_keys',
  'deletion_requests',
  'drive_files',
  'email_attachments',
  'emails',
  'expiry_warnings',
  'notice_replays',
  'outbox',
  'participants',
  'push_channels',
  'sync_quarantine',
  'sync_states',
  'tasks',
  'tenant_settings',
  'writes',
];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(() => db.drop());

const query = <T>(sql: string, params: unknown[] = []) => db.dataSource.query<T[]>(sql, params);

const tables = async () =>
  (
    await query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'typeorm_migrations' ORDER BY 1`,
    )
  ).map((r) => r.name);

/** Constraint definitions as Postgres prints them, by name. */
async function constraints(type: 'u' | 'c' | 'f' | 'p'): Promise<Record<string, string>> {
  const rows = await query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE contype = $1 AND connamespace = 'public'::regnamespace`,
    [type],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.def]));
}

async function indexes(): Promise<Record<string, string>> {
  const rows = await query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations'`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.def]));
}

/** The quoted values of a CHECK (x IN (...)) as Postgres normalises it. */
const checkValues = (def: string | undefined) =>
  [...(def ?? '').matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]);

/** Reverts migrations, newest first, until `name` has been reverted (later ones go first, as they must). */
async function downThrough(name: string): Promise<void> {
  for (;;) {
    const [last] = await query<{ name: string }>(
      `SELECT name FROM typeorm_migrations ORDER BY timestamp DESC, id DESC LIMIT 1`,
    );
    if (!last) throw new Error(`${name} is not applied`);
    await db.dataSource.undoLastMigration();
    if (last.name === name) return;
  }
}

describe('migrations', () => {
  it('up creates every table with its keys, indexes and checks', async () => {
    const applied = await db.dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables()).toEqual(TABLES);

    const unique = await constraints('u');
    for (const table of ['emails', 'calendar_events', 'contacts']) {
      expect(unique[`${table}_external_key`]).toBe('UNIQUE (connection_id, external_id)');
    }
    expect(unique.crm_objects_external_key).toBe('UNIQUE (connection_id, object_type, external_id)');
    const primary = await constraints('p');
    expect(primary.sync_states_pkey).toBe('PRIMARY KEY (connection_id, resource)');
    expect(primary.email_attachments_key).toBe(
      'PRIMARY KEY (connection_id, email_external_id, attachment_id)',
    );
    expect(idxOf(await indexes(), 'emails_connection_message_id_idx')).toMatch(
      /\(connection_id, message_id\)$/,
    );

    const idx = await indexes();
    expect(idx.connections_live_account_key).toMatch(
      /UNIQUE INDEX .* \(provider, provider_account_id\) WHERE \(status <> 'disconnected'::text\)$/,
    );
    expect(idx.connections_tenant_user_idx).toMatch(/\(tenant_id, crm_user_id\)$/);
    expect(idx.connections_status_idx).toMatch(/\(status\)$/);
    expect(idx.connections_provider_mailbox_idx).toMatch(
      /\(provider, lower\(email\)\) WHERE \(status <> 'disconnected'::text\)$/,
    );
    expect(idx.credentials_expires_at_idx).toMatch(/\(expires_at\)$/);
    expect(idx.sync_states_due_idx).toMatch(/\(next_sync_at\) WHERE enabled$/);
    expect(idx.emails_connection_sent_at_idx).toMatch(/\(connection_id, sent_at DESC\)$/);
    expect(idx.audit_events_connection_created_idx).toMatch(/\(connection_id, created_at\)$/);
  });

  it('checks the same value lists the code uses', async () => {
    const checks = await constraints('c');
    expect(checkValues(checks.connections_provider_check)).toEqual([...PROVIDERS]);
    expect(checkValues(checks.connections_status_check)).toEqual([...CONNECTION_STATUSES]);
    expect(checkValues(checks.sync_states_mode_check)).toEqual([...SYNC_MODES]);
    expect(checkValues(checks.sync_states_status_check)).toEqual([...SYNC_STATUSES]);
    expect(checkValues(checks.audit_events_type_check)).toEqual([...AUDIT_EVENT_TYPES]);
    expect(checkValues(checks.tasks_status_check)).toEqual([...TASK_STATUSES]);
  });

  it('cascades from connections, except audit events, which outlive them; attachments go with their email', async () => {
    const foreign = await constraints('f');
    expect(foreign.email_attachments_email_fkey).toBe(
      'FOREIGN KEY (connection_id, email_external_id) REFERENCES emails(connection_id, external_id) ON DELETE CASCADE',
    );
    // crm_associations also hangs off crm_objects (checked in its own test below).
    const byTable = Object.entries(foreign)
      .filter(([name]) => name.endsWith('_connection_id_fkey'))
      .map(([name, def]) => [name.split('_connection_id')[0], def]);
    for (const [table, def] of byTable) {
      const action = table === 'audit_events' ? 'ON DELETE SET NULL' : 'ON DELETE CASCADE';
      expect(`${table}: ${def}`).toBe(
        `${table}: FOREIGN KEY (connection_id) REFERENCES connections(id) ${action}`,
      );
    }
    // The outbox holds events, some about no connection and some outliving theirs; notice replay keys name a
    // delivery, not a connection: no key to connections.
    expect(byTable.map(([table]) => table).sort()).toEqual(
      withoutDeletion(TABLES).filter(
        (t) => !['connections', 'email_attachments', 'notice_replays', 'outbox'].includes(t),
      ),
    );
  });

  it('round sweep: down removes its table and columns only, up restores them', async () => {
    const sweepColumns = () =>
      query<{ name: string }>(
        `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
          WHERE column_name IN ('seen_round', 'round_generation', 'full_round_at', 'round_pages')
            AND table_name IN ('calendar_events', 'contacts', 'crm_objects', 'emails', 'sync_states') ORDER BY 1`,
      );
    const added = [
      'calendar_events.seen_round',
      'contacts.seen_round',
      'crm_objects.seen_round',
      'emails.seen_round',
      'sync_states.full_round_at',
      'sync_states.round_generation',
      'sync_states.round_pages',
    ];
    expect((await sweepColumns()).map((r) => r.name)).toEqual(added);
    expect((await constraints('u')).sync_quarantine_item_key).toBe(
      'UNIQUE (connection_id, resource, external_id)',
    );
    // The migrations after it are taken down first, and all come back.
    await downThrough('RoundSweep1765000000000');
    expect(await sweepColumns()).toEqual([]);
    expect(await tables()).toEqual(tablesBefore('RoundSweep1765000000000'));
    await db.dataSource.runMigrations();
    expect((await sweepColumns()).map((r) => r.name)).toEqual(added);
  });

  it('one live connection per provider account, in any tenant; a disconnected one releases it', async () => {
    const insert = (tenant: string, user: string, status = 'active') =>
      query(
        `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
         VALUES ($1, $2, 'google', 'acct-owner', $3)`,
        [tenant, user, status],
      );
    await insert('t1', 'u1', 'disconnected');
    await insert('t1', 'u2');
    await expect(insert('t2', 'u3')).rejects.toThrow(/connections_live_account_key/);
    await query(`DELETE FROM connections WHERE provider_account_id = 'acct-owner'`);
  });

  it('crm_associations: one row per link, keyed to the object it starts from; down removes only it', async () => {
    expect((await constraints('u')).crm_associations_link_key).toBe(
      'UNIQUE (connection_id, from_type, from_id, to_type, to_id)',
    );
    expect((await constraints('f')).crm_associations_from_fkey).toBe(
      'FOREIGN KEY (connection_id, from_type, from_id) REFERENCES crm_objects(connection_id, object_type, external_id) ON DELETE CASCADE',
    );
    expect((await indexes()).crm_associations_to_idx).toMatch(/\(connection_id, to_type, to_id\)$/);
    await downThrough('HubspotAssociations1765000000004');
    expect(await tables()).toEqual(tablesBefore('HubspotAssociations1765000000004'));
    await db.dataSource.runMigrations();
    expect(await tables()).toEqual(TABLES);
  });

  it('mail content: down removes its columns, index and table only, up restores them', async () => {
    const mailColumns = () =>
      query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'emails'
          AND column_name IN ('bcc_addresses', 'body_text', 'body_html', 'unique_body', 'body_truncated',
            'message_id', 'in_reply_to', 'reference_ids', 'direction') ORDER BY 1`,
      );
    const added = [
      'bcc_addresses',
      'body_html',
      'body_text',
      'body_truncated',
      'direction',
      'in_reply_to',
      'message_id',
      'reference_ids',
      'unique_body',
    ];
    expect((await mailColumns()).map((r) => r.name)).toEqual(added);
    expect(checkValues((await constraints('c')).emails_direction_check)).toEqual(['sent', 'received']);
    await downThrough('MailContent1765000000003');
    expect(await mailColumns()).toEqual([]);
    expect(await tables()).toEqual(tablesBefore('MailContent1765000000003'));
    expect(idxOf(await indexes(), 'emails_connection_message_id_idx')).toBeUndefined();
    await db.dataSource.runMigrations();
    expect((await mailColumns()).map((r) => r.name)).toEqual(added);
  });

  it('completeness audit: down removes its columns only, up restores them', async () => {
    const auditColumns = () =>
      query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_name = 'sync_states' AND (column_name LIKE 'audit_%' OR column_name = 'full_round_wanted')
          ORDER BY 1`,
      );
    const added = [
      'audit_at',
      'audit_due_at',
      'audit_ghosts',
      'audit_missing',
      'audit_repaired',
      'full_round_wanted',
    ];
    expect((await auditColumns()).map((r) => r.name)).toEqual(added);
    const idx = await indexes();
    expect(idx.sync_states_audit_due_idx).toMatch(/\(audit_due_at\) WHERE enabled$/);
    expect(idx.sync_states_first_audit_idx).toMatch(
      /\(full_round_at\) WHERE \(enabled AND \(audit_due_at IS NULL\)\)$/,
    );
    await downThrough('CompletenessAudit1765000000002');
    expect(await auditColumns()).toEqual([]);
    expect((await indexes()).sync_states_audit_due_idx).toBeUndefined();
    // Mail content and crm_associations came after it, so they went too.
    expect(await tables()).toEqual(tablesBefore('CompletenessAudit1765000000002'));
    await db.dataSource.runMigrations();
    expect((await auditColumns()).map((r) => r.name)).toEqual(added);
  });

  it('rate-limit streak: down removes its column only, up restores it', async () => {
    const streak = () =>
      query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE column_name = 'rate_limit_streak'`,
      );
    expect(await streak()).toEqual([{ name: 'rate_limit_streak' }]);
    await downThrough('RateLimitStreak1765000000005');
    expect(await streak()).toEqual([]);
    expect(await tables()).toEqual(tablesBefore('RateLimitStreak1765000000005'));
    await db.dataSource.runMigrations();
    expect(await streak()).toEqual([{ name: 'rate_limit_streak' }]);
  });

  it('token broker audit: down drops its event types and their rows only, up allows them again', async () => {
    const insert = (type: string) =>
      query(`INSERT INTO audit_events (tenant_id, type, actor) VALUES ('t1', $1, 'service:mailer')`, [type]);
    await insert('access_token_issued');
    await insert('takeover_refused');
    await downThrough('TokenBrokerAudit1765000000006');
    expect(checkValues((await constraints('c')).audit_events_type_check)).not.toContain('proxy_call');
    await expect(insert('proxy_call')).rejects.toThrow(/audit_events_type_check/);
    expect(await query(`SELECT type FROM audit_events`)).toEqual([{ type: 'takeover_refused' }]);
    await db.dataSource.runMigrations();
    await insert('proxy_call');
    await query(`DELETE FROM audit_events`);
  });

  it('participants: one row per person and item, going with the item; up fills them from stored rows; down removes only it', async () => {
    const foreign = await constraints('f');
    for (const [name, parent] of [
      ['email', 'emails'],
      ['event', 'calendar_events'],
      ['contact', 'contacts'],
    ])
      expect(foreign[`participants_${name}_fkey`]).toBe(
        `FOREIGN KEY (connection_id, ${name}_external_id) REFERENCES ${parent}(connection_id, external_id) ON DELETE CASCADE`,
      );
    const idx = await indexes();
    // Keyed by the address's blind index term since SealedContent1765000000101.
    expect(idx.participants_term_idx).toMatch(/\(term, connection_id\)$/);
    expect(idx.participants_email_key).toMatch(
      /UNIQUE INDEX .* \(connection_id, email_external_id, term\) WHERE \(email_external_id IS NOT NULL\)$/,
    );
    expect(checkValues((await constraints('c')).participants_roles_check)).toEqual([...PARTICIPANT_ROLES]);

    await downThrough('Participants1765000000010');
    expect(await tables()).toEqual(tablesBefore('Participants1765000000010'));
    const [{ id }] = await query<{ id: string }>(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
       VALUES ('t1', 'u1', 'google', 'acct-people') RETURNING id`,
    );
    await query(
      `INSERT INTO emails (connection_id, external_id, content_hash, from_address, to_addresses, cc_addresses)
       VALUES ($1, 'm1', 'h', 'Alice@Example.com', '{bob@example.com,alice@example.com}', '{not-an-address}'),
              ($1, 'm2', 'h', 'gone@example.com', '{}', '{}')`,
      [id],
    );
    await query(`UPDATE emails SET deleted_at = now() WHERE external_id = 'm2'`);
    await query(
      `INSERT INTO calendar_events (connection_id, external_id, content_hash, organizer, attendees)
       VALUES ($1, 'e1', 'h', 'bob@example.com',
         '[{"email": "Bob@example.com", "name": "Bob", "response": "accepted"}, "junk",
           {"email": "carol@example.com", "name": null, "response": "declined"}]')`,
      [id],
    );
    await query(
      `INSERT INTO contacts (connection_id, external_id, content_hash, emails) VALUES ($1, 'c1', 'h', '{Dan@example.com}')`,
      [id],
    );
    await db.dataSource.runMigrations();
    expect(
      await query(
        `SELECT coalesce(email_external_id, event_external_id, contact_external_id) AS item, address, name, roles, response
           FROM participants ORDER BY 1, 2`,
      ),
    ).toEqual([
      { item: 'c1', address: 'dan@example.com', name: null, roles: ['contact'], response: null },
      {
        item: 'e1',
        address: 'bob@example.com',
        name: 'Bob',
        roles: ['attendee', 'organizer'],
        response: 'accepted',
      },
      { item: 'e1', address: 'carol@example.com', name: null, roles: ['attendee'], response: 'declined' },
      { item: 'm1', address: 'alice@example.com', name: null, roles: ['from', 'to'], response: null },
      { item: 'm1', address: 'bob@example.com', name: null, roles: ['to'], response: null },
    ]);
    await expect(
      query(`INSERT INTO participants (connection_id, address, roles) VALUES ($1, 'x@example.com', '{to}')`, [
        id,
      ]),
    ).rejects.toThrow(/participants_one_item_check/);
    await query(`DELETE FROM connections WHERE id = $1`, [id]);
    expect(await query(`SELECT 1 FROM participants`)).toEqual([]);
  });

  it('sealed content: up adds the sealed value and blind index terms, keys participants by term; down restores', async () => {
    const sealedColumns = () =>
      query<{ name: string }>(
        `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
          WHERE column_name IN ('sealed', 'blind_index', 'term') AND table_name <> 'credentials' ORDER BY 1`,
      );
    const idx = await indexes();
    for (const table of ['emails', 'calendar_events', 'contacts', 'crm_objects', 'drive_files'])
      expect(idx[`${table}_blind_index_idx`]).toMatch(/USING gin \(blind_index\)$/);
    // drive_files (1765000000190) is born sealed: it has no plain column for what it seals.
    expect((await sealedColumns()).map((r) => r.name)).toEqual([
      'calendar_events.blind_index',
      'calendar_events.sealed',
      'contacts.blind_index',
      'contacts.sealed',
      'crm_objects.blind_index',
      'crm_objects.sealed',
      'drive_files.blind_index',
      'drive_files.sealed',
      'email_attachments.sealed',
      'emails.blind_index',
      'emails.sealed',
      'participants.sealed',
      'participants.term',
      // Since 1765000000181 (tasks came after 101).
      'tasks.sealed',
    ]);
    const [{ id }] = await query<{ id: string }>(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
       VALUES ('t1', 'u1', 'google', 'acct-sealed') RETURNING id`,
    );
    await query(
      `INSERT INTO emails (connection_id, external_id, content_hash, sealed, blind_index)
       VALUES ($1, 'm1', 'h', '\\x01', ARRAY['\\x0a'::bytea, '\\x0b'::bytea])`,
      [id],
    );
    await query(
      `INSERT INTO participants (connection_id, email_external_id, term, sealed, roles)
       VALUES ($1, 'm1', '\\x0a', '\\x02', '{from}')`,
      [id],
    );
    await expect(
      query(
        `INSERT INTO participants (connection_id, email_external_id, term, roles) VALUES ($1, 'm1', '\\x0a', '{to}')`,
        [id],
      ),
    ).rejects.toThrow(/participants_email_key/);
    await expect(
      query(`INSERT INTO participants (connection_id, email_external_id, roles) VALUES ($1, 'm1', '{to}')`, [
        id,
      ]),
    ).rejects.toThrow(/participants_address_or_term_check/);
    expect(await query(`SELECT external_id FROM emails WHERE blind_index && ARRAY['\\x0b'::bytea]`)).toEqual([
      { external_id: 'm1' },
    ]);

    await downThrough('SealedContent1765000000101');
    expect(await sealedColumns()).toEqual([]);
    expect(await query(`SELECT 1 FROM participants`)).toEqual([]);
    expect((await indexes()).participants_address_idx).toMatch(/\(address, connection_id\)$/);
    await db.dataSource.runMigrations();
    await query(`DELETE FROM connections WHERE id = $1`, [id]);
  });

  it('participants of crm_objects: keyed by object type and id, going with the object; up fills them from stored HubSpot contacts; down removes only them', async () => {
    expect((await constraints('f')).participants_object_fkey).toBe(
      'FOREIGN KEY (connection_id, object_type, object_external_id) REFERENCES crm_objects(connection_id, object_type, external_id) ON DELETE CASCADE',
    );
    // Keyed by the address's term since 1765000000171, like the other participants (1765000000101).
    expect((await indexes()).participants_object_key).toMatch(
      /UNIQUE INDEX .* \(connection_id, object_type, object_external_id, term\) WHERE \(object_external_id IS NOT NULL\)$/,
    );
    await downThrough('ObjectParticipantsByTerm1765000000171');
    expect((await indexes()).participants_object_key).toMatch(
      /UNIQUE INDEX .* \(connection_id, object_type, object_external_id, address\) WHERE \(object_external_id IS NOT NULL\)$/,
    );
    await downThrough('CrmObjectParticipants1765000000160');
    const [{ id }] = await query<{ id: string }>(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
       VALUES ('t1', 'u1', 'hubspot', 'portal-people') RETURNING id`,
    );
    await query(
      `INSERT INTO crm_objects (connection_id, object_type, external_id, content_hash, properties) VALUES
         ($1, 'contacts', '1', 'h', '{"email": "Maya@Acme.example", "hs_additional_emails": "maya@home.example; MAYA@acme.example;junk"}'),
         ($1, 'contacts', '2', 'h', '{"email": null}'),
         ($1, 'contacts', '3', 'h', '{"email": "gone@example.com"}'),
         ($1, 'deals', '1', 'h', '{"email": "not-a-person@example.com"}')`,
      [id],
    );
    await query(`UPDATE crm_objects SET deleted_at = now() WHERE external_id = '3'`);
    await query(
      `INSERT INTO contacts (connection_id, external_id, content_hash, emails) VALUES ($1, 'c1', 'h', '{}')`,
      [id],
    );
    await query(
      `INSERT INTO participants (connection_id, contact_external_id, address, roles) VALUES ($1, 'c1', 'dan@example.com', '{contact}')`,
      [id],
    );
    await db.dataSource.runMigrations();
    const rows = () =>
      query(
        `SELECT coalesce(object_type || '/' || object_external_id, contact_external_id) AS item, address, roles
           FROM participants ORDER BY 1, 2`,
      );
    expect(await rows()).toEqual([
      { item: 'c1', address: 'dan@example.com', roles: ['contact'] },
      { item: 'contacts/1', address: 'maya@acme.example', roles: ['contact'] },
      { item: 'contacts/1', address: 'maya@home.example', roles: ['contact'] },
    ]);
    await expect(
      query(
        `INSERT INTO participants (connection_id, object_external_id, address, roles) VALUES ($1, '1', 'x@example.com', '{contact}')`,
        [id],
      ),
    ).rejects.toThrow(/participants_object_type_check/);
    await expect(
      query(
        `INSERT INTO participants (connection_id, object_type, object_external_id, contact_external_id, address, roles)
         VALUES ($1, 'contacts', '1', 'c1', 'x@example.com', '{contact}')`,
        [id],
      ),
    ).rejects.toThrow(/participants_one_item_check/);

    await downThrough('CrmObjectParticipants1765000000160');
    expect(await query(`SELECT contact_external_id AS item, address, roles FROM participants`)).toEqual([
      { item: 'c1', address: 'dan@example.com', roles: ['contact'] },
    ]);
    await db.dataSource.runMigrations();
    await query(`DELETE FROM crm_objects WHERE object_type = 'contacts'`);
    expect(await query(`SELECT 1 FROM participants WHERE object_external_id IS NOT NULL`)).toEqual([]);
    await query(`DELETE FROM connections WHERE id = $1`, [id]);
    expect(await query(`SELECT 1 FROM participants`)).toEqual([]);
  });

  it('change feed: change_xid moves with content or deletion only; sealed tasks and message terms; down removes them', async () => {
    const [{ id }] = await query<{ id: string }>(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id)
       VALUES ('t1', 'u1', 'google', 'acct-feed') RETURNING id`,
    );
    await query(`INSERT INTO contacts (connection_id, external_id, content_hash) VALUES ($1, 'c', 'h')`, [
      id,
    ]);
    const xid = async () =>
      (
        await query<{ x: string }>(`SELECT change_xid::text AS x FROM contacts WHERE connection_id = $1`, [
          id,
        ])
      )[0]!.x;
    const inserted = await xid();
    // A round marking the row seen leaves updated_at, so the row keeps its place in the feed.
    await query(`UPDATE contacts SET seen_round = 7 WHERE connection_id = $1`, [id]);
    expect(await xid()).toBe(inserted);
    await query(`UPDATE contacts SET content_hash = 'h2', updated_at = now() WHERE connection_id = $1`, [id]);
    const changed = await xid();
    expect(BigInt(changed)).toBeGreaterThan(BigInt(inserted));
    await query(`UPDATE contacts SET deleted_at = now() WHERE connection_id = $1`, [id]);
    expect(BigInt(await xid())).toBeGreaterThan(BigInt(changed));
    expect((await indexes()).emails_message_terms_idx).toMatch(/USING gin \(message_terms\)$/);
    await downThrough('ChangeFeed1765000000180');
    const columns = await query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE column_name IN ('change_xid', 'message_terms') OR (table_name = 'tasks' AND column_name = 'sealed')`,
    );
    expect(columns).toEqual([]);
    await db.dataSource.runMigrations();
    await query(`DELETE FROM connections WHERE id = $1`, [id]);
  });

  it('outbox: down drops the table, up creates it again with its job key', async () => {
    await downThrough('Outbox1765000000070');
    expect(await tables()).toEqual(tablesBefore('Outbox1765000000070'));
    await db.dataSource.runMigrations();
    expect((await constraints('u')).outbox_job_key).toBe('UNIQUE (queue, job_id)');
    await expect(
      query(`INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('q', 'n', 'a:b', '{}')`),
    ).rejects.toThrow(/outbox_job_id_check/);
  });

  it('expiry warnings: down drops the table and the issue time only, up backfills the issue time', async () => {
    const issued = () =>
      query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE column_name = 'refresh_token_issued_at'`,
      );
    await downThrough('ExpiryWarnings1765000000071');
    expect(await issued()).toEqual([]);
    expect(await tables()).toEqual(tablesBefore('ExpiryWarnings1765000000071'));
    const [c] = await query<{ id: string }>(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id) VALUES ('t1', 'u1', 'microsoft', 'acct-exp') RETURNING id`,
    );
    await query(
      `INSERT INTO credentials (connection_id, key_id, sealed, refreshed_at) VALUES ($1, 'k', '\\x00', '2026-11-01T00:00:00Z')`,
      [c!.id],
    );
    await db.dataSource.runMigrations();
    const [row] = await query<{ at: Date }>(`SELECT refresh_token_issued_at AS at FROM credentials`);
    expect(row!.at.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    await query(`DELETE FROM connections`);
  });

  it('notice replays: down drops the table, up creates it with its key', async () => {
    await downThrough('NoticeReplays1765000000130');
    expect(await tables()).toEqual(tablesBefore('NoticeReplays1765000000130'));
    await db.dataSource.runMigrations();
    expect((await constraints('p')).notice_replays_pkey).toBe('PRIMARY KEY (provider, key_digest)');
  });

  it('down of the ownership key refuses rows the old key would not hold, and restores it otherwise', async () => {
    await query(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
       VALUES ('t1', 'u1', 'google', 'acct-twice', 'disconnected'), ('t1', 'u2', 'google', 'acct-twice', 'active')`,
    );
    await query(
      `INSERT INTO audit_events (tenant_id, type, actor) VALUES ('t1', 'takeover_refused', 'user:u3')`,
    );
    await expect(downThrough('OneOwnerPerAccount1765000000001')).rejects.toThrow(
      /old key cannot be restored/,
    );
    await query(`DELETE FROM connections WHERE provider_account_id = 'acct-twice'`);
    await downThrough('OneOwnerPerAccount1765000000001');
    expect((await constraints('u')).connections_account_key).toBe(
      'UNIQUE (tenant_id, provider, provider_account_id)',
    );
    expect(await query(`SELECT type FROM audit_events`)).toEqual([]);
  });

  it('deletion requests: down drops them and restores the provider account id, up allows erasing it again', async () => {
    await db.dataSource.runMigrations();
    await query(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
       VALUES ('t1', 'u1', 'google', NULL, 'disconnected')`,
    );
    await expect(
      query(
        `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id) VALUES ('t1', 'u2', 'google', NULL)`,
      ),
    ).rejects.toThrow(/connections_account_erased_check/);
    await downThrough('DeletionRequests1765000000040');
    expect(await tables()).toEqual(tablesBefore('DeletionRequests1765000000040'));
    const [erased] = await query<{ id: string; provider_account_id: string }>(
      `SELECT id, provider_account_id FROM connections WHERE crm_user_id = 'u1'`,
    );
    expect(erased!.provider_account_id).toBe(`erased:${erased!.id}`);
    await db.dataSource.runMigrations();
    expect(await tables()).toEqual(TABLES);
    await query(`DELETE FROM connections`);
  });

  it('push channels: down removes its table and sync_states columns only (and 250 the stopped status), up restores them', async () => {
    const pushColumns = () =>
      query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_name = 'sync_states' AND column_name IN ('requested_at', 'round_began_at', 'push_until')
          ORDER BY 1`,
      );
    const added = ['push_until', 'requested_at', 'round_began_at'];
    expect((await pushColumns()).map((r) => r.name)).toEqual(added);
    expect((await constraints('u')).push_channels_channel_key).toBe('UNIQUE (provider, channel_id)');
    expect((await constraints('u')).push_channels_resource_key).toBe('UNIQUE (connection_id, resource)');
    const statuses = async () => checkValues((await constraints('c')).push_channels_status_check);
    expect(await statuses()).toEqual(['opening', 'active', 'failing', 'stopped']);
    await downThrough('PushChannelStopped1765000000250');
    expect(await statuses()).toEqual(['opening', 'active', 'failing']);
    await downThrough('PushChannels1765000000210');
    expect(await pushColumns()).toEqual([]);
    expect(await tables()).toEqual(tablesBefore('PushChannels1765000000210'));
    await db.dataSource.runMigrations();
    expect((await pushColumns()).map((r) => r.name)).toEqual(added);
  });

  it('refresh token lookups: down drops the two columns, up adds them with their partial indexes', async () => {
    const lookupColumns = async () =>
      (
        await query<{ name: string }>(
          `SELECT column_name AS name FROM information_schema.columns
            WHERE table_name = 'credentials' AND column_name LIKE 'refresh_token_%' ORDER BY 1`,
        )
      ).map((r) => r.name);
    const added = ['refresh_token_digest', 'refresh_token_issued_at', 'refresh_token_prefix_mac'];
    expect(await lookupColumns()).toEqual(added);
    expect(idxOf(await indexes(), 'credentials_refresh_token_digest_idx')).toMatch(
      /\(refresh_token_digest\) WHERE \(refresh_token_digest IS NOT NULL\)/,
    );
    await downThrough('RefreshTokenLookups1765000000230');
    expect(await lookupColumns()).toEqual(['refresh_token_issued_at']);
    expect(idxOf(await indexes(), 'credentials_refresh_token_prefix_mac_idx')).toBeUndefined();
    await db.dataSource.runMigrations();
    expect(await lookupColumns()).toEqual(added);
  });

  it('down removes everything, and up again restores it', async () => {
    await downThrough('InitialSchema1764000000000');
    expect(await tables()).toEqual([]);
    expect(await indexes()).toEqual({});
    expect(await constraints('u')).toEqual({});

    await db.dataSource.runMigrations();
    expect(await tables()).toEqual(TABLES);
  });
});

const idxOf = (all: Record<string, string>, name: string) => all[name];
