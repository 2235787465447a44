import { QUEUE_NAMES } from '@crm-sync/queue';
import { connectSandboxAccount, createConnectionsHarness, type ConnectionsHarness } from '../../test';
import { connectionOutcomes, disconnectConnection, endConnection } from './index';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const one = async (sql: string, params: unknown[]) => (await h.db.dataSource.query(sql, params))[0];

/** Puts some synced rows in every CRM table for a connection. */
async function syncedRows(connectionId: string, n: number): Promise<void> {
  for (const [table, extra, values] of [
    ['emails', '', ''],
    ['calendar_events', '', ''],
    ['contacts', '', ''],
    ['tasks', ', list_id, status', ", 'l1', 'open'"],
    ['drive_files', ', mime_type', ", 'text/plain'"],
    ['crm_objects', ', object_type', ", 'contacts'"],
  ] as const) {
    await h.db.dataSource.query(
      `INSERT INTO ${table} (connection_id, external_id, content_hash${extra})
       SELECT $1, 'x' || i, 'h'${values} FROM generate_series(1, $2) i`,
      [connectionId, n],
    );
  }
}

const notifications = async (connectionId: string) =>
  (await h.relay(), await h.deps.producer.queue(QUEUE_NAMES.crmNotifications).getJobs(['waiting']))
    .map((j) => j.data)
    .filter((d) => d.connectionId === connectionId);

describe('disconnectConnection', () => {
  it('revokes at the provider, deletes the tokens, stops syncs, purges data and keeps the log', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'purge@example.com',
    });
    await syncedRows(connectionId, 12);
    await h.db.dataSource.query(
      `INSERT INTO sync_quarantine (connection_id, resource, external_id, reason) VALUES ($1, 'mail', 'm1', 'x')`,
      [connectionId],
    );
    const tokens = (await h.deps.credentials.load(connectionId))!.tokens;

    const outcome = await disconnectConnection(h.deps, {
      connectionId,
      tenantId: 't1',
      purge: true,
      actor: 'service:crm',
    });

    expect(outcome).toEqual({ kind: 'done', changed: true, revoke: 'revoked' });
    expect(await h.deps.credentials.load(connectionId)).toBeNull();
    expect(
      await one(`SELECT status, disconnected_at IS NOT NULL AS at FROM connections WHERE id = $1`, [
        connectionId,
      ]),
    ).toEqual({
      status: 'disconnected',
      at: true,
    });
    expect(
      await one(`SELECT bool_or(enabled) AS any FROM sync_states WHERE connection_id = $1`, [connectionId]),
    ).toEqual({ any: false });
    for (const table of [
      'emails',
      'calendar_events',
      'contacts',
      'tasks',
      'drive_files',
      'crm_objects',
      'sync_quarantine',
    ]) {
      expect(
        await one(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1`, [connectionId]),
      ).toEqual({ n: 0 });
    }
    const audit = await h.db.dataSource.query(
      `SELECT type, details FROM audit_events WHERE connection_id = $1 ORDER BY id`,
      [connectionId],
    );
    expect(audit.map((a: { type: string }) => a.type)).toEqual([
      'connected',
      'disconnected',
      'purge_completed',
    ]);
    expect(audit[2].details).toEqual({
      participants: 0,
      email_attachments: 0,
      crm_associations: 0,
      emails: 12,
      calendar_events: 12,
      contacts: 12,
      tasks: 12,
      drive_files: 12,
      crm_objects: 12,
      sync_quarantine: 1,
    });
    expect(await notifications(connectionId)).toEqual([expect.objectContaining({ status: 'disconnected' })]);

    // The provider no longer honours the grant.
    const userinfo = await fetch(`${h.sandbox.urls.google}/oauth2/v2/userinfo`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(userinfo.status).toBe(401);
  });

  it('is safe to repeat and keeps data without purge', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'microsoft',
      email: 'keep@example.com',
    });
    await syncedRows(connectionId, 3);
    const input = { connectionId, tenantId: 't1', purge: false, actor: 'service:crm' };
    expect(await disconnectConnection(h.deps, input)).toEqual({
      kind: 'done',
      changed: true,
      revoke: 'not_supported',
    });
    expect(await disconnectConnection(h.deps, input)).toEqual({
      kind: 'done',
      changed: false,
      revoke: 'no_credentials',
    });
    expect(
      await one(`SELECT count(*)::int AS n FROM emails WHERE connection_id = $1`, [connectionId]),
    ).toEqual({ n: 3 });
    expect(await notifications(connectionId)).toHaveLength(1);
  });

  it("refuses another tenant's connection", async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'hubspot',
      email: 'tenant@example.com',
    });
    expect(
      await disconnectConnection(h.deps, { connectionId, tenantId: 't2', purge: true, actor: 'x' }),
    ).toEqual({
      kind: 'not_found',
    });
    expect(await h.deps.credentials.load(connectionId)).not.toBeNull();
  });
});

describe('endConnection for a revoked grant', () => {
  it('marks the connection revoked, deletes its tokens and notifies once', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'risc@example.com',
    });
    const input = {
      connectionId,
      status: 'revoked' as const,
      reason: 'tokens-revoked event from the provider',
      audit: { type: 'token_revoked' as const, actor: 'provider' },
    };
    expect(await endConnection(h.deps, input)).toBe(true);
    expect(await endConnection(h.deps, input)).toBe(false);
    expect(await h.deps.credentials.load(connectionId)).toBeNull();
    expect(await notifications(connectionId)).toEqual([expect.objectContaining({ status: 'revoked' })]);
  });

  it('stays revoked when a sync later finds the credentials gone (no needs_reauth, no second notice)', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'risc-then-sync@example.com',
    });
    await endConnection(h.deps, {
      connectionId,
      status: 'revoked',
      reason: 'tokens-revoked event from the provider',
      audit: { type: 'token_revoked', actor: 'provider' },
    });
    const found = await connectionOutcomes(h.deps).revoked({
      connectionId,
      resource: 'mail',
      reason: 'no stored credentials',
      now: new Date(),
    });
    expect(found).toBe(false);
    expect((await one(`SELECT status FROM connections WHERE id = $1`, [connectionId])).status).toBe(
      'revoked',
    );
    expect(await notifications(connectionId)).toEqual([expect.objectContaining({ status: 'revoked' })]);
  });
});
