import { CookieJar } from '@crm-sync/testing';
import { CRM_ORIGIN, SECRET, startConnectApi, type ConnectApiProcess } from '../test/connectApi';

// Issue 17 (docs/connect-flow.md): ownership never moves, flows are bound to the browser, hostile input is a 4xx.
let c: ConnectApiProcess;
beforeAll(async () => {
  c = await startConnectApi();
}, 60_000);
afterAll(() => c.close());

const query = <T>(sql: string, params: unknown[] = []) => c.h.db.dataSource.query<T[]>(sql, params);

/** A CRM user's browser: asks connect-api for a flow, opens it, consents as `email` at the sandbox. */
async function consent(crmUserId: string, email: string, browser = new CookieJar(), tenantId = 't1') {
  const started = await c.api('/v1/connect/google', {
    json: { tenantId, crmUserId, resources: ['mail'], redirectUrl: `${CRM_ORIGIN}/done`, loginHint: email },
  });
  expect(started.status).toBe(201);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const opened = await browser.fetch(authorizationUrl);
  const atProvider = await fetch(opened.headers.get('location')!, { redirect: 'manual' });
  return new URL(atProvider.headers.get('location')!);
}

/** Follows the callback in `browser`; returns the status and, for a redirect, the CRM URL's query. */
async function callBack(browser: CookieJar, callback: URL) {
  const response = await browser.fetch(callback);
  const location = response.headers.get('location');
  return { status: response.status, query: location ? new URL(location).searchParams : null };
}

const revokesAtSandbox = () =>
  c.h.sandbox.control
    .counters()
    .filter((e) => e.provider === 'google' && e.route === 'oauth.revoke' && e.status === 200)
    .reduce((n, e) => n + e.count, 0);

const everything = async (connectionId: string) => ({
  connection: await query(`SELECT * FROM connections WHERE id = $1`, [connectionId]),
  credentials: await query(`SELECT * FROM credentials WHERE connection_id = $1`, [connectionId]),
  states: await query(`SELECT * FROM sync_states WHERE connection_id = $1 ORDER BY resource`, [connectionId]),
  connections: await query(`SELECT id FROM connections ORDER BY id`),
});

it.each([
  ['another user of the same tenant', 't1'],
  ['a user of another tenant', 't2'],
])(
  'refuses a takeover by %s: owner, rows and credentials unchanged, new grant revoked',
  async (_l, tenant) => {
    const email = `shared-${tenant}@example.com`;
    c.h.sandbox.control.createAccount({ provider: 'google', email });
    const owner = new CookieJar();
    const first = await callBack(owner, await consent('owner', email, owner));
    expect(first.query?.get('status')).toBe('connected');
    const connectionId = first.query!.get('connectionId')!;
    const before = await everything(connectionId);
    const revokes = revokesAtSandbox();

    const mallory = new CookieJar();
    const attempt = await callBack(mallory, await consent('mallory', email, mallory, tenant));

    expect(attempt.status).toBe(302);
    expect(attempt.query?.get('status')).toBe('error');
    expect(attempt.query?.get('error')).toBe('account_already_connected');
    expect(attempt.query?.has('connectionId')).toBe(false);
    expect(await everything(connectionId)).toEqual(before);
    expect(revokesAtSandbox()).toBe(revokes + 1);
    expect(
      await query(
        `SELECT tenant_id, actor FROM audit_events WHERE type = 'takeover_refused' AND tenant_id = $1`,
        [tenant],
      ),
    ).toEqual([{ tenant_id: tenant, actor: 'user:mallory' }]);
  },
);

it('completes nothing when a flow started in one browser is finished in another', async () => {
  c.h.sandbox.control.createAccount({ provider: 'google', email: 'forwarded@example.com' });
  const attacker = new CookieJar();
  const callback = await consent('attacker', 'forwarded@example.com', attacker);
  const [before] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM connections`);
  const victim = new CookieJar();
  expect((await callBack(victim, callback)).status).toBe(400);
  // The state was spent by that attempt: not even the browser that started the flow can use it now.
  expect((await callBack(attacker, callback)).status).toBe(400);
  expect(await query(`SELECT count(*)::int AS n FROM connections`)).toEqual([before]);
});

describe('edge cases answered with a 4xx problem document', () => {
  const body = { tenantId: 't1', crmUserId: 'u1', resources: ['mail'], redirectUrl: `${CRM_ORIGIN}/done` };
  const send = (payload: string | Buffer, contentType = 'application/json') =>
    fetch(`${c.baseUrl}/v1/connect/google`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': contentType },
      body: payload,
    });

  it.each([
    ['NUL in a string', JSON.stringify({ ...body, crmUserId: 'a\u0000b' }), 'application/json', 400],
    ['a control character', JSON.stringify({ ...body, crmUserId: 'a\u0007' }), 'application/json', 400],
    [
      'duplicate resources',
      JSON.stringify({ ...body, resources: ['mail', 'mail'] }),
      'application/json',
      400,
    ],
    ['an oversize value', JSON.stringify({ ...body, crmUserId: 'x'.repeat(5_000) }), 'application/json', 400],
    ['an oversize body', JSON.stringify({ ...body, pad: 'x'.repeat(100_000) }), 'application/json', 413],
    ['bad UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'application/json', 400],
    ['a text/plain body', JSON.stringify(body), 'text/plain', 415],
    ['a form body', 'tenantId=t1', 'application/x-www-form-urlencoded', 415],
  ] as const)('%s', async (_label, payload, contentType, status) => {
    const response = await send(payload, contentType);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
    expect(problem.status).toBe(status);
  });
});
