import { randomBytes, randomUUID } from 'node:crypto';
import {
  ClassifiedProviderError,
  pushSecretDigest,
  type Provider,
  type ProviderAdapter,
  type Resource,
  type ResourcePush,
} from '@crm-sync/core';
import { syncStates } from '@crm-sync/sync-states';
import type { DataSource } from 'typeorm';
import {
  claimToOpen,
  claimUpkeep,
  heldAtProvider,
  recordFailure,
  recordOpened,
  type PushChannelRow,
} from './channels';

export interface PushKeeperOptions {
  /** Channels are asked for at most this long (the provider's maximum caps it). */
  lifetimeMs: number;
  /** A channel is renewed once it expires within this. */
  renewBeforeMs: number;
  /** How long a worker holds a channel row for one provider call. */
  leaseMs: number;
  /** Rows claimed per pass, for opening and for upkeep each. */
  batchSize: number;
  /** First wait after a failed open or renewal; doubles per failure up to `maxRetryMs`. */
  retryBaseMs: number;
  maxRetryMs: number;
}

export interface PushKeeperDeps {
  db: DataSource;
  adapters: ReadonlyMap<Provider, ProviderAdapter>;
  /** A current access token of the connection (the worker's AccessTokens). */
  accessToken: (connectionId: string, adapter: ProviderAdapter) => Promise<string>;
  /** Our receivers, per provider: change notices and (Graph) lifecycle notices. */
  receivers: (provider: Provider) => { notificationUrl: string; lifecycleUrl: string };
  options: PushKeeperOptions;
  now?: () => Date;
  /** Told about each failure by reason (a classification, never a secret), for logs and metrics. */
  onFailure?: (row: Pick<PushChannelRow, 'connectionId' | 'provider' | 'resource'>, reason: string) => void;
}

/** What one pass did. */
export interface KeeperPass {
  opened: number;
  renewed: number;
  failed: number;
}

/**
 * Opens, renews and reauthorizes push channels (docs/push.md): a resource that push could cover gets a channel
 * once its first round is done; a channel is renewed before it expires (reopened where the provider cannot extend
 * one), reauthorized when the provider asks; a failure is retried with backoff and, meanwhile, the resource is
 * polled at its normal interval (`push_until` cleared). Provider-neutral: each adapter's `push` does the calls.
 */
export class PushKeeper {
  constructor(private readonly deps: PushKeeperDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private pushFor(provider: Provider, resource: Resource): ResourcePush | undefined {
    return this.deps.adapters.get(provider)?.push?.[resource];
  }

  async pass(): Promise<KeeperPass> {
    const { db, options } = this.deps;
    const pushable = [...this.deps.adapters].flatMap(([provider, adapter]) =>
      (Object.keys(adapter.push ?? {}) as Resource[]).map((resource) => ({ provider, resource })),
    );
    const result: KeeperPass = { opened: 0, renewed: 0, failed: 0 };
    const fresh = await claimToOpen(db, pushable, options.batchSize, options.leaseMs);
    const upkeep = await claimUpkeep(db, options.renewBeforeMs, options.batchSize, options.leaseMs);
    for (const row of [...fresh, ...upkeep]) {
      const done = await this.keep(row);
      result[done] += 1;
    }
    return result;
  }

  private async keep(row: PushChannelRow): Promise<keyof KeeperPass> {
    const push = this.pushFor(row.provider, row.resource);
    const adapter = this.deps.adapters.get(row.provider);
    if (!push || !adapter) return this.fail(row, 'provider or resource no longer pushable');
    try {
      const token = await this.deps.accessToken(row.connectionId, adapter);
      const opened = row.status !== 'active' || !heldAtProvider(row);
      if (opened || !push.renew) {
        await this.open(row, push, token);
        return 'opened';
      }
      if (row.renewWanted && push.reauthorize) await push.reauthorize(token, row);
      const { expiresAt } = await push.renew(token, row, this.expiry(push));
      // A row gone or stopped meanwhile: its ending stopped the channel or recorded it as lapsing.
      if (await recordOpened(this.deps.db, row.id, { ...row, expiresAt }))
        await syncStates.setPushUntil(this.deps.db, row.connectionId, row.resource, expiresAt);
      return 'renewed';
    } catch (error) {
      return this.fail(row, error instanceof Error ? `${error.name}: ${error.message}` : 'failed');
    }
  }

  /**
   * Opens a new channel. One it replaces where the provider cannot extend channels (Calendar) is then stopped at the
   * provider, so two channels do not push the same changes; a failed stop leaves the old one to expire (its notices
   * name no channel of ours any more) and does not fail the new one. Where the provider renews (Graph, Gmail), a
   * channel is only reopened after its renewal failed: Gmail's new watch replaces the mailbox's old one (stopping that
   * would stop both), and a Graph subscription whose renewal failed is left to expire, as it is likely gone.
   */
  private async open(row: PushChannelRow, push: ResourcePush, accessToken: string): Promise<void> {
    const secret = push.secretFor?.(row.connectionId) ?? randomBytes(32).toString('base64url');
    const opened = await push.open({
      accessToken,
      ...this.deps.receivers(row.provider),
      secret,
      expiresAt: this.expiry(push),
      channelId: randomUUID(),
    });
    if (!(await recordOpened(this.deps.db, row.id, { ...opened, secretDigest: pushSecretDigest(secret) }))) {
      // The connection ended, or its disconnect stopped its channels, while the provider opened this one: no row
      // names it, so nothing else would ever stop it.
      await this.stopQuietly(push, accessToken, { ...row, ...opened }, 'channel of an ended connection');
      return;
    }
    await syncStates.setPushUntil(this.deps.db, row.connectionId, row.resource, opened.expiresAt);
    if (!heldAtProvider(row) || push.renew) return;
    await this.stopQuietly(push, accessToken, row, 'replaced channel');
  }

  /** Best effort: a channel the provider fails to stop lapses at its expiry (its notices name no channel of ours). */
  private async stopQuietly(
    push: ResourcePush,
    accessToken: string,
    row: PushChannelRow,
    what: string,
  ): Promise<void> {
    try {
      await push.stop(accessToken, row);
    } catch (error) {
      if (!(error instanceof ClassifiedProviderError)) throw error;
      this.deps.onFailure?.(row, `${what} not stopped: ${error.message}`);
    }
  }

  private expiry(push: ResourcePush): Date {
    return new Date(this.now().getTime() + Math.min(push.maxLifetimeMs, this.deps.options.lifetimeMs));
  }

  private async fail(row: PushChannelRow, reason: string): Promise<'failed'> {
    const { retryBaseMs, maxRetryMs } = this.deps.options;
    const wait = Math.min(maxRetryMs, retryBaseMs * 2 ** Math.min(row.failures, 20));
    await recordFailure(this.deps.db, row.id, reason, new Date(this.now().getTime() + wait));
    // Until it works again the resource is polled at its normal interval.
    await syncStates.setPushUntil(this.deps.db, row.connectionId, row.resource, null);
    this.deps.onFailure?.(row, reason);
    return 'failed';
  }
}
