import { connectSandboxAccount } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import { graphClientState } from '@crm-sync/providers';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { startApp, type AppHarness } from '../test/appHarness';

// Provider notices end to end at connect-api: the sandbox signs and delivers each as its provider does; accepted
// ones become connection-events for the worker, refused ones change nothing and are logged without secrets.

let h: AppHarness;
beforeAll(async () => {
  h = await startApp();
});
afterAll(() => h.close());

type Delivered = { status: number; body: string; contentType: string | null };
const op = async <T = Delivered>(
  provider: 'google' | 'microsoft' | 'hubspot',
  account: string,
  name: string,
  body: object,
) => (await h.sandbox.control.providerOp(provider, account, name, body)) as T & Delivered;

/**
 * connection-events recorded in the outbox for one connection, but its connection.connected, as (type, extra)
 * pairs: accepted notices are recorded there with their replay claim, for the scheduler's relay to hand over.
 */
async function events(connectionId: string) {
  const rows = (await h.db.dataSource.query(
    `SELECT payload FROM outbox WHERE queue = $1 AND payload->>'connectionId' = $2 ORDER BY id`,
    [QUEUE_NAMES.connectionEvents, connectionId],
  )) as Array<{ payload: { type: string; source?: string; full?: boolean } }>;
  return (
    rows
      .map((r) => r.payload)
      // Connecting recorded connection.connected; only what the notices added is of interest.
      .filter((d) => d.type !== 'connection.connected')
      .map(({ type, source, full }) => ({
        type,
        ...(source && { source }),
        ...(full !== undefined && { full }),
      }))
  );
}

async function connected(provider: 'google' | 'microsoft' | 'hubspot', email: string) {
  const { connectionId, account } = await connectSandboxAccount(h, { provider, email });
  return { connectionId, accountId: account.id };
}

/**
 * The connection as a revocation leaves it: ended at once by connect-api (no credentials, status revoked), the
 * CRM's notifications about it in the outbox as (type, status) pairs.
 */
async function ended(connectionId: string) {
  const [row] = (await h.db.dataSource.query(
    `SELECT c.status, (SELECT count(*)::int FROM credentials WHERE connection_id = c.id) AS credentials
       FROM connections c WHERE c.id = $1`,
    [connectionId],
  )) as Array<{ status: string; credentials: number }>;
  const told = (await h.db.dataSource.query(
    `SELECT payload->>'type' AS type, payload->>'status' AS status FROM outbox
      WHERE queue = $1 AND payload->>'connectionId' = $2 ORDER BY id`,
    [QUEUE_NAMES.crmNotifications, connectionId],
  )) as Array<{ type: string; status: string }>;
  return { ...row, told };
}
const revoked = {
  status: 'revoked',
  credentials: 0,
  told: [{ type: 'connection.status_changed', status: 'revoked' }],
};

const unchanged = async (connectionId: string) => {
  expect(await events(connectionId)).toEqual([]);
  expect(await ended(connectionId)).toEqual({ status: 'active', credentials: 1, told: [] });
};

