import { CookieJar } from '@crm-sync/testing';
import { startApp, type AppHarness } from '../test/appHarness';

let h: AppHarness;
beforeAll(async () => {
  h = await startApp({}, { stateTtlSeconds: 1 });
  h.sandbox.control.createAccount({ provider: 'google', email: 'slow@example.com' });
});
afterAll(() => h.close());

it('refuses a callback that arrives after its state expired, storing nothing', async () => {
  const started = await h.api('/v1/connect/google', {
    method: 'POST',
    json: {
      tenantId: 't1',
      crmUserId: 'u1',
      resources: ['mail'],
      redirectUrl: 'https://crm.example.com/back',
      loginHint: 'slow@example.com',
    },
  });
  const { authorizationUrl, expiresInSeconds } = (await started.json()) as {
    authorizationUrl: string;
    expiresInSeconds: number;
  };
  expect(expiresInSeconds).toBe(1);
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  const atProvider = await fetch(opened.headers.get('location')!, { redirect: 'manual' });
  await atProvider.body?.cancel();
  const callback = atProvider.headers.get('location')!;
  // The user lingers on the consent screen past the state's lifetime.
  await new Promise((r) => setTimeout(r, 1_500));
  const result = await browser.fetch(callback);
  expect(result.status).toBe(400);
  expect(await result.text()).toContain('expired or was already used');
  const [{ n }] = await h.db.dataSource.query(`SELECT count(*)::int AS n FROM connections`);
  expect(n).toBe(0);
});
