import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import type { AccountSpec } from '@crm-sync/provider-sandbox';
import { CookieJar } from '@crm-sync/testing';
import { SECRET } from './connectApi';

/**
 * Connects a new sandbox account through connect-api as a CRM user does (consent in a browser; Microsoft's consent
 * page is on the sandbox's https origin, reached with its certificate trusted). Answers the connection and account ids.
 */
export async function connectThroughApi(
  h: ConnectionsHarness,
  baseUrl: string,
  spec: {
    provider: 'google' | 'microsoft' | 'hubspot';
    email: string;
    resources: string[];
    sizes: AccountSpec['sizes'];
  },
): Promise<{ connectionId: string; accountId: string }> {
  const { provider, email } = spec;
  const account = h.sandbox.control.createAccount({ provider, email, sizes: spec.sizes });
  h.sandbox.control.setAuthorize(provider, { defaultLoginEmail: email });
  const started = await fetch(`${baseUrl}/v1/connect/${provider}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      tenantId: 't1',
      crmUserId: email,
      resources: spec.resources,
      redirectUrl: 'https://crm.example.com/done',
      loginHint: email,
    }),
  });
  if (started.status !== 201) throw new Error(`connect start answered ${started.status}`);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  const consent = await h.trustingFetch(opened.headers.get('location')!, { redirect: 'manual' });
  const done = await browser.fetch(consent.headers.get('location')!);
  if (done.status !== 302) throw new Error(`the callback answered ${done.status}`);
  const [row] = (await h.db.dataSource.query(`SELECT id FROM connections WHERE email = $1`, [
    email,
  ])) as Array<{
    id: string;
  }>;
  return { connectionId: row!.id, accountId: account.id };
}
