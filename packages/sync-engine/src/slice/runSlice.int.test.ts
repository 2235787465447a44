import { deleteSyncStates, setSyncStates } from '@crm-sync/sync-states/testing';
import { randomUUID } from 'node:crypto';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { RESOURCES_BY_PROVIDER } from '@crm-sync/core';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { syncStates } from '@crm-sync/sync-states';
import { connectSandboxAccount, engineDeps } from '../../test';
import { runSlice } from './runSlice';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const q = <T>(sql: string, parameters: unknown[] = []) =>
  h.db.dataSource.query(sql, parameters) as Promise<T[]>;

describe('runSlice before any provider call', () => {
  it.each([
    ['connection_missing', async () => ({ connectionId: randomUUID() })],
    [
      'connection_inactive',
      async () => {
        const { connectionId } = await connectSandboxAccount(h, {
          provider: 'google',
          email: 'off@example.com',
        });
        await q(`UPDATE connections SET status = 'disconnected' WHERE id = $1`, [connectionId]);
        return { connectionId };
      },
    ],
    [
      'disabled',
      async () => {
        const { connectionId } = await connectSandboxAccount(h, {
          provider: 'google',
          email: 'dis@example.com',
        });
        await syncStates.disableConnection(h.db.dataSource, connectionId, 'stopped by the test');
        return { connectionId };
      },
    ],
    [
      'state_missing',
      async () => {
        const { connectionId } = await connectSandboxAccount(h, {
          provider: 'google',
          email: 'nostate@example.com',
        });
        await deleteSyncStates(h.db.dataSource, connectionId);
        return { connectionId };
      },
    ],
  ])('skips (%s) without touching the provider', async (reason, arrange) => {
    const { connectionId } = await arrange();
    h.sandbox.control.resetCounters();
    const outcome = await runSlice(engineDeps(h), { connectionId, resource: 'mail', budgetMs: 1000 });
    expect(outcome).toMatchObject({ kind: 'skipped', reason });
    expect(h.sandbox.control.counters()).toEqual([]);
  });
});

describe('ConnectionOutcomes.revoked (connections’ implementation)', () => {
  it('flips the connection once: needs_reauth, credentials deleted, every resource disabled, audit, notification', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'hubspot',
      email: 'gone@example.com',
    });
    const input = {
      connectionId,
      tenantId: 't1',
      resource: 'contacts' as const,
      reason: 'BAD_REFRESH_TOKEN',
      now: new Date(),
    };
    const { outcomes } = engineDeps(h);
    const [first, second] = await Promise.all([outcomes.revoked(input), outcomes.revoked(input)]);
    expect([first, second].sort()).toEqual([false, true]);

    const [connection] = await q<{ status: string; status_reason: string }>(
      `SELECT status, status_reason FROM connections WHERE id = $1`,
      [connectionId],
    );
    expect(connection).toEqual({
      status: 'needs_reauth',
      status_reason: 'token revoked at the provider (BAD_REFRESH_TOKEN)',
    });
    expect(await h.deps.credentials.load(connectionId)).toBeNull();
    const states = await q<{ enabled: boolean; disabled_reason: string }>(
      `SELECT enabled, disabled_reason FROM sync_states WHERE connection_id = $1`,
      [connectionId],
    );
    expect(states).toHaveLength(RESOURCES_BY_PROVIDER.hubspot.length);
    expect(
      states.every(
        (s) => !s.enabled && s.disabled_reason === 'token revoked at the provider (BAD_REFRESH_TOKEN)',
      ),
    ).toBe(true);
    const audit = await q<{ type: string }>(
      `SELECT type FROM audit_events WHERE connection_id = $1 ORDER BY created_at`,
      [connectionId],
    );
    expect(audit.map((a) => a.type)).toEqual(['connected', 'token_revoked']);
    await h.relay();
    const notes = await h.deps.producer.queue(QUEUE_NAMES.crmNotifications).getJobs(['waiting']);
    expect(notes.filter((n) => n.data.connectionId === connectionId).map((n) => n.data)).toEqual([
      expect.objectContaining({ type: 'connection.status_changed', status: 'needs_reauth', tenantId: 't1' }),
    ]);

    const outcome = await runSlice(engineDeps(h), { connectionId, resource: 'contacts', budgetMs: 1000 });
    expect(outcome).toMatchObject({ kind: 'skipped', reason: 'connection_inactive' });
  });
});

describe('runSlice when a round completes', () => {
  it('sets the next due time one interval plus its jitter share ahead', async () => {
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'hubspot',
      email: 'jitter@example.com',
      sizes: { contacts: 3 },
    });
    const started = Date.now();
    const deps = {
      ...engineDeps(h, { incrementalIntervalMs: 100_000, intervalJitterRatio: 0.2 }),
      random: () => 0.5,
    };
    const outcome = await runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 10_000 });
    expect(outcome).toMatchObject({ kind: 'caught_up' });
    const [state] = await q<{ next_sync_at: Date }>(
      `SELECT next_sync_at FROM sync_states WHERE connection_id = $1 AND resource = 'contacts'`,
      [connectionId],
    );
    // 100 s plus half of the 20 % jitter share.
    const delay = state!.next_sync_at.getTime() - started;
    expect(delay).toBeGreaterThanOrEqual(110_000 - 50);
    expect(delay).toBeLessThan(110_000 + 5_000);
  });
});

describe('runSlice when the grant lacks a scope', () => {
  it('disables only that resource, with the reason, and the others go on', async () => {
    const calendarScope = 'https://www.googleapis.com/auth/calendar.readonly';
    h.sandbox.control.setAuthorize('google', { withholdScopes: [calendarScope] });
    const { connectionId } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'no-calendar@example.com',
      sizes: { messages: 5, events: 5 },
    });
    h.sandbox.control.setAuthorize('google', { withholdScopes: [] });
    // The connect flow disabled calendar already; turn it back on, as if the scope had been withdrawn later.
    await setSyncStates(
      h.db.dataSource,
      { connectionIds: [connectionId] },
      { enabled: true, status: 'idle', disabledReason: null },
    );

    const calendar = await runSlice(engineDeps(h), { connectionId, resource: 'calendar', budgetMs: 5_000 });
    const mail = await runSlice(engineDeps(h), { connectionId, resource: 'mail', budgetMs: 5_000 });

    expect(calendar).toMatchObject({ kind: 'disabled' });
    expect(mail).toMatchObject({ kind: 'caught_up' });
    const states = await q<{ resource: string; enabled: boolean; disabled_reason: string | null }>(
      `SELECT resource, enabled, disabled_reason FROM sync_states WHERE connection_id = $1 ORDER BY resource`,
      [connectionId],
    );
    expect(states.find((s) => s.resource === 'calendar')).toMatchObject({
      enabled: false,
      disabled_reason: expect.stringMatching(/403/),
    });
    expect(states.find((s) => s.resource === 'mail')).toMatchObject({ enabled: true, disabled_reason: null });
  });
});
