import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import { graphClientState } from '@crm-sync/providers';
import { CookieJar, freePort, waitFor, type AppProcess } from '@crm-sync/testing';
import { startThreeApps } from '../test/threeApps';

// Issue 20: provider notices end to end. connect-api, the worker and the scheduler run as processes; the sandbox
// signs and delivers each notice as its provider does. A revocation notice ends with the credentials deleted; a Graph
// `missed` and a HubSpot change end with a round run by the worker; forged notices change nothing.
const SECRET = 'e2e-service-secret-0123456789abcdef';

let h: ConnectionsHarness;
const apps: AppProcess[] = [];
let baseUrl: string;

beforeAll(async () => {
  h = await createConnectionsHarness();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const caFile = join(mkdtempSync(join(tmpdir(), 'crm-sync-e2e-')), 'ca.pem');
  writeFileSync(caFile, h.sandbox.caPem);
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: h.db.url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: h.redis.url,
    WORKER_QUEUE_PREFIX: `${h.redis.prefix}e2e`,
    VAULT_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
    SERVICE_TOKENS: `crm:${SECRET}:*`,
    PUBLIC_BASE_URL: baseUrl,
    CONNECT_API_PORT: String(port),
    CONNECT_API_OPS_PORT: '0',
    ALLOWED_REDIRECT_ORIGINS: 'https://crm.example.com',
    PROVIDER_MODE: 'sandbox',
    SANDBOX_HTTP_URL: h.sandbox.urls.google,
    SANDBOX_HTTPS_URL: h.sandbox.urls.microsoft,
    SANDBOX_CA_FILE: caFile,
    WORKER_HTTP_PORT: '0',
    SCHEDULER_HTTP_PORT: '0',
    SCHEDULER_TICK_MS: '200',
    SYNC_SLICE_MS: '2000',
  };
  apps.push(...(await startThreeApps(env)));
}, 180_000);

jest.setTimeout(180_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await h.close();
});

type Provider = 'google' | 'microsoft' | 'hubspot';
const query = <T>(sql: string, params: unknown[]) => h.db.dataSource.query(sql, params) as Promise<T[]>;

/** Connects a new sandbox account through connect-api (consent in a browser), as a CRM user would. */
async function connect(provider: Provider, email: string, resources: string[]) {
  const account = h.sandbox.control.createAccount({ provider, email, sizes: { messages: 5, contacts: 5 } });
  h.sandbox.control.setAuthorize(provider, { defaultLoginEmail: email });
  const started = await fetch(`${baseUrl}/v1/connect/${provider}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      tenantId: 't1',
      crmUserId: email,
      resources,
      redirectUrl: 'https://crm.example.com/done',
      loginHint: email,
    }),
  });
  expect(started.status).toBe(201);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  // Microsoft's consent page is on the sandbox's https origin (its own certificate).
  const consent = await h.trustingFetch(opened.headers.get('location')!, { redirect: 'manual' });
  expect((await browser.fetch(consent.headers.get('location')!)).status).toBe(302);
  const [row] = await query<{ id: string }>(`SELECT id FROM connections WHERE email = $1`, [email]);
  return { connectionId: row!.id, accountId: account.id };
}

const state = async (connectionId: string) =>
  (
    await query<{ status: string; credentials: number; rounds: number }>(
      `SELECT c.status, (SELECT count(*)::int FROM credentials WHERE connection_id = c.id) AS credentials,
              (SELECT count(*)::int FROM sync_states WHERE connection_id = c.id AND last_success_at IS NOT NULL)
                AS rounds
         FROM connections c WHERE c.id = $1`,
      [connectionId],
    )
  )[0]!;

/**
 * Every resource of the connection has finished a round and none is running: a sync requested while a round runs
 * would be folded into it (the job id dedupes), and a test adding an item mid-round could not tell which saw it.
 */
const settled = async (connectionId: string) =>
  (
    await query<{ idle: boolean }>(
      `SELECT bool_and(status <> 'running' AND last_success_at IS NOT NULL) AS idle
         FROM sync_states WHERE connection_id = $1 AND enabled`,
      [connectionId],
    )
  )[0]?.idle === true;

/**
 * Waits for the first rounds of the connections: a revocation at the sandbox also refuses their access tokens, and a
 * round still running then would end the connection as needs_reauth (its refresh refused) before the notice came.
 */
const firstRoundsDone = async (...connections: Array<{ connectionId: string }>) => {
  for (const { connectionId } of connections)
    await waitFor(() => settled(connectionId), { what: 'the first rounds', timeoutMs: 60_000 });
};

const emit = (provider: Provider, accountId: string, op: string, body: object) =>
  h.sandbox.control.providerOp(provider, accountId, op, body) as Promise<{ status: number }>;

/** Rows of a table for the connection, to see a round land an item added at the provider. */
const rows = async (table: string, connectionId: string) =>
  (
    await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE connection_id = $1`, [
      connectionId,
    ])
  )[0]!.n;

