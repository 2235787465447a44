import { RESOURCES_BY_PROVIDER, type Provider } from '@crm-sync/core';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { CookieJar } from '@crm-sync/testing';
import { CRM_ORIGIN, startApp, type AppHarness } from '../test/appHarness';

let h: AppHarness;
const CONNECTABLE: Provider[] = ['google', 'microsoft', 'hubspot'];
const REDIRECT = `${CRM_ORIGIN}/settings/integrations`;
/** Every string a leak test must never find in logs or responses. */
const secrets = new Set<string>();

beforeAll(async () => {
  h = await startApp();
  for (const provider of CONNECTABLE) {
    h.sandbox.control.createAccount({ provider, email: `grace-${provider}@example.com` });
  }
});
afterAll(() => h.close());

async function startConnect(provider: Provider, body: Record<string, unknown> = {}) {
  return h.api(`/v1/connect/${provider}`, {
    method: 'POST',
    json: {
      tenantId: 't1',
      crmUserId: 'u1',
      resources: [...RESOURCES_BY_PROVIDER[provider]],
      redirectUrl: REDIRECT,
      loginHint: `grace-${provider}@example.com`,
      ...body,
    },
  });
}

/** A flow the browser took to the provider: the callback URL the provider redirects to, and that browser. */
interface Flow {
  callback: URL;
  browser: CookieJar;
}

/** The browser's trip: the start URL connect-api handed out (cookie set there), then the provider's consent. */
async function consent(provider: Provider, body: Record<string, unknown> = {}): Promise<Flow> {
  const started = await startConnect(provider, body);
  expect(started.status).toBe(201);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  expect(authorizationUrl).toMatch(new RegExp(`^${h.baseUrl}/v1/connect/start/[A-Za-z0-9_-]{43}$`));
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  expect(opened.status).toBe(302);
  const send = provider === 'microsoft' ? h.trustingFetch : fetch;
  const atProvider = await send(opened.headers.get('location')!, { redirect: 'manual' });
  await atProvider.body?.cancel();
  const callback = new URL(atProvider.headers.get('location')!);
  for (const key of ['code', 'state']) {
    const value = callback.searchParams.get(key);
    if (value) secrets.add(value);
  }
  return { callback, browser };
}

async function follow(
  flow: Flow | URL,
): Promise<{ status: number; location: URL | null; body: string; setCookie: string[] }> {
  const response =
    flow instanceof URL ? await fetch(flow, { redirect: 'manual' }) : await flow.browser.fetch(flow.callback);
  const location = response.headers.get('location');
  return {
    status: response.status,
    location: location ? new URL(location) : null,
    body: await response.text(),
    setCookie: response.headers.getSetCookie(),
  };
}

const rowCounts = async () =>
  (
    await h.db.dataSource.query(
      `SELECT (SELECT count(*) FROM connections)::int AS c, (SELECT count(*) FROM credentials)::int AS k,
              (SELECT count(*) FROM audit_events)::int AS a`,
    )
  )[0];
const eventCount = async () => {
  await h.relay();
  return (await h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJobCounts('waiting')).waiting;
};

async function leavesNothing(action: () => Promise<void>): Promise<void> {
  const before = [await rowCounts(), await eventCount()];
  await action();
  expect([await rowCounts(), await eventCount()]).toEqual(before);
}

describe.each(CONNECTABLE)('connecting %s over HTTP', (provider) => {
  it('ends with sealed credentials, a visible connection and a connection.connected event', async () => {
    const flow = await consent(provider);
    expect(flow.callback.origin + flow.callback.pathname).toBe(`${h.baseUrl}/v1/oauth/${provider}/callback`);
    const result = await follow(flow);
    expect(result.status).toBe(302);
    expect(result.setCookie).toEqual([
      expect.stringMatching(/^crm_sync_flow_[\w-]{43}=; Max-Age=0; Path=\/v1\/oauth/),
    ]);
    expect(flow.browser.names()).toEqual([]);
    expect(result.location?.origin + result.location!.pathname).toBe(REDIRECT);
    expect(result.location?.searchParams.get('status')).toBe('connected');
    const id = result.location!.searchParams.get('connectionId')!;

    const stored = await h.deps.credentials.load(id);
    secrets.add(stored!.tokens.accessToken);
    secrets.add(stored!.tokens.refreshToken!);

    const view = await h.api(`/v1/connections/${id}?tenantId=t1`);
    expect(view.status).toBe(200);
    const body = await view.text();
    expect(JSON.parse(body)).toMatchObject({
      id,
      provider,
      status: 'active',
      email: `grace-${provider}@example.com`,
    });
    expect(
      JSON.parse(body)
        .sync.map((s: { resource: string }) => s.resource)
        .sort(),
    ).toEqual([...RESOURCES_BY_PROVIDER[provider]].sort());
    for (const secret of secrets) expect(body).not.toContain(secret);

    await h.relay();
    const events = await h.deps.producer.queue(QUEUE_NAMES.connectionEvents).getJobs(['waiting']);
    expect(events.some((e) => e.data.type === 'connection.connected' && e.data.connectionId === id)).toBe(
      true,
    );
  });
});

