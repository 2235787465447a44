import { CookieJar } from '@crm-sync/testing';
import { CRM_ORIGIN, SERVICE_SECRET, startApp, type AppHarness } from '../test/appHarness';

// docs/connect-flow.md: the flow is bound to the browser that opened the start URL.
let h: AppHarness;
beforeAll(async () => {
  h = await startApp();
  h.sandbox.control.createAccount({ provider: 'google', email: 'bound@example.com' });
});
afterAll(() => h.close());

const connectBody = {
  tenantId: 't1',
  crmUserId: 'u1',
  resources: ['mail'],
  redirectUrl: `${CRM_ORIGIN}/done`,
  loginHint: 'bound@example.com',
};

async function start(): Promise<string> {
  const response = await h.api('/v1/connect/google', { method: 'POST', json: connectBody });
  return ((await response.json()) as { authorizationUrl: string }).authorizationUrl;
}

/** Opens the start URL in `browser` and consents at the sandbox; returns the callback URL. */
async function consentIn(browser: CookieJar, startUrl: string): Promise<URL> {
  const opened = await browser.fetch(startUrl);
  expect(opened.status).toBe(302);
  const atProvider = await fetch(opened.headers.get('location')!, { redirect: 'manual' });
  return new URL(atProvider.headers.get('location')!);
}

const connections = async () =>
  (await h.db.dataSource.query(`SELECT count(*)::int AS n FROM connections`))[0].n as number;

describe('the start URL', () => {
  it('sets the flow cookie on /v1/oauth and sends the browser to the provider, once', async () => {
    const url = await start();
    const browser = new CookieJar();
    const opened = await browser.fetch(url);
    expect(opened.status).toBe(302);
    expect(new URL(opened.headers.get('location')!).origin).toBe(h.sandbox.urls.google);
    const [cookie] = opened.headers.getSetCookie();
    expect(cookie).toMatch(
      /^crm_sync_flow_[\w-]{43}=[\w-]{43}; Max-Age=\d+; Path=\/v1\/oauth; HttpOnly; Secure; SameSite=Lax$/,
    );
    // The cookie is a random key, not the state.
    const state = new URL(opened.headers.get('location')!).searchParams.get('state')!;
    expect(cookie).not.toContain(state);
    const again = await new CookieJar().fetch(url);
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});

describe('a callback from another browser', () => {
  it('without the cookie completes nothing, and burns the state for the right browser too', async () => {
    const browser = new CookieJar();
    const callback = await consentIn(browser, await start());
    const before = await connections();
    const elsewhere = await new CookieJar().fetch(callback);
    expect(elsewhere.status).toBe(400);
    expect(await browser.fetch(callback).then((r) => r.status)).toBe(400);
    expect(await connections()).toBe(before);
  });

  it("with another flow's cookie completes nothing", async () => {
    const victim = new CookieJar();
    const attacker = new CookieJar();
    const victimCallback = await consentIn(victim, await start());
    await consentIn(attacker, await start());
    const before = await connections();
    expect((await attacker.fetch(victimCallback)).status).toBe(400);
    expect(await connections()).toBe(before);
  });
});

describe('hostile input is a 4xx problem document and changes nothing', () => {
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${h.baseUrl}/v1/connect/google`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_SECRET}`, 'content-type': contentType },
      body,
    });

  it.each([
    ['a NUL in crmUserId', JSON.stringify({ ...connectBody, crmUserId: 'u\u0000' }), 400, 'invalid_request'],
    [
      'a control character',
      JSON.stringify({ ...connectBody, crmUserId: 'u\u001b[2J' }),
      400,
      'invalid_request',
    ],
    ['a lone surrogate', JSON.stringify({ ...connectBody, crmUserId: 'u\ud800' }), 400, 'invalid_request'],
    [
      'an oversize crmUserId',
      JSON.stringify({ ...connectBody, crmUserId: 'u'.repeat(201) }),
      400,
      'invalid_request',
    ],
    [
      'duplicate resources',
      JSON.stringify({ ...connectBody, resources: ['mail', 'mail'] }),
      400,
      'invalid_request',
    ],
    [
      'a NUL in redirectUrl',
      JSON.stringify({ ...connectBody, redirectUrl: `${CRM_ORIGIN}/\u0000` }),
      400,
      'invalid_request',
    ],
  ])('%s', async (_label, body, status, code) => {
    const before = await connections();
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toMatchObject({ status, code });
    expect(await connections()).toBe(before);
  });

  it('bad UTF-8 in the body', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"tenantId":"t1","crmUserId":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const response = await fetch(`${h.baseUrl}/v1/connect/google`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_SECRET}`, 'content-type': 'application/json' },
      body: bytes,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_encoding' });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'a %s body',
    async (contentType) => {
      const response = await post(JSON.stringify(connectBody), contentType);
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ code: 'unsupported_media_type' });
    },
  );

  it('duplicate resources in a sync request', async () => {
    const response = await h.api('/v1/connections/00000000-0000-4000-8000-000000000000/sync', {
      method: 'POST',
      json: { tenantId: 't1', resources: ['mail', 'mail'] },
    });
    expect(response.status).toBe(400);
  });

  it('a NUL in a query filter', async () => {
    const response = await h.api(`/v1/connections?tenantId=t1&crmUserId=${encodeURIComponent('a\u0000b')}`);
    expect(response.status).toBe(400);
  });
});