describe('Google Cross-Account Protection', () => {
  const url = () => `${h.baseUrl}/v1/webhooks/google/risc`;

  it('ends the account connection on tokens-revoked at once and refuses the same token again', async () => {
    const { connectionId, accountId } = await connected('google', 'risc-revoked@example.com');
    const sent = await op<{ token: string }>('google', accountId, 'risc', {
      url: url(),
      event: 'tokens-revoked',
    });
    expect(sent.status).toBe(202);
    expect(await ended(connectionId)).toEqual(revoked);

    const replay = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/secevent+jwt' },
      body: sent.token,
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({
      err: 'invalid_request',
      description: expect.stringMatching(/already/),
    });
    expect(await ended(connectionId)).toEqual(revoked);
    expect(h.logs()).not.toContain(sent.token.split('.')[2]);
  });

  it('takes a token arriving three times at once only once (each claim waits for the first transaction)', async () => {
    const { connectionId, accountId } = await connected('google', 'risc-thrice@example.com');
    // Delivered where nothing listens for it (404), so the test holds a token connect-api has not seen yet.
    const sent = await op<{ token: string }>('google', accountId, 'risc', {
      url: `${url()}-elsewhere`,
      event: 'tokens-revoked',
    });
    expect(sent.status).toBe(404);
    const post = () =>
      fetch(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/secevent+jwt' },
        body: sent.token,
      });
    const statuses = (await Promise.all([post(), post(), post()])).map((r) => r.status);
    expect(statuses.sort()).toEqual([202, 400, 400]);
    expect(await ended(connectionId)).toEqual(revoked);
  });

  it('revokes on account-disabled and only logs account-enabled, sessions-revoked and verification', async () => {
    const disabled = await connected('google', 'risc-disabled@example.com');
    expect(
      (
        await op('google', disabled.accountId, 'risc', {
          url: url(),
          event: 'account-disabled',
          reason: 'hijacking',
        })
      ).status,
    ).toBe(202);
    expect(await ended(disabled.connectionId)).toEqual(revoked);

    const other = await connected('google', 'risc-logged@example.com');
    for (const event of [
      'account-enabled',
      'sessions-revoked',
      'account-credential-change-required',
      'verification',
    ]) {
      expect((await op('google', other.accountId, 'risc', { url: url(), event })).status).toBe(202);
    }
    await unchanged(other.connectionId);
  });

  it.each([
    ['forged (a key not in the JWKS)', { signWith: 'foreign' }, 'invalid_key'],
    ['for another client', { audience: 'someone-elses-client' }, 'invalid_audience'],
    ['from another issuer', { issuer: 'https://accounts.example.com/' }, 'invalid_issuer'],
    ['stale (8 days old)', { issuedSecondsAgo: 8 * 24 * 3600 }, 'invalid_request'],
  ])('refuses a token %s and changes nothing', async (_name, fault, err) => {
    const { connectionId, accountId } = await connected('google', `risc-${err}-${Math.random()}@example.com`);
    // Revocation events revoke at the sandbox first; send one that does not, so only our side is observed.
    const sent = await op('google', accountId, 'risc', { url: url(), event: 'sessions-revoked', ...fault });
    expect(sent.status).toBe(400);
    expect(JSON.parse(sent.body)).toEqual({ err, description: expect.any(String) });
    const forgedRevocation = await op('google', accountId, 'risc', {
      url: url(),
      event: 'token-revoked',
      ...fault,
    });
    expect(forgedRevocation.status).toBe(400);
    await unchanged(connectionId);
    expect(h.logs()).toContain('provider notice refused');
  });

  it('refuses a body that is not a JWT', async () => {
    const response = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/secevent+jwt' },
      body: 'not-a-jwt',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { err: string }).err).toBe('invalid_request');
  });
});