it('Google RISC: tokens-revoked and account-disabled delete the credentials; a forged token changes nothing', async () => {
  const url = `${baseUrl}/v1/webhooks/google/risc`;
  const revoked = await connect('google', 'risc-e2e-1@example.com', ['contacts']);
  const disabled = await connect('google', 'risc-e2e-2@example.com', ['contacts']);
  const bystander = await connect('google', 'risc-e2e-3@example.com', ['contacts']);
  await firstRoundsDone(revoked, disabled, bystander);
  expect((await state(revoked.connectionId)).credentials).toBe(1);

  expect(
    (await emit('google', bystander.accountId, 'risc', { url, event: 'tokens-revoked', signWith: 'foreign' }))
      .status,
  ).toBe(400);
  expect((await emit('google', revoked.accountId, 'risc', { url, event: 'tokens-revoked' })).status).toBe(
    202,
  );
  expect(
    (
      await emit('google', disabled.accountId, 'risc', {
        url,
        event: 'account-disabled',
        reason: 'hijacking',
      })
    ).status,
  ).toBe(202);
  for (const { connectionId } of [revoked, disabled]) {
    await waitFor(async () => (await state(connectionId)).credentials === 0, {
      what: 'the credentials deleted',
      timeoutMs: 30_000,
    });
    expect((await state(connectionId)).status).toBe('revoked');
  }
  const audit = await query<{ type: string; actor: string }>(
    `SELECT type, actor FROM audit_events WHERE connection_id = $1 AND type = 'token_revoked'`,
    [revoked.connectionId],
  );
  expect(audit).toEqual([{ type: 'token_revoked', actor: 'provider' }]);
  // The forged revocation reached nobody: the bystander's grant still works and its tokens are kept.
  expect(await state(bystander.connectionId)).toMatchObject({ status: 'active', credentials: 1 });
});

it('Google RISC: token-revoked finds the connection by its refresh token, by prefix or by double hash', async () => {
  const url = `${baseUrl}/v1/webhooks/google/risc`;
  const byPrefix = await connect('google', 'risc-e2e-token-1@example.com', ['contacts']);
  const byHash = await connect('google', 'risc-e2e-token-2@example.com', ['contacts']);
  const bystander = await connect('google', 'risc-e2e-token-3@example.com', ['contacts']);
  await firstRoundsDone(byPrefix, byHash, bystander);
  for (const [{ accountId }, tokenIdentifier] of [
    [byPrefix, 'prefix'],
    [byHash, 'hash_base64_sha512_sha512'],
  ] as const) {
    expect(
      (await emit('google', accountId, 'risc', { url, event: 'token-revoked', tokenIdentifier })).status,
    ).toBe(202);
  }
  for (const { connectionId } of [byPrefix, byHash]) {
    await waitFor(async () => (await state(connectionId)).credentials === 0, {
      what: 'the credentials deleted',
      timeoutMs: 30_000,
    });
    expect((await state(connectionId)).status).toBe('revoked');
  }
  expect(await state(bystander.connectionId)).toMatchObject({ status: 'active', credentials: 1 });
});

it('Graph lifecycle: missed runs an incremental round through the worker', async () => {
  const { connectionId, accountId } = await connect('microsoft', 'graph-e2e@example.com', ['mail']);
  await waitFor(async () => (await rows('emails', connectionId)) === 5 && (await settled(connectionId)), {
    what: 'the first round',
    timeoutMs: 60_000,
  });
  h.sandbox.control.addItem('microsoft', accountId, 'messages', { subject: 'missed by push' });
  const sent = await emit('microsoft', accountId, 'lifecycle', {
    url: `${baseUrl}/v1/webhooks/microsoft/lifecycle`,
    lifecycleEvent: 'missed',
    clientState: graphClientState(DEFAULT_CLIENT.clientSecret, connectionId),
  });
  expect(sent).toMatchObject({ validated: true, status: 202 });
  await waitFor(async () => (await rows('emails', connectionId)) === 6, {
    what: 'the round the missed notice asked for',
    timeoutMs: 60_000,
  });
});

it('HubSpot: a signed webhook runs a round; one signed with another secret changes nothing', async () => {
  const { connectionId, accountId } = await connect('hubspot', 'hubspot-e2e@example.com', ['contacts']);
  await waitFor(
    async () => (await rows('crm_objects', connectionId)) === 5 && (await settled(connectionId)),
    {
      what: 'the first round',
      timeoutMs: 60_000,
    },
  );
  h.sandbox.control.addItem('hubspot', accountId, 'contacts');
  const url = `${baseUrl}/v1/webhooks/hubspot`;
  const events = [{ subscriptionType: 'contact.creation' }];
  expect(
    (await emit('hubspot', accountId, 'webhook', { url, events, signWithSecret: 'forged' })).status,
  ).toBe(401);
  expect((await emit('hubspot', accountId, 'webhook', { url, events })).status).toBe(204);
  await waitFor(async () => (await rows('crm_objects', connectionId)) === 6, {
    what: 'the round the webhook asked for',
    timeoutMs: 60_000,
  });
});
