import { relayOutbox } from '@crm-sync/outbox';
import type { Provider, ProviderAdapter } from '@crm-sync/core';
import { createTestDatabase, createTestRedis } from '@crm-sync/testing';
import { DEFAULT_CLIENT, startSandbox, type RunningSandbox } from '@crm-sync/provider-sandbox';
import { createAdapterRegistry, sandboxEndpoints, trustCertificate } from '@crm-sync/providers';
import { createRedisConnection, JobProducer } from '@crm-sync/queue';
import { CredentialStore, KeyRing } from '@crm-sync/vault';
import { randomBytes } from 'node:crypto';
import type { ConnectionsDeps } from '../src/deps';
import { ConnectionGenerations } from '../src/generations';
import { OAuthStateStore } from '../src/stateStore';
import { testContentKeys } from './openRows';

/** Where the sandbox's default client may send the browser back to (any loopback URL is accepted). */
export const HARNESS_REDIRECT_URI = 'http://127.0.0.1:9/v1/oauth/callback';

/** An OAuth client's credentials at the sandbox (its registration is the sandbox's business). */
export interface HarnessClient {
  clientId: string;
  clientSecret: string;
}

/** Adapters for all three providers, pointed at a running sandbox: the same code as production, other URLs. */
export function sandboxAdapters(
  sandbox: RunningSandbox,
  redirectUriFor: (provider: Provider) => string,
  trustingFetch: typeof fetch,
  client: HarnessClient = { clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret },
  gmailPushTopic?: string,
): ReadonlyMap<Provider, ProviderAdapter> {
  const endpoints = sandboxEndpoints({ httpUrl: sandbox.urls.google, httpsUrl: sandbox.urls.microsoft });
  return createAdapterRegistry({
    google: {
      ...client,
      redirectUri: redirectUriFor('google'),
      fetch,
      endpoints: endpoints.google,
      ...(gmailPushTopic && { gmailPushTopic }),
    },
    microsoft: {
      ...client,
      redirectUri: redirectUriFor('microsoft'),
      fetch: trustingFetch,
      endpoints: endpoints.microsoft,
    },
    hubspot: { ...client, redirectUri: redirectUriFor('hubspot'), endpoints: endpoints.hubspot },
  });
}

export interface ConnectionsHarness {
  deps: ConnectionsDeps;
  sandbox: RunningSandbox;
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  redis: Awaited<ReturnType<typeof createTestRedis>>;
  keyRing: KeyRing;
  queuePrefix: string;
  /** Fetch, the process trusting the sandbox's certificate (Microsoft's consent is on its https origin). */
  trustingFetch: typeof fetch;
  /** Hands every event waiting in the outbox to its queue, as the scheduler's relay does. */
  relay(): Promise<void>;
  close(): Promise<void>;
}

/** A real database, Redis prefix and provider sandbox, wired the way connect-api wires them. */
export async function createConnectionsHarness(
  options: {
    redirectUriFor?: (provider: Provider) => string;
    stateTtlSeconds?: number;
    /** Credentials of a client the test registers at the sandbox; default: the sandbox's default client. */
    client?: HarnessClient;
    /** The Pub/Sub topic Google adapters watch mailboxes on (Gmail push); unset, mail is not pushed. */
    gmailPushTopic?: string;
  } = {},
): Promise<ConnectionsHarness> {
  const [db, redis, sandbox] = await Promise.all([createTestDatabase(), createTestRedis(), startSandbox()]);
  trustCertificate(sandbox.caPem);
  const trustingFetch = fetch;
  const keyRing = new KeyRing({ activeKeyId: 'test', keys: { test: randomBytes(32) } });
  const connection = createRedisConnection({ url: redis.url, role: 'producer' });
  const producer = new JobProducer({ connection, prefix: redis.prefix });
  const deps: ConnectionsDeps = {
    db: db.dataSource,
    credentials: new CredentialStore({ db: db.dataSource, keyRing }),
    states: new OAuthStateStore(redis.redis, {
      keyPrefix: `${redis.prefix}oauth-state:`,
      ttlSeconds: options.stateTtlSeconds,
    }),
    producer,
    generations: new ConnectionGenerations({ redis: redis.redis, keyPrefix: redis.prefix }),
    content: testContentKeys(db.dataSource, keyRing),
    adapters: sandboxAdapters(
      sandbox,
      options.redirectUriFor ?? (() => HARNESS_REDIRECT_URI),
      trustingFetch,
      options.client,
      options.gmailPushTopic,
    ),
  };
  return {
    deps,
    sandbox,
    db,
    redis,
    keyRing,
    queuePrefix: redis.prefix,
    trustingFetch,
    async relay() {
      while ((await relayOutbox({ db: db.dataSource, producer, batchSize: 500 })).relayed > 0);
    },
    async close() {
      await producer.close();
      await connection.quit();
      await Promise.all([sandbox.close(), redis.cleanup(), db.drop()]);
    },
  };
}
