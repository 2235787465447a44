import { loadConfig } from '@crm-sync/config';
import { receiptKeySet, type ReceiptSigning } from '@crm-sync/connections';
import {
  createConnectionsHarness,
  testReceiptSigning,
  type ConnectionsHarness,
} from '@crm-sync/connections/testing';
import { createLogger, createMetrics } from '@crm-sync/observability';
import type { FastifyInstance } from 'fastify';
import { PassThrough } from 'node:stream';
import { DEFAULT_CLIENT } from '@crm-sync/provider-sandbox';
import { noticeVerifiersFromConfig, oauthCallbackUrl } from '@crm-sync/providers';
import { AccessTokens, ConnectionThrottle } from '@crm-sync/sync-engine';
import { freePort } from '@crm-sync/testing';
import type { AppContext } from '../src/context';
import { buildServer } from '../src/server';

export const SERVICE_SECRET = 'test-service-secret-0123456789abcdef';
export const T1_ONLY_SECRET = 'tenant-one-only-secret-0123456789abcd';
export const CRM_ORIGIN = 'https://crm.example.com';
/** Gmail push as the harness configures it (docs/push.md): the topic, and whom Pub/Sub's tokens are for. */
export const GMAIL_PUSH = {
  topic: 'projects/crm-sync-test/topics/gmail',
  serviceAccount: 'gmail-push@crm-sync-test.iam.gserviceaccount.com',
  audience: (baseUrl: string) => `${baseUrl}/v1/webhooks/google/pubsub`,
};

export interface AppHarness extends ConnectionsHarness {
  app: FastifyInstance;
  baseUrl: string;
  /** The receipt keys whose public halves the app publishes (a purge run in the test signs with them). */
  signing: ReceiptSigning;
  /** Everything the app logged, as text. */
  logs(): string;
  /** The app's metrics in the Prometheus text format (what the ops port serves). */
  metrics(): Promise<string>;
  /** Calls the API as the all-tenants service. */
  api(path: string, init?: RequestInit & { json?: unknown; secret?: string | null }): Promise<Response>;
}

/** connect-api listening on a free port over a real database, Redis prefix and provider sandbox. */
export async function startApp(
  settings: Partial<AppContext['settings']> = {},
  options: { stateTtlSeconds?: number } = {},
): Promise<AppHarness> {
  // Adapters fix their redirect URI when built, so the port is chosen before the server exists.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const harness = await createConnectionsHarness({
    redirectUriFor: (p) => oauthCallbackUrl(baseUrl, p),
    stateTtlSeconds: options.stateTtlSeconds,
    gmailPushTopic: GMAIL_PUSH.topic,
  });
  const output = new PassThrough();
  let logged = '';
  output.on('data', (chunk: Buffer) => (logged += chunk.toString('utf8')));
  const signing = testReceiptSigning(baseUrl);
  const ctx: AppContext = {
    deps: harness.deps,
    receiptKeys: await receiptKeySet(signing),
    tokens: new AccessTokens({
      credentials: harness.deps.credentials,
      redis: harness.redis.redis,
      keyPrefix: harness.redis.prefix,
      refreshMarginMs: 60_000,
      lockTtlMs: 10_000,
    }),
    throttle: new ConnectionThrottle({
      redis: harness.redis.redis,
      keyPrefix: harness.redis.prefix,
      calloutShare: loadConfig({}).connectApi.calloutShare,
      requestBudgetFactor: 1,
    }),
    // The production verifiers, configured as in sandbox mode (the sandbox's RISC discovery and client).
    notices: {
      verifiers: noticeVerifiersFromConfig({
        endpoints: {
          mode: 'sandbox',
          httpUrl: harness.sandbox.urls.google,
          httpsUrl: harness.sandbox.urls.microsoft,
          caFile: '',
        },
        mailBody: {},
        google: {
          ...DEFAULT_CLIENT,
          testingMode: false,
          gmailPush: {
            topic: GMAIL_PUSH.topic,
            audience: GMAIL_PUSH.audience(baseUrl),
            serviceAccount: GMAIL_PUSH.serviceAccount,
          },
        },
        microsoft: { ...DEFAULT_CLIENT, tenant: 'common' },
        hubspot: DEFAULT_CLIENT,
      }),
    },
    logger: createLogger({ name: 'connect-api-test', level: 'debug', destination: output }),
    metrics: createMetrics({ collectDefaults: false }),
    health: {
      postgres: async () => void (await harness.db.dataSource.query('SELECT 1')),
      redis: async () => void (await harness.redis.redis.ping()),
    },
    redis: harness.redis.redis,
    rateLimitKeyPrefix: `${harness.redis.prefix}rate-limit:`,
    // Every setting's default, then what this harness and the test choose.
    settings: {
      ...loadConfig({}).connectApi,
      publicBaseUrl: baseUrl,
      serviceTokens: [
        { name: 'crm-web', secret: SERVICE_SECRET, tenants: '*' },
        { name: 'tenant-one', secret: T1_ONLY_SECRET, tenants: ['t1'] },
      ],
      allowedRedirectOrigins: [CRM_ORIGIN],
      callbackRateLimitPerMinute: 1_000,
      bodyLimitBytes: 16_384,
      ...settings,
    },
  };
  const app = await buildServer(ctx);
  await app.listen({ host: '127.0.0.1', port });
  return {
    ...harness,
    app,
    baseUrl,
    signing,
    logs: () => logged,
    metrics: () => ctx.metrics.render(),
    api(path, init = {}) {
      const { json, secret = SERVICE_SECRET, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (secret !== null) headers.set('authorization', `Bearer ${secret}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${baseUrl}${path}`, {
        ...rest,
        headers,
        body: json === undefined ? rest.body : JSON.stringify(json),
      });
    },
    async close() {
      await app.close();
      await harness.close();
    },
  };
}