describe('partial consent over HTTP', () => {
  it('connects and tells the CRM which resources lack scopes', async () => {
    h.sandbox.control.setAuthorize('google', {
      withholdScopes: ['https://www.googleapis.com/auth/contacts.readonly'],
    });
    const flow = await consent('google');
    h.sandbox.control.setAuthorize('google', { withholdScopes: [] });
    const result = await follow(flow);
    expect(result.location?.searchParams.get('status')).toBe('connected');
    expect(result.location?.searchParams.get('missing')).toBe('contacts');
  });
});

describe('callbacks that must not connect anything', () => {
  it('answers a replayed state with a 400 page', async () => {
    const flow = await consent('google');
    expect((await follow(flow)).status).toBe(302);
    await leavesNothing(async () => {
      const replay = await follow(flow);
      expect(replay.status).toBe(400);
      expect(replay.body).toContain('expired or was already used');
      expect(replay.body).not.toContain(flow.callback.searchParams.get('state')!);
    });
  });

  it('answers an unknown state with a 400 page', async () => {
    await leavesNothing(async () => {
      const unknown = await follow(
        new URL(`${h.baseUrl}/v1/oauth/google/callback?state=${'Z'.repeat(43)}&code=x`),
      );
      expect(unknown.status).toBe(400);
    });
  });

  it('sends the user back with access_denied when they decline', async () => {
    h.sandbox.control.setAuthorize('google', { denyNext: 1 });
    const flow = await consent('google');
    await leavesNothing(async () => {
      const result = await follow(flow);
      expect(result.status).toBe(302);
      expect(result.location?.searchParams.get('status')).toBe('error');
      expect(result.location?.searchParams.get('error')).toBe('access_denied');
    });
  });

  it('refuses a code presented with another flow state (PKCE verifier mismatch)', async () => {
    const first = await consent('google');
    const second = await consent('google');
    const crossed = new URL(second.callback);
    crossed.searchParams.set('code', first.callback.searchParams.get('code')!);
    await leavesNothing(async () => {
      const result = await follow({ ...second, callback: crossed });
      expect(result.location?.searchParams.get('error')).toBe('provider_error');
    });
  });

  it('reports a failing provider token endpoint', async () => {
    const flow = await consent('microsoft');
    h.sandbox.control.addFault({
      provider: 'microsoft',
      route: 'identity.token',
      action: { kind: 'status', status: 500 },
      next: 10,
    });
    await leavesNothing(async () => {
      const result = await follow(flow);
      expect(result.location?.searchParams.get('error')).toBe('provider_error');
    });
    h.sandbox.control.clearFaults();
  });
});

describe('bad connect requests', () => {
  it.each([
    ['a missing body field', { crmUserId: undefined }],
    ['an unknown resource', { resources: ['photos'] }],
    ['no resources', { resources: [] }],
    ['an unexpected field', { accessToken: 'x' }],
    ['a resource the provider does not offer', { resources: ['deals'] }],
  ])('rejects %s with 400', async (_label, patch) => {
    await leavesNothing(async () => {
      const response = await startConnect('google', patch);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(((await response.json()) as { code: string }).code).toBe('invalid_request');
    });
  });

  it('refuses a redirect to an origin that is not the CRM', async () => {
    const response = await startConnect('google', { redirectUrl: 'https://evil.example.net/x' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'redirect_not_allowed',
      detail: 'redirectUrl is not on an allowed origin',
    });
  });

  it('refuses an unknown provider', async () => {
    expect((await h.api('/v1/connect/myspace', { method: 'POST', json: {} })).status).toBe(400);
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await startConnect('google', { crmUserId: 'u'.repeat(20_000) });
    expect(response.status).toBe(413);
  });

  it('refuses malformed JSON', async () => {
    const response = await h.api('/v1/connect/google', {
      method: 'POST',
      body: '{"tenantId": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
  });
});

describe('logs of whole connect flows', () => {
  it('contain no token, code, state or client secret', () => {
    const logs = h.logs();
    expect(logs).toContain('connected');
    expect(secrets.size).toBeGreaterThan(4);
    for (const secret of [...secrets, 'sandbox-client-secret']) expect(logs).not.toContain(secret);
  });
});