describe('Graph lifecycle notifications', () => {
  const url = () => `${h.baseUrl}/v1/webhooks/microsoft/lifecycle`;

  it('answers the validation handshake and maps missed and subscriptionRemoved to syncs', async () => {
    const { connectionId, accountId } = await connected('microsoft', 'graph-lifecycle@example.com');
    const clientState = graphClientState(DEFAULT_CLIENT.clientSecret, connectionId);
    const missed = await op<{ validated: boolean }>('microsoft', accountId, 'lifecycle', {
      url: url(),
      lifecycleEvent: 'missed',
      clientState,
    });
    expect(missed).toMatchObject({ validated: true, status: 202 });
    const removed = await op('microsoft', accountId, 'lifecycle', {
      url: url(),
      lifecycleEvent: 'subscriptionRemoved',
      clientState,
    });
    expect(removed.status).toBe(202);
    const reauthorize = await op('microsoft', accountId, 'lifecycle', {
      url: url(),
      lifecycleEvent: 'reauthorizationRequired',
      clientState,
    });
    expect(reauthorize.status).toBe(202);
    expect(await events(connectionId)).toEqual(
      expect.arrayContaining([
        { type: 'sync.requested', full: false },
        { type: 'sync.requested', full: true },
      ]),
    );
    expect(await events(connectionId)).toHaveLength(2);
  });

  it('refuses a forged clientState and a replay', async () => {
    const { connectionId, accountId } = await connected('microsoft', 'graph-forged@example.com');
    const forged = await op('microsoft', accountId, 'lifecycle', {
      url: url(),
      lifecycleEvent: 'missed',
      clientState: graphClientState('not-our-secret', connectionId),
    });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ code: 'invalid_signature' });
    const sent = await op<{ sent: string }>('microsoft', accountId, 'lifecycle', {
      url: url(),
      lifecycleEvent: 'missed',
      clientState: graphClientState(DEFAULT_CLIENT.clientSecret, connectionId),
    });
    expect(sent.status).toBe(202);
    const replay = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: sent.sent,
    });
    expect(replay.status).toBe(409);
    expect(await events(connectionId)).toEqual([{ type: 'sync.requested', full: false }]);
  });
});

describe('HubSpot webhooks (v3 signatures)', () => {
  const url = () => `${h.baseUrl}/v1/webhooks/hubspot`;
  const change = [{ subscriptionType: 'contact.propertyChange' }, { subscriptionType: 'contact.deletion' }];

  it('accepts a signed delivery once: one incremental sync of the portal’s contacts', async () => {
    const { connectionId, accountId } = await connected('hubspot', 'hs-webhook@example.com');
    const sent = await op<{ request: { headers: Record<string, string>; body: string } }>(
      'hubspot',
      accountId,
      'webhook',
      { url: url(), events: change },
    );
    expect(sent.status).toBe(204);
    expect(await events(connectionId)).toEqual([{ type: 'sync.requested', full: false }]);
    const replay = await fetch(url(), {
      method: 'POST',
      headers: sent.request.headers,
      body: sent.request.body,
    });
    expect(replay.status).toBe(409);
    expect(await events(connectionId)).toHaveLength(1);
  });

  it.each([
    ['signed with another secret', { signWithSecret: 'not-the-client-secret' }, 401, 'invalid_signature'],
    ['older than 5 minutes', { ageMs: 5 * 60_000 + 1_000 }, 401, 'stale_notice'],
  ])('refuses a delivery %s and changes nothing', async (_name, fault, status, code) => {
    const { connectionId, accountId } = await connected('hubspot', `hs-${code}@example.com`);
    const sent = await op('hubspot', accountId, 'webhook', { url: url(), events: change, ...fault });
    expect(sent.status).toBe(status);
    expect(JSON.parse(sent.body)).toMatchObject({ code });
    await unchanged(connectionId);
  });

  it('refuses a signature made for another URL or body, and a request without signature headers', async () => {
    const { connectionId, accountId } = await connected('hubspot', 'hs-tampered@example.com');
    const signedUrl = `${url()}?target=1`;
    const sent = await op<{ request: { headers: Record<string, string>; body: string } }>(
      'hubspot',
      accountId,
      'webhook',
      { url: signedUrl, events: change },
    );
    expect(sent.status).toBe(204);
    const { headers, body } = sent.request;
    const otherUrl = await fetch(url(), { method: 'POST', headers, body });
    expect(otherUrl.status).toBe(401);
    const otherBody = await fetch(signedUrl, {
      method: 'POST',
      headers,
      body: body.replace('"CRM"', '"API"'),
    });
    expect(otherBody.status).toBe(401);
    const bare = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    expect(bare.status).toBe(400);
    expect(await events(connectionId)).toEqual([{ type: 'sync.requested', full: false }]);
  });
});
