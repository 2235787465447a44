import { performance } from 'node:perf_hooks';
import {
  ClassifiedProviderError,
  type ProviderAdapter,
  type ProviderErrorClass,
  type ResourceSyncer,
  type SyncPage,
  type SyncPosition,
} from '@crm-sync/core';
import { syncStates, type SliceConnection } from '@crm-sync/sync-states';
import { backoffDelayMs, decideFailure, rateLimitDelayMs } from '../policy/errorPolicy';
import { mergePages } from '../records/mergePages';
import { writePage, type PageCounts } from '../records/writePage';
import { countedCall } from '../throttle/countedCall';
import { samePosition } from './position';
import {
  type Fetched,
  type FetchedPage,
  GROUP_RECORDS,
  type Group,
  type Prefetched,
  settledGroup,
} from './groups';
import { finishRound } from './roundEnd';
import {
  NO_COUNTS,
  type SliceCounts,
  type SliceOutcome,
  type SliceRequest,
  type SyncEngineDeps,
} from '../types';

const COUNTED = ['added', 'updated', 'unchanged', 'deleted', 'swept', 'sanitized', 'quarantined'] as const;

/** `committed`: a page landed; `retry`: fetch the same position again (after a refresh or a reset). */
type Step = SliceOutcome | 'committed' | 'retry';

/**
 * The connection may not call its provider for `waitMs`: the provider holds it (a 429 seen by the proxy) or the
 * sync's share of its request budget is spent for this window (ConnectionThrottle).
 */
class BudgetWait extends Error {
  override name = 'BudgetWait';
  constructor(readonly waitMs: number) {
    super('the connection may not call its provider yet');
  }
}

/** Rolls a page's transaction back when the position moved under it (another worker ran the same resource). */
class PositionMovedError extends Error {
  override name = 'PositionMovedError';
}

/** One slice of one resource: fetch a page, commit it with the position, repeat until caught up or out of time. */
export class SliceRun {
  private readonly counts: SliceCounts = { ...NO_COUNTS };
  private refreshedForPage = false;
  private restartedFull = false;
  private forceRefresh = false;
  private lastToken: string | undefined;
  /** The next group, gathered while the current one commits (its requests overlap this group's transaction). */
  private prefetched: Prefetched | undefined;
  private started = 0;

  constructor(
    private readonly deps: SyncEngineDeps,
    private readonly request: SliceRequest,
    private readonly connection: SliceConnection,
    private readonly adapter: ProviderAdapter,
    private readonly syncer: ResourceSyncer,
    private position: SyncPosition,
    /** The generation of the round the position belongs to (the next full round's first page writes this + 1). */
    private generation: number,
  ) {}

