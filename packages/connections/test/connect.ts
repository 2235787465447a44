import { RESOURCES_BY_PROVIDER, type Provider, type Resource, type WriteResource } from '@crm-sync/core';
import type { Account, AccountSpec } from '@crm-sync/provider-sandbox';
import { completeConnect, type CallbackParams } from '../src/completeConnect';
import { startConnect, type ConnectRequest } from '../src/startConnect';
import type { ConnectionsHarness } from './harness';

export interface SandboxConnection {
  connectionId: string;
  account: Account;
}

/** A consent played through: the callback's query and the browser that opened the flow. */
export interface Consented {
  params: URLSearchParams;
  flowId: string;
  browserKey: string;
  /** The callback's parameters as the route would pass them, with this browser's cookie. */
  callback(): CallbackParams;
}

/**
 * Plays the browser: starts a connect, opens the flow (what GET /v1/connect/start does) and follows the consent
 * URL at the sandbox; returns the callback's query without calling back.
 */
export async function consentInBrowser(h: ConnectionsHarness, request: ConnectRequest): Promise<Consented> {
  const { flowId } = await startConnect(h.deps, request);
  const opened = await h.deps.states.openFlow(flowId);
  if (!opened) throw new Error('flow did not open');
  const send = request.provider === 'microsoft' ? h.trustingFetch : fetch;
  const consent = await send(opened.authorizationUrl, { redirect: 'manual' });
  await consent.body?.cancel();
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`sandbox consent answered ${consent.status}`);
  const params = new URL(location).searchParams;
  return {
    params,
    flowId,
    browserKey: opened.browserKey,
    callback: () => ({
      provider: request.provider,
      state: params.get('state') ?? undefined,
      code: params.get('code') ?? undefined,
      error: params.get('error') ?? undefined,
      browserKeyFor: (id) => (id === flowId ? opened.browserKey : undefined),
    }),
  };
}

/** Creates a sandbox account and connects it through the real OAuth flow (consent, callback, persist). */
export async function connectSandboxAccount(
  h: ConnectionsHarness,
  spec: AccountSpec & {
    provider: Provider;
    resources?: Resource[];
    writes?: WriteResource[];
    tenantId?: string;
    crmUserId?: string;
  },
): Promise<SandboxConnection> {
  const account = h.sandbox.control.createAccount(spec);
  // HubSpot's consent ignores login_hint (the user picks an account in its UI): name the account here.
  h.sandbox.control.setAuthorize(spec.provider, { defaultLoginEmail: spec.email });
  const consented = await consentInBrowser(h, {
    provider: spec.provider,
    tenantId: spec.tenantId ?? 't1',
    crmUserId: spec.crmUserId ?? `u-${account.id}`,
    resources: spec.resources ?? [...RESOURCES_BY_PROVIDER[spec.provider]],
    ...(spec.writes ? { writes: spec.writes } : {}),
    redirectUrl: 'https://crm.example.com/done',
    loginHint: spec.email,
  });
  const outcome = await completeConnect(h.deps, consented.callback());
  if (outcome.kind !== 'connected') throw new Error(`connect failed: ${outcome.kind}`);
  return { connectionId: outcome.connectionId, account };
}
