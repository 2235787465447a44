import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import { startAppProcess } from '@crm-sync/testing';
import { createContentKeys, CredentialStore, KeyRing, type ContentKeys } from '@crm-sync/vault';

/**
 * What a worker child process needs to share the test's world: its database, Redis prefix, sandbox and a
 * vault key it can read. The harness's key is random and in-memory, so credentials are re-sealed with a key
 * this environment names.
 */
export class ChildWorkerEnv {
  private readonly keyRing: KeyRing;
  readonly env: Record<string, string>;
  /** Opens what the child seals: its data keys are wrapped under the child's vault key. */
  readonly content: ContentKeys;

  constructor(h: ConnectionsHarness, overrides: Record<string, string> = {}) {
    const key = randomBytes(32);
    this.keyRing = new KeyRing({ activeKeyId: 'child', keys: { child: key } });
    const caFile = join(mkdtempSync(join(tmpdir(), 'crm-sync-worker-test-')), 'ca.pem');
    writeFileSync(caFile, h.sandbox.caPem);
    this.env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: h.db.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: h.redis.url,
      VAULT_KEYS: `child:${key.toString('base64')}`,
      PROVIDER_MODE: 'sandbox',
      // The sandbox throttles nobody unless told to; suites sync faster than real per-user limits allow.
      PROVIDER_REQUEST_BUDGET_FACTOR: '1000',
      SANDBOX_HTTP_URL: h.sandbox.urls.google,
      SANDBOX_HTTPS_URL: h.sandbox.urls.microsoft,
      SANDBOX_CA_FILE: caFile,
      WORKER_QUEUE_PREFIX: h.redis.prefix,
      WORKER_HTTP_PORT: '0',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_LOCK_DURATION_MS: '2000',
      ...overrides,
    };
    this.h = h;
    // Only data keys are unwrapped here; the index keys are the harness's and unused for opening.
    this.content = createContentKeys({
      db: h.db.dataSource,
      keyRing: this.keyRing,
      index: { activeKeyId: 'child-index', keys: { 'child-index': randomBytes(32) } },
    });
  }

  private readonly h: ConnectionsHarness;

  /** Re-seals a connection's credentials with the child's key (the harness's store can no longer read them). */
  async handOver(connectionId: string): Promise<void> {
    const stored = await this.h.deps.credentials.load(connectionId);
    if (!stored) throw new Error(`no credentials for ${connectionId}`);
    await new CredentialStore({ db: this.h.db.dataSource, keyRing: this.keyRing }).save(
      connectionId,
      stored.tokens,
      stored.expiresAt,
    );
  }

  /** Starts the worker app as a process and resolves once it logs `ready`. */
  async start(timeoutMs = 30_000): Promise<ChildProcess & { opsPort: number }> {
    const worker = await startAppProcess('worker', this.env, { timeoutMs });
    return Object.assign(worker.child, { opsPort: worker.opsPort ?? 0 });
  }
}
