import { AUDIT_EVENT_TYPES, CONNECTION_STATUSES, PROVIDERS, SYNC_MODES } from '@crm-sync/core';
import { createTestDatabase, type TestDatabase } from '@crm-sync/db/testing';
import { SYNC_STATUSES } from '../types';

const TABLES = [
  'audit_events',
  'calendar_events',
  'connections',
  'contacts',
  'credentials',
  'crm_objects',
  'email_attachments',
  'emails',
  'sync_quarantine',
  'sync_states',
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

describe('migrations', () => {
  it('up creates every table with its keys, indexes and checks', async () => {
    const applied = await db.dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual([
      'InitialSchema1764000000000',
      'RoundSweep1765000000000',
      'OneOwnerPerAccount1765000000001',
      'CompletenessAudit1765000000002',
      'MailContent1765000000003',
    ]);
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
  });

  it('cascades from connections, except audit events, which outlive them; attachments go with their email', async () => {
    const { email_attachments_email_fkey: attachments, ...foreign } = await constraints('f');
    expect(attachments).toBe(
      'FOREIGN KEY (connection_id, email_external_id) REFERENCES emails(connection_id, external_id) ON DELETE CASCADE',
    );
    const byTable = Object.entries(foreign).map(([name, def]) => [name.split('_connection_id')[0], def]);
    for (const [table, def] of byTable) {
      const action = table === 'audit_events' ? 'ON DELETE SET NULL' : 'ON DELETE CASCADE';
      expect(`${table}: ${def}`).toBe(
        `${table}: FOREIGN KEY (connection_id) REFERENCES connections(id) ${action}`,
      );
    }
    expect(byTable.map(([table]) => table).sort()).toEqual(
      TABLES.filter((t) => t !== 'connections' && t !== 'email_attachments'),
    );
  });

  it('round sweep: down removes its table and columns only, up restores them', async () => {
    const sweepColumns = () =>
      query<{ name: string }>(
        `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
          WHERE column_name IN ('seen_round', 'round_generation', 'full_round_at', 'round_pages') ORDER BY 1`,
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
    // The ownership key, the audit columns and mail content came after it: all four are taken down, and all come back.
    await db.dataSource.undoLastMigration();
    await db.dataSource.undoLastMigration();
    await db.dataSource.undoLastMigration();
    await db.dataSource.undoLastMigration();
    expect(await sweepColumns()).toEqual([]);
    expect(await tables()).toEqual(
      TABLES.filter((t) => t !== 'sync_quarantine' && t !== 'email_attachments'),
    );
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
    await db.dataSource.undoLastMigration();
    expect(await mailColumns()).toEqual([]);
    expect(await tables()).toEqual(TABLES.filter((t) => t !== 'email_attachments'));
    expect(idxOf(await indexes(), 'emails_connection_message_id_idx')).toBeUndefined();
    await db.dataSource.runMigrations();
    expect((await mailColumns()).map((r) => r.name)).toEqual(added);
    // The tests below take earlier migrations down, so this one goes first.
    await db.dataSource.undoLastMigration();
  });

  it('completeness audit: down removes its columns only, up restores them', async () => {
    const auditColumns = () =>
      query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_name = 'sync_states' AND (column_name LIKE 'audit_%' OR column_name = 'full_round_wanted')
          ORDER BY 1`,
      );
    const added = ['audit_at', 'audit_ghosts', 'audit_missing', 'audit_repaired', 'full_round_wanted'];
    expect((await auditColumns()).map((r) => r.name)).toEqual(added);
    await db.dataSource.undoLastMigration();
    expect(await auditColumns()).toEqual([]);
    expect(await tables()).toEqual(TABLES.filter((t) => t !== 'email_attachments'));
    await db.dataSource.runMigrations();
    expect((await auditColumns()).map((r) => r.name)).toEqual(added);
    // The ownership test below takes its migration down, so this one (and mail content, back with it) goes first.
    await db.dataSource.undoLastMigration();
    await db.dataSource.undoLastMigration();
  });

  it('down of the ownership key refuses rows the old key would not hold, and restores it otherwise', async () => {
    await query(
      `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
       VALUES ('t1', 'u1', 'google', 'acct-twice', 'disconnected'), ('t1', 'u2', 'google', 'acct-twice', 'active')`,
    );
    await query(
      `INSERT INTO audit_events (tenant_id, type, actor) VALUES ('t1', 'takeover_refused', 'user:u3')`,
    );
    await expect(db.dataSource.undoLastMigration()).rejects.toThrow(/old key cannot be restored/);
    await query(`DELETE FROM connections WHERE provider_account_id = 'acct-twice'`);
    await db.dataSource.undoLastMigration();
    expect((await constraints('u')).connections_account_key).toBe(
      'UNIQUE (tenant_id, provider, provider_account_id)',
    );
    expect(await query(`SELECT type FROM audit_events`)).toEqual([]);
  });

  it('down removes everything, and up again restores it', async () => {
    await db.dataSource.undoLastMigration();
    await db.dataSource.undoLastMigration();
    expect(await tables()).toEqual([]);
    expect(await indexes()).toEqual({});
    expect(await constraints('u')).toEqual({});

    await db.dataSource.runMigrations();
    expect(await tables()).toEqual(TABLES);
  });
});

const idxOf = (all: Record<string, string>, name: string) => all[name];
