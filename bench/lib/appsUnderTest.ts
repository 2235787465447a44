// What the benches that run crm-sync's apps as processes against the in-process sandbox share (bench:proxy, read,
// drive, revocation, push): the sandbox's CA in a temporary file, a vault key for the processes, connect-api's port,
// and the apps' environment.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVaultKeys } from '@crm-sync/config';
import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { freePort, startAppProcess, type AppFolder, type AppProcess } from '@crm-sync/testing';
import { CredentialStore, KeyRing } from '@crm-sync/vault';

export interface AppsUnderTest {
  readonly h: ConnectionsHarness;
  /** `VAULT_KEYS` of the processes (its own key, so they open only what the bench sealed for them). */
  readonly vaultKeys: string;
  readonly port: number;
  /** connect-api's address. */
  readonly baseUrl: string;
  /** The processes' environment: the harness's Postgres and Redis, the sandbox as every provider, then `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Seals a connection's tokens again under the processes' key, so they open them like their own. */
  reseal(connectionId: string): Promise<void>;
  /** Starts the apps as processes, logging at info, with the environment `env(extra)`; `close` stops them. */
  start(apps: readonly AppFolder[], extra?: Record<string, string>): Promise<AppProcess[]>;
  /** Stops what `start` started, then the harness. */
  close(): Promise<void>;
}

export async function appsUnderTest(name: string): Promise<AppsUnderTest> {
  const h = await createConnectionsHarness();
  const dir = mkdtempSync(join(tmpdir(), `crm-sync-bench-${name}-`));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, h.sandbox.caPem);
  const vaultKeys = `bench:${randomBytes(32).toString('base64')}`;
  const store = new CredentialStore({
    db: h.db.dataSource,
    keyRing: new KeyRing(parseVaultKeys(vaultKeys, undefined)),
  });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started: AppProcess[] = [];
  const env = (extra: Record<string, string> = {}) => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: h.db.url,
    REDIS_URL: h.redis.url,
    WORKER_QUEUE_PREFIX: `${h.redis.prefix}bench`,
    VAULT_KEYS: vaultKeys,
    PUBLIC_BASE_URL: baseUrl,
    CONNECT_API_PORT: String(port),
    CONNECT_API_OPS_PORT: '0',
    WORKER_HTTP_PORT: '0',
    SCHEDULER_HTTP_PORT: '0',
    PROVIDER_MODE: 'sandbox',
    SANDBOX_HTTP_URL: h.sandbox.urls.google,
    SANDBOX_HTTPS_URL: h.sandbox.urls.microsoft,
    SANDBOX_CA_FILE: caFile,
    ...extra,
  });
  return {
    h,
    vaultKeys,
    port,
    baseUrl,
    env,
    async reseal(connectionId) {
      const stored = (await h.deps.credentials.load(connectionId))!;
      await store.save(connectionId, stored.tokens, stored.expiresAt);
    },
    async start(apps, extra = {}) {
      // BENCH_PROFILE_DIR=/tmp/prof: each app writes a V8 CPU profile there when it stops (bench/README.md).
      const profile = process.env.BENCH_PROFILE_DIR;
      const nodeArgs = (app: AppFolder) =>
        profile ? ['--cpu-prof', `--cpu-prof-dir=${join(profile, app)}`] : [];
      const processes = await Promise.all(
        apps.map((app) =>
          startAppProcess(
            app,
            { ...env(extra), LOG_LEVEL: 'info' },
            { timeoutMs: 120_000, nodeArgs: nodeArgs(app) },
          ),
        ),
      );
      started.push(...processes);
      return processes;
    },
    async close() {
      await Promise.all(started.map((app) => app.stop()));
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
