import { performance } from 'node:perf_hooks';
import { writeAudit } from '@crm-sync/connections';
import {
  ClassifiedProviderError,
  type ProviderAdapter,
  type ProviderErrorClass,
  type ResourceSyncer,
  type SyncPage,
  type SyncPosition,
} from '@crm-sync/core';
import { QUEUE_NAMES } from '@crm-sync/queue';
import { backoffDelayMs, decideFailure } from '../policy/errorPolicy';
import { writePage } from '../records/writePage';
import { revokeConnection } from '../revocation/revokeConnection';
import {
  recordDisabled,
  recordQueued,
  recordRateLimited,
  recordRestartFull,
  recordTransient,
} from '../state/failureStates';
import { advancePosition, roundCounters, type SliceConnection } from '../state/syncStates';
import type { SliceCounts, SliceOutcome, SliceRequest, SyncEngineDeps, SyncEngineOptions } from '../types';

/** `committed`: a page landed; `retry`: fetch the same position again (after a refresh or a reset). */
type Step = SliceOutcome | 'committed' | 'retry';

/** Rolls a page's transaction back when the position moved under it (another worker ran the same resource). */
class PositionMovedError extends Error {
  override name = 'PositionMovedError';
}

/** One slice of one resource: fetch a page, commit it with the position, repeat until caught up or out of time. */
export class SliceRun {
  private readonly counts: SliceCounts = { pages: 0, added: 0, updated: 0, unchanged: 0, deleted: 0 };
  private refreshedForPage = false;
  private restartedFull = false;
  private forceRefresh = false;
  private lastToken: string | undefined;

  constructor(
    private readonly deps: SyncEngineDeps,
    private readonly options: SyncEngineOptions,
    private readonly request: SliceRequest,
    private readonly connection: SliceConnection,
    private readonly adapter: ProviderAdapter,
    private readonly syncer: ResourceSyncer,
    private position: SyncPosition,
  ) {}

