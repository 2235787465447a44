import { RESOURCES_BY_PROVIDER, type Provider } from '@crm-sync/core';
import { oauthCallbackUrl } from '@crm-sync/providers';
import { completeConnect } from './completeConnect';
import { consentInBrowser, createConnectionsHarness, type ConnectionsHarness } from '../test';

// crm-sync against an OAuth client registered the way an operator registers it, under each provider's own
// redirect rule (docs/providers/*.md#redirect-uris): a Google web client with the exact callback, an Entra app with
// the loopback callback registered without a port, a HubSpot app with the exact callback.

const PUBLIC_BASE_URL = 'http://127.0.0.1:3000';
const client = { clientId: 'crm-sync-registered', clientSecret: 'registered-client-secret-0123' };
const registered = (redirectUris: string[]) =>
  h.sandbox.control.registerClient({
    ...client,
    redirectUris,
    googleClientType: 'web',
    allowLoopbackRedirects: false,
  });
const PROVIDERS: Provider[] = ['google', 'microsoft', 'hubspot'];

let h: ConnectionsHarness;

beforeAll(async () => {
  h = await createConnectionsHarness({ redirectUriFor: (p) => oauthCallbackUrl(PUBLIC_BASE_URL, p), client });
  for (const provider of PROVIDERS) {
    const email = `registered@${provider}.example.com`;
    h.sandbox.control.createAccount({ provider, email });
    h.sandbox.control.setAuthorize(provider, { defaultLoginEmail: email });
  }
});
afterAll(() => h.close());

const consent = (provider: Provider) =>
  consentInBrowser(h, {
    provider,
    tenantId: 't1',
    crmUserId: `u-${provider}`,
    resources: [...RESOURCES_BY_PROVIDER[provider]],
    redirectUrl: 'https://crm.example.com/done',
    loginHint: `registered@${provider}.example.com`,
  });

test.each(PROVIDERS)(
  '%s: the callback crm-sync sends is accepted and the code exchange repeats it',
  async (provider) => {
    registered([
      oauthCallbackUrl(PUBLIC_BASE_URL, 'google'),
      'http://127.0.0.1/v1/oauth/microsoft/callback',
      oauthCallbackUrl(PUBLIC_BASE_URL, 'hubspot'),
    ]);
    const consented = await consent(provider);
    expect(await completeConnect(h.deps, consented.callback())).toMatchObject({ kind: 'connected' });
  },
);

test.each(PROVIDERS)(
  '%s: a callback the registration lacks is refused at the consent, with no redirect',
  async (provider) => {
    registered(PROVIDERS.map((p) => oauthCallbackUrl('http://127.0.0.1:3000/other', p)));
    await expect(consent(provider)).rejects.toThrow('sandbox consent answered 400');
  },
);
