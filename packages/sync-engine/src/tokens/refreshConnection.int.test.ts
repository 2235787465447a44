import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { randomUUID } from 'node:crypto';
import { connectSandboxAccount, engineDeps, testAccessTokens } from '../../test';
import { refreshConnectionToken } from './refreshConnection';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

describe('refreshConnectionToken', () => {
  it('refreshes a token inside the margin and leaves a fresh one alone', async () => {
    const { connectionId } = await connectSandboxAccount(h, { provider: 'google', email: 'job@example.com' });
    const before = (await h.deps.credentials.load(connectionId))!;
    expect(await refreshConnectionToken(engineDeps(h), connectionId)).toEqual({ kind: 'ok' });
    expect((await h.deps.credentials.load(connectionId))!.version).toBe(before.version);

    const eager = engineDeps(h, {}, testAccessTokens(h, 24 * 3600_000));
    expect(await refreshConnectionToken(eager, connectionId)).toEqual({ kind: 'ok' });
    const after = (await h.deps.credentials.load(connectionId))!;
    expect(after.version).toBe(before.version + 1);
    expect(after.tokens.accessToken).not.toBe(before.tokens.accessToken);
  });

  it('takes the revocation path when the grant is gone', async () => {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: 'microsoft',
      email: 'gone-job@example.com',
    });
    h.sandbox.control.revokeTokens('microsoft', account.id);
    const eager = engineDeps(h, {}, testAccessTokens(h, 24 * 3600_000));
    expect(await refreshConnectionToken(eager, connectionId)).toEqual({ kind: 'auth_revoked' });
    const [row] = await h.db.dataSource.query(`SELECT status FROM connections WHERE id = $1`, [connectionId]);
    expect(row.status).toBe('needs_reauth');
    expect(await h.deps.credentials.load(connectionId)).toBeNull();
    expect(await refreshConnectionToken(eager, connectionId)).toEqual({
      kind: 'skipped',
      reason: 'connection_inactive',
    });
  });

  it('skips an unknown connection', async () => {
    expect(await refreshConnectionToken(engineDeps(h), randomUUID())).toEqual({
      kind: 'skipped',
      reason: 'connection_missing',
    });
  });
});