  async run(): Promise<SliceOutcome> {
    const started = performance.now();
    for (;;) {
      const step = await this.step();
      if (step === 'retry') continue; // bounded: each retry kind happens once per page or per slice
      if (step !== 'committed') return step;
      // Checked only after a commit, so every slice makes progress however small its budget.
      if (performance.now() - started >= this.request.budgetMs) {
        await recordQueued(this.deps.db, this.connection.id, this.request.resource);
        return { kind: 'more', counts: this.counts };
      }
    }
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async step(): Promise<Step> {
    let page: SyncPage;
    try {
      const accessToken = await this.deps.tokens.get(this.connection.id, this.adapter.oauth, {
        force: this.forceRefresh,
        refused: this.forceRefresh ? this.lastToken : undefined,
      });
      this.forceRefresh = false;
      this.lastToken = accessToken;
      page = await this.syncer.fetchPage({
        accessToken,
        position: this.position,
        now: this.now(),
        initialWindowDays: this.options.initialWindowDays,
      });
    } catch (error) {
      return this.onFailure(this.classify(error));
    }
    return this.commit(page);
  }

  // Syncers throw ClassifiedProviderError; anything else from the provider boundary goes through the adapter's
  // classifier, which knows its client library's errors.
  private classify(error: unknown): ProviderErrorClass {
    if (error instanceof ClassifiedProviderError) return error.classification;
    return this.adapter.classifyError(error);
  }

  private async commit(page: SyncPage): Promise<Step> {
    const from = this.position;
    const to: SyncPosition =
      page.next.kind === 'more'
        ? { ...from, continuation: page.next.continuation }
        : { mode: 'incremental', cursor: page.next.cursor, continuation: null };
    const now = this.now();
    const caughtUp =
      page.next.kind === 'caught_up'
        ? {
            nextSyncAt: new Date(
              now.getTime() +
                this.options.incrementalIntervalMs *
                  (1 + this.options.intervalJitterRatio * (this.deps.random ?? Math.random)()),
            ),
          }
        : null;
    const { connectionId, resource } = { connectionId: this.connection.id, resource: this.request.resource };
    let written;
    try {
      written = await this.deps.db.transaction(async (manager) => {
        const counts = await writePage(
          manager,
          this.syncer.table,
          this.syncer.objectType,
          connectionId,
          page,
        );
        const items = page.upserts.length + page.deletes.length;
        const roundStart = from.continuation === null;
        const advance = { connectionId, resource, from, to, counts, items, roundStart, caughtUp, now };
        if (!(await advancePosition(manager, advance))) throw new PositionMovedError();
        return counts;
      });
    } catch (error) {
      if (error instanceof PositionMovedError)
        return { kind: 'skipped', reason: 'superseded', counts: this.counts };
      throw error;
    }
    this.tally(written);
    this.position = to;
    this.refreshedForPage = false;
    if (!caughtUp) return 'committed';
    await this.announceCompleted(now);
    return { kind: 'caught_up', counts: this.counts };
  }

  private tally(page: { added: number; updated: number; unchanged: number; deleted: number }): void {
    this.counts.pages += 1;
    this.counts.added += page.added;
    this.counts.updated += page.updated;
    this.counts.unchanged += page.unchanged;
    this.counts.deleted += page.deleted;
  }

  /** Tells the CRM a round changed something; quiet rounds (most incremental ones) send nothing. */
  private async announceCompleted(now: Date): Promise<void> {
    const round = await roundCounters(this.deps.db, this.connection.id, this.request.resource);
    const [added, updated, deleted] = [round.added ?? 0, round.updated ?? 0, round.deleted ?? 0].map(Number);
    if (added + updated + deleted === 0) return;
    await this.deps.producer.publish(
      QUEUE_NAMES.crmNotifications,
      {
        type: 'sync.completed',
        tenantId: this.connection.tenantId,
        connectionId: this.connection.id,
        resource: this.request.resource,
        added,
        updated,
        deleted,
      },
      now,
    );
  }

  private async onFailure(error: ProviderErrorClass): Promise<Step> {
    const decision = decideFailure(error, {
      refreshedForPage: this.refreshedForPage,
      restartedFull: this.restartedFull,
    });
    const { db } = this.deps;
    const [id, resource, now, counts] = [this.connection.id, this.request.resource, this.now(), this.counts];
    switch (decision.action) {
      case 'refresh_and_retry':
        this.forceRefresh = true;
        this.refreshedForPage = true;
        return 'retry';
      case 'restart_full':
        await recordRestartFull(db, id, resource, now);
        this.position = { mode: 'full', cursor: null, continuation: null };
        this.restartedFull = true;
        return 'retry';
      case 'wait':
        await recordRateLimited(db, id, resource, new Date(now.getTime() + decision.retryAfterMs));
        return { kind: 'rate_limited', retryAfterMs: decision.retryAfterMs, counts };
      case 'back_off': {
        const delay = (failures: number) =>
          backoffDelayMs(
            failures,
            this.options.backoffBaseMs,
            this.options.backoffMaxMs,
            this.deps.random ?? Math.random,
          );
        const { retryAt } = await recordTransient(db, id, resource, decision.reason, now, delay);
        return { kind: 'transient', reason: decision.reason, retryAt, counts };
      }
      case 'disable':
        await this.disable(decision.reason, now);
        return { kind: 'disabled', reason: decision.reason, counts };
      case 'revoke':
        await revokeConnection(this.deps, {
          connectionId: id,
          resource,
          reason: decision.reason,
          now,
        });
        return { kind: 'auth_revoked', counts };
    }
  }

  private async disable(reason: string, now: Date): Promise<void> {
    await this.deps.db.transaction(async (manager) => {
      await recordDisabled(manager, this.connection.id, this.request.resource, reason, now);
      await writeAudit(manager, {
        connectionId: this.connection.id,
        tenantId: this.connection.tenantId,
        type: 'sync_failed',
        actor: 'system',
        details: { resource: this.request.resource, kind: 'permanent', reason },
      });
    });
  }
}
