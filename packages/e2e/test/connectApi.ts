import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import type { Provider } from '@crm-sync/core';
import { CookieJar, freePort, startAppProcess, type AppProcess } from '@crm-sync/testing';

export const SECRET = 'e2e-service-secret-0123456789abcdef';
export const CRM_ORIGIN = 'https://crm.example.com';

export interface ConnectApiProcess {
  h: ConnectionsHarness;
  app: AppProcess;
  baseUrl: string;
  /** The prefix every key connect-api writes goes under (`WORKER_QUEUE_PREFIX`). */
  keyPrefix: string;
  /** The environment connect-api runs with, for other apps of the suite. */
  env: Record<string, string>;
  /** Calls the API as the CRM service. */
  api(path: string, init?: { method?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** Calls connect-api at `baseUrl` as the CRM service: JSON when `json` is given, raw bytes when `body` is. */
export function serviceCall(
  baseUrl: string,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.json === undefined && init.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${SECRET}`,
      ...(init.json !== undefined && { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

/**
 * The environment every app of one e2e suite shares: the harness's database, Redis (under its own prefix) and
 * sandbox, connect-api at `port`, and `env` on top.
 */
export function appEnvironment(h: ConnectionsHarness, port: number, env: Record<string, string> = {}) {
  const caFile = join(mkdtempSync(join(tmpdir(), 'crm-sync-e2e-')), 'ca.pem');
  writeFileSync(caFile, h.sandbox.caPem);
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: h.db.url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: h.redis.url,
    WORKER_QUEUE_PREFIX: `${h.redis.prefix}e2e`,
    VAULT_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
    SERVICE_TOKENS: `crm:${SECRET}:*`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    CONNECT_API_PORT: String(port),
    ALLOWED_REDIRECT_ORIGINS: CRM_ORIGIN,
    PROVIDER_MODE: 'sandbox',
    // The sandbox throttles nobody unless a test says so; suites run syncs faster than real per-user limits allow.
    PROVIDER_REQUEST_BUDGET_FACTOR: '1000',
    SANDBOX_HTTP_URL: h.sandbox.urls.google,
    SANDBOX_HTTPS_URL: h.sandbox.urls.microsoft,
    SANDBOX_CA_FILE: caFile,
    ...env,
  };
}

/** connect-api as its own process over a fresh database, Redis prefix and sandbox. */
export async function startConnectApi(
  env: Record<string, string> = {},
  options: { timeoutMs?: number } = {},
): Promise<ConnectApiProcess> {
  const h = await createConnectionsHarness();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const environment = appEnvironment(h, port, env);
  const keyPrefix = environment.WORKER_QUEUE_PREFIX;
  const app = await startAppProcess('connect-api', environment, options);
  return {
    h,
    app,
    baseUrl,
    keyPrefix,
    env: environment,
    api: (path, init) => serviceCall(baseUrl, path, init),
    async close() {
      await app.stop();
      await h.close();
    },
  };
}

/**
 * Connects the sandbox account of `email` through connect-api at `baseUrl` as a CRM user would: the CRM starts the
 * flow, the user's browser consents at the provider (Microsoft's consent page is on the sandbox's https origin, with
 * its own certificate) and comes back. Returns the new connection's id.
 */
export async function connectThroughApi(
  h: ConnectionsHarness,
  baseUrl: string,
  request: { provider: Provider; email: string; resources: string[]; tenantId?: string },
): Promise<string> {
  h.sandbox.control.setAuthorize(request.provider, { defaultLoginEmail: request.email });
  const started = await fetch(`${baseUrl}/v1/connect/${request.provider}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      tenantId: request.tenantId ?? 't1',
      crmUserId: request.email,
      resources: request.resources,
      redirectUrl: `${CRM_ORIGIN}/done`,
      loginHint: request.email,
    }),
  });
  if (started.status !== 201) throw new Error(`connect answered ${started.status}`);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const browser = new CookieJar();
  const opened = await browser.fetch(authorizationUrl);
  const atProvider = await h.trustingFetch(opened.headers.get('location')!, { redirect: 'manual' });
  const done = await browser.fetch(atProvider.headers.get('location')!);
  const connectionId = new URL(done.headers.get('location')!).searchParams.get('connectionId');
  if (!connectionId) throw new Error(`the connect flow ended at ${done.headers.get('location')}`);
  return connectionId;
}