  async run(): Promise<SliceOutcome> {
    this.started = performance.now();
    try {
      for (;;) {
        const step = await this.step();
        if (step === 'retry') continue; // bounded: each retry kind happens once per page or per slice
        if (step !== 'committed') return step;
        // Checked only after a commit, so every slice makes progress however small its budget.
        if (performance.now() - this.started >= this.request.budgetMs) {
          await syncStates.requeue(this.deps.db, this.connection.id, this.request.resource);
          return { kind: 'more', counts: this.counts };
        }
      }
    } finally {
      this.dropPrefetched();
    }
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async step(): Promise<Step> {
    const group = await this.takeGroup();
    const failure = group.failure?.error;
    if (group.pages.length === 0 && failure instanceof BudgetWait) return this.waitForBudget(failure.waitMs);
    if (group.pages.length === 0) return this.onFailure(this.classify(failure));
    const page = mergePages(group.pages.map((p) => p.page));
    const tookMs = group.pages.reduce((sum, p) => sum + p.tookMs, 0) / group.pages.length;
    if (group.failure) this.prefetched = settledGroup({ pages: [], failure: group.failure });
    else this.prefetchAfter(page, tookMs);
    const step = await this.commit(page);
    if (step !== 'committed') this.dropPrefetched();
    return step;
  }

  /** The group at the current position: the one gathered ahead for it if there is one, else gathered now. */
  private takeGroup(): Promise<Group> {
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    if (prefetched && samePosition(prefetched.position, this.position)) return prefetched.group;
    prefetched?.stop();
    return this.gather(this.position, { stopped: false });
  }

  /**
   * Fetches consecutive pages from a position, up to GROUP_RECORDS items, for one transaction (Graph and HubSpot
   * send pages of 100). A failing fetch ends the group: the pages before it are committed, and the failure is
   * handled at the next step. Stops early when the slice's budget would not fit another page, or when the group
   * is abandoned.
   */
  private async gather(from: SyncPosition, abandon: { stopped: boolean }): Promise<Group> {
    const pages: FetchedPage[] = [];
    let position = from;
    let items = 0;
    for (;;) {
      const fetched = await this.fetch(position);
      if (!fetched.ok) return { pages, failure: { position, error: fetched.error } };
      pages.push(fetched);
      items += fetched.page.upserts.length + fetched.page.deletes.length;
      const next = fetched.page.next;
      if (next.kind !== 'more' || items >= GROUP_RECORDS || abandon.stopped) return { pages };
      const averageMs = pages.reduce((sum, p) => sum + p.tookMs, 0) / pages.length;
      if (performance.now() - this.started + averageMs >= this.request.budgetMs) return { pages };
      position = { ...position, continuation: next.continuation };
    }
  }

  /**
   * Starts gathering the group after this one while this one commits, when another page fits in the budget (the
   * group's average fetch is the estimate): fetching and writing overlap, so a round runs at the pace of the
   * slower of the two rather than their sum. A group gathered ahead is only ever committed after this one, and is
   * dropped if this commit does not happen, so ordering and the position check are unchanged.
   */
  private prefetchAfter(page: SyncPage, tookMs: number): void {
    if (page.next.kind !== 'more') return;
    if (performance.now() - this.started + tookMs >= this.request.budgetMs) return;
    const position = { ...this.position, continuation: page.next.continuation };
    const abandon = { stopped: false };
    this.prefetched = {
      position,
      group: this.gather(position, abandon),
      stop: () => (abandon.stopped = true),
    };
  }

  /** Abandons the group gathered ahead: its fetch in flight settles on its own, and no further page is fetched. */
  private dropPrefetched(): void {
    this.prefetched?.stop();
    this.prefetched = undefined;
  }

  private async fetch(position: SyncPosition): Promise<Fetched> {
    const begun = performance.now();
    try {
      const accessToken = await this.deps.tokens.get(this.connection.id, this.adapter.oauth, {
        force: this.forceRefresh,
        refused: this.forceRefresh ? this.lastToken : undefined,
      });
      this.forceRefresh = false;
      this.lastToken = accessToken;
      const { id } = this.connection;
      const budget = this.adapter.api.requestBudget;
      const admission = await this.deps.throttle.admit(id, 'sync', budget, this.now());
      if (admission.kind !== 'go') return { ok: false, error: new BudgetWait(admission.waitMs) };
      const page = await countedCall(this.deps, id, this.adapter, (tally) =>
        this.syncer.fetchPage({
          accessToken,
          tally,
          position,
          now: this.now(),
          initialWindowDays: this.deps.options.initialWindowDays,
        }),
      );
      return { ok: true, page, tookMs: performance.now() - begun };
    } catch (error) {
      return { ok: false, error };
    }
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
    const caughtUp = page.next.kind === 'caught_up' ? this.nextRounds(now) : null;
    const { connectionId, resource } = { connectionId: this.connection.id, resource: this.request.resource };
    const roundStart = from.continuation === null;
    const generation = roundStart && from.mode === 'full' ? this.generation + 1 : this.generation;
    // Only a completed full round may sweep; one abandoned midway (a reset, a crash) never reaches this page. A round
    // still at generation 0 began before generations existed, so its rows were never marked seen: it sweeps nothing.
    const sweeps = from.mode === 'full' && generation > 0;
    const sweep = page.next.kind === 'caught_up' && sweeps ? { window: page.next.window } : null;
    const { table, objectType } = this.syncer;
    const target = { table, objectType, connectionId, tenantId: this.connection.tenantId, resource };
    let written;
    try {
      written = await this.deps.db.transaction(async (manager) => {
        const counts = await writePage(manager, this.deps.content, target, page, { generation, sweep });
        const items = page.upserts.length + page.deletes.length;
        const advance = {
          connectionId,
          resource,
          from,
          to,
          counts,
          items,
          roundStart,
          generation,
          caughtUp,
          now,
        };
        const advanced = await syncStates.advancePosition(manager, advance);
        if (!advanced) throw new PositionMovedError();
        const place = { connection: this.connection, resource };
        const round = caughtUp ? await finishRound(manager, place, from.mode, now) : null;
        return { counts, round, followUp: advanced.followUp };
      });
    } catch (error) {
      if (error instanceof PositionMovedError)
        return { kind: 'skipped', reason: 'superseded', counts: this.counts };
      throw error;
    }
    this.generation = generation;
    this.tally(written.counts);
    this.position = to;
    this.refreshedForPage = false;
    if (!written.round) return 'committed';
    return { kind: 'caught_up', counts: this.counts, round: written.round, followUp: written.followUp };
  }

  /** When the next round is due after this one, by the normal and by the pushed interval, with the same jitter. */
  private nextRounds(now: Date): { nextSyncAt: Date; pushedNextSyncAt: Date } {
    const { incrementalIntervalMs, pushedIntervalMs, intervalJitterRatio } = this.deps.options;
    const spread = 1 + intervalJitterRatio * (this.deps.random ?? Math.random)();
    return {
      nextSyncAt: new Date(now.getTime() + incrementalIntervalMs * spread),
      pushedNextSyncAt: new Date(now.getTime() + (pushedIntervalMs ?? incrementalIntervalMs) * spread),
    };
  }

  private tally(page: PageCounts): void {
    this.counts.pages += 1;
    for (const key of COUNTED) this.counts[key] += page[key];
  }

  private async onFailure(error: ProviderErrorClass): Promise<Step> {
    const decision = decideFailure(error, {
      caller: 'slice',
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
        await syncStates.recordCursorReset(db, id, resource, now);
        this.position = { mode: 'full', cursor: null, continuation: null };
        this.restartedFull = true;
        return 'retry';
      case 'wait': {
        const random = this.deps.random ?? Math.random;
        const delay = (streak: number) => rateLimitDelayMs(decision, streak, random);
        const retryAt = await syncStates.recordRateLimited(db, id, resource, now, delay);
        // The token broker's proxy waits as long for this connection (ConnectionThrottle).
        await this.deps.throttle.hold(id, retryAt);
        return { kind: 'rate_limited', retryAfterMs: retryAt.getTime() - now.getTime(), counts };
      }
      case 'back_off': {
        const delay = (failures: number) =>
          backoffDelayMs(
            failures,
            this.deps.options.backoffBaseMs,
            this.deps.options.backoffMaxMs,
            this.deps.random ?? Math.random,
          );
        const { retryAt } = await syncStates.recordTransient(db, id, resource, decision.reason, now, delay);
        return { kind: 'transient', reason: decision.reason, retryAt, counts };
      }
      case 'disable':
        await this.disable(decision.reason, now);
        return { kind: 'disabled', reason: decision.reason, counts };
      case 'revoke':
        await this.deps.outcomes.revoked({ connectionId: id, resource, reason: decision.reason, now });
        return { kind: 'auth_revoked', counts };
    }
  }

  /**
   * Ends the slice until the connection may call its provider again, like a hold found at the slice's start
   * (runSlice): due again then, its rate-limit streak untouched since the provider did not refuse anything.
   */
  private async waitForBudget(waitMs: number): Promise<Step> {
    const now = this.now();
    const { id } = this.connection;
    await syncStates.deferThrottled(
      this.deps.db,
      id,
      this.request.resource,
      new Date(now.getTime() + waitMs),
    );
    return { kind: 'rate_limited', retryAfterMs: waitMs, counts: this.counts };
  }

  private async disable(reason: string, now: Date): Promise<void> {
    await this.deps.db.transaction(async (manager) => {
      await syncStates.disable(manager, this.connection.id, this.request.resource, reason, now);
      await this.deps.outcomes.resourceDisabled(manager, {
        connectionId: this.connection.id,
        tenantId: this.connection.tenantId,
        resource: this.request.resource,
        reason,
      });
    });
  }
}
