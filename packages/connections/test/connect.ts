import { RESOURCES_BY_PROVIDER, type Provider, type Resource } from '@crm-sync/core';
import type { Account, AccountSpec } from '@crm-sync/provider-sandbox';
import { completeConnect } from '../src/completeConnect';
import { startConnect } from '../src/startConnect';
import type { ConnectionsHarness } from './harness';

export interface SandboxConnection {
  connectionId: string;
  account: Account;
}

/** Creates a sandbox account and connects it through the real OAuth flow (consent, callback, persist). */
export async function connectSandboxAccount(
  h: ConnectionsHarness,
  spec: AccountSpec & { provider: Provider; resources?: Resource[]; tenantId?: string; crmUserId?: string },
): Promise<SandboxConnection> {
  const account = h.sandbox.control.createAccount(spec);
  // HubSpot's consent ignores login_hint (the user picks an account in its UI): name the account here.
  h.sandbox.control.setAuthorize(spec.provider, { defaultLoginEmail: spec.email });
  const { authorizationUrl } = await startConnect(h.deps, {
    provider: spec.provider,
    tenantId: spec.tenantId ?? 't1',
    crmUserId: spec.crmUserId ?? `u-${account.id}`,
    resources: spec.resources ?? [...RESOURCES_BY_PROVIDER[spec.provider]],
    redirectUrl: 'https://crm.example.com/done',
    loginHint: spec.email,
  });
  const send = spec.provider === 'microsoft' ? h.trustingFetch : fetch;
  const consent = await send(authorizationUrl, { redirect: 'manual' });
  await consent.body?.cancel();
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`sandbox consent answered ${consent.status}`);
  const params = new URL(location).searchParams;
  const outcome = await completeConnect(h.deps, {
    provider: spec.provider,
    state: params.get('state') ?? undefined,
    code: params.get('code') ?? undefined,
  });
  if (outcome.kind !== 'connected') throw new Error(`connect failed: ${outcome.kind}`);
  return { connectionId: outcome.connectionId, account };
}
