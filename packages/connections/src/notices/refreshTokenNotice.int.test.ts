import type { RefreshTokenIdentifier, VerifiedDelivery } from '@crm-sync/core';
import { refreshTokenDigest } from '@crm-sync/vault';
import { randomUUID } from 'node:crypto';
import { connectSandboxAccount, createConnectionsHarness, type ConnectionsHarness } from '../../test';
import { receiveDelivery } from './receiveDelivery';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const deliveryNaming = (identifier: RefreshTokenIdentifier): VerifiedDelivery => ({
  provider: 'google',
  replayKey: randomUUID(),
  replayTtlMs: 60_000,
  notices: [{ kind: 'token-revoked', action: 'revoke', target: { kind: 'refreshToken', identifier } }],
});

async function connected(email: string) {
  const { connectionId } = await connectSandboxAccount(h, { provider: 'google', email });
  const refreshToken = (await h.deps.credentials.load(connectionId))?.tokens.refreshToken;
  if (!refreshToken) throw new Error('the sandbox grant carries a refresh token');
  return { connectionId, refreshToken };
}

const state = async (id: string) =>
  (
    (await h.db.dataSource.query(
      `SELECT c.status, (SELECT count(*)::int FROM credentials WHERE connection_id = c.id) AS credentials
         FROM connections c WHERE c.id = $1`,
      [id],
    )) as Array<{ status: string; credentials: number }>
  )[0];

const deps = () => ({
  db: h.db.dataSource,
  credentials: h.deps.credentials,
  generations: h.deps.generations,
});

it.each([
  [
    'its double SHA-512',
    (token: string): RefreshTokenIdentifier => ({ alg: 'sha512-sha512', value: refreshTokenDigest(token) }),
  ],
  [
    'its first 16 characters',
    (token: string): RefreshTokenIdentifier => ({ alg: 'prefix', value: token.slice(0, 16) }),
  ],
])('a token-revoked naming the refresh token by %s ends that connection only', async (_, name) => {
  const target = await connected(`token-revoked-${randomUUID()}@example.com`);
  const bystander = await connected(`bystander-${randomUUID()}@example.com`);
  expect(await receiveDelivery(deps(), deliveryNaming(name(target.refreshToken)))).toEqual({
    kind: 'accepted',
    notices: [
      {
        kind: 'token-revoked',
        action: 'revoke',
        target: 'refreshToken',
        connectionIds: [target.connectionId],
      },
    ],
  });
  expect(await state(target.connectionId)).toEqual({ status: 'revoked', credentials: 0 });
  expect(await state(bystander.connectionId)).toEqual({ status: 'active', credentials: 1 });
  const audit = await h.db.dataSource.query(
    `SELECT type, actor FROM audit_events WHERE connection_id = $1 AND type = 'token_revoked'`,
    [target.connectionId],
  );
  expect(audit).toEqual([{ type: 'token_revoked', actor: 'provider' }]);
});

it('a token that is not ours, or no longer ours, matches nothing and changes nothing', async () => {
  const kept = await connected(`unmatched-${randomUUID()}@example.com`);
  const unknown = `1//not-ours-${randomUUID()}`;
  for (const identifier of [
    { alg: 'sha512-sha512', value: refreshTokenDigest(unknown) },
    { alg: 'prefix', value: unknown.slice(0, 16) },
  ] as RefreshTokenIdentifier[]) {
    expect(await receiveDelivery(deps(), deliveryNaming(identifier))).toMatchObject({
      notices: [{ target: 'refreshToken', connectionIds: [] }],
    });
  }
  expect(await state(kept.connectionId)).toEqual({ status: 'active', credentials: 1 });
});
