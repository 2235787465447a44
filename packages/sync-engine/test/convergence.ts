import type { ConnectionsHarness } from '@crm-sync/connections/testing';
import fc from 'fast-check';
import { runAudit } from '../src/audit/runAudit';
import { runSlice } from '../src/slice/runSlice';
import type { SliceOutcome } from '../src/types';
import { deleteAtProvider, sandboxIds, sandboxSnapshot, tableSnapshot, type SyncCase } from './dataset';
import { engineDeps } from './engine';
import { referenceHashes } from './reference';

/**
 * The model-based convergence check of issue 16: random interleavings of provider-side changes, cursor expiries,
 * rate-limit and server faults, completeness audits (between any two pages of a round), and sync slices (a single
 * page, so rounds span many slices with changes in between, or a longer budget, so pages are gathered into groups
 * and fetched ahead while a group commits, and a flaky provider fails some of them midway), then quiescence; the
 * CRM table must then equal the provider's state exactly:
 * the same ids, the checked field as the model wrote it, and every row's content hash equal to what a fresh full
 * round reads (reference.ts). Moves file items elsewhere (folders, labels), some out of the CRM's view and back;
 * restores bring a deleted id back. A worker killed mid-slice leaves what a shorter slice leaves, since each group
 * commits with its position in one transaction: the 1 ms and 200 ms budgets cut rounds at every commit. Two slices
 * of one resource at once (a stalled job run again by another worker while the first still runs) is `race`.
 * Real SIGKILLs of worker processes are apps/worker's crash test.
 */
export type Step =
  | { kind: 'add'; count: number; value: string }
  | { kind: 'edit'; pick: number; value: string }
  | { kind: 'delete'; pick: number }
  | { kind: 'move'; pick: number; to: number }
  | { kind: 'restore'; pick: number }
  | { kind: 'expire' }
  | { kind: 'fault'; status: 429 | 500 | 503; next: number }
  | { kind: 'flaky'; rate: number; seed: number }
  | { kind: 'slices'; count: number; budgetMs: number }
  | { kind: 'race'; budgetMs: number }
  | { kind: 'audit' };

/**
 * Field values as users type them, and as mailboxes hold them: unicode, emoji, quotes, long runs, and what
 * PostgreSQL cannot store as given (NUL bytes, lone UTF-16 surrogates; `binary` strings hold those too).
 */
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    "O'Brien; DROP TABLE emails;--",
    '\\',
    'a\u200bb',
    '😀'.repeat(30),
    'x'.repeat(2000),
    'nul\u0000inside',
    '\u0000',
    'lone \uD800 high',
    '\uDC00 lone low',
  ),
);

export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      count: fc.integer({ min: 1, max: 30 }),
      value,
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), value }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), to: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      status: fc.constantFrom(429 as const, 500 as const, 503 as const),
      next: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('flaky' as const),
      rate: fc.constantFrom(0.2, 0.5),
      seed: fc.nat(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('slices' as const),
      count: fc.integer({ min: 1, max: 4 }),
      // 1 ms: one page per slice. 200 ms: whole groups, with the next group fetched while one commits.
      budgetMs: fc.constantFrom(1, 1, 200),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('race' as const), budgetMs: fc.constantFrom(1, 200) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('audit' as const) }) },
);

export interface ConvergenceRun {
  h: ConnectionsHarness;
  c: SyncCase;
  connectionId: string;
  accountId: string;
}

/** One slice; with a budget of 1 ms, of one page or group: the budget is spent by the first commit. */
function slice(run: ConvergenceRun, budgetMs = 1): Promise<SliceOutcome> {
  return runSlice(engineDeps(run.h, { backoffBaseMs: 1, backoffMaxMs: 1 }), {
    connectionId: run.connectionId,
    resource: run.c.resource,
    budgetMs,
  });
}

export async function apply(run: ConvergenceRun, step: Step): Promise<void> {
  const { h, c, accountId } = run;
  const control = h.sandbox.control;
  const ids = (which?: 'hidden' | 'all') => sandboxIds(h, c, accountId, which);
  const update = (id: string, fields: Record<string, unknown>) =>
    control.updateItem(c.provider, accountId, c.sandboxResource, id, fields);
  switch (step.kind) {
    case 'add':
      for (let i = 0; i < step.count; i += 1)
        control.addItem(c.provider, accountId, c.sandboxResource, c.edit(`${step.value}#${i}`));
      return;
    case 'edit': {
      const live = ids();
      if (live.length > 0)
        control.updateItem(
          c.provider,
          accountId,
          c.sandboxResource,
          live[step.pick % live.length]!,
          c.edit(step.value),
        );
      return;
    }
    case 'delete': {
      const live = ids();
      if (live.length > 0) deleteAtProvider(h, c, accountId, live[step.pick % live.length]!);
      return;
    }
    case 'move': {
      const all = ids('all');
      if (c.moves && all.length > 0) update(all[step.pick % all.length]!, c.moves[step.to % c.moves.length]!);
      return;
    }
    case 'restore': {
      const hidden = ids('hidden');
      if (c.restoreFields && hidden.length > 0) update(hidden[step.pick % hidden.length]!, c.restoreFields);
      return;
    }
    case 'expire':
      control.expireCursors(c.provider, accountId);
      return;
    case 'fault':
      control.addFault({
        provider: c.provider,
        accountId,
        // Retry-After only where a provider sends one (a 429); a 5xx is backed off by the engine.
        action: {
          kind: 'status',
          status: step.status,
          ...(step.status === 429 ? { retryAfterSeconds: 0 } : {}),
        },
        next: step.next,
      });
      return;
    case 'flaky':
      // Until quiescence: fails requests at random, so some fail in the middle of a group or a fetch ahead.
      control.addFault({
        provider: c.provider,
        accountId,
        action: { kind: 'status', status: 503 },
        rate: step.rate,
        seed: step.seed,
      });
      return;
    case 'slices':
      for (let i = 0; i < step.count; i += 1) await slice(run, step.budgetMs);
      return;
    case 'race':
      await Promise.all([slice(run, step.budgetMs), slice(run, step.budgetMs)]);
      return;
    case 'audit':
      // Whatever it finds or fails on (a fault), it must never leave the table further from the provider.
      await runAudit(engineDeps(h), {
        connectionId: run.connectionId,
        resource: c.resource,
        maxCalls: 1_000,
      });
      return;
  }
}

/**
 * Quiescence: faults cleared, slices until two complete rounds in a row (the second proves nothing was left for
 * an incremental round to find). Throws when the sync does not settle.
 */
/** The longest a quiescing run waits out one hold (the sandbox's holds last about a second). */
const MAX_HOLD_WAIT_MS = 2_000;

export async function quiesce(run: ConvergenceRun, maxSlices = 400): Promise<void> {
  run.h.sandbox.control.clearFaults();
  let completed = 0;
  for (let i = 0; i < maxSlices; i += 1) {
    const outcome = await slice(run);
    if (outcome.kind === 'caught_up') {
      completed += 1;
      if (completed === 2) return;
    } else if (outcome.kind === 'rate_limited') {
      // The provider (the sandbox enforces HubSpot's per-second search limit) or the connection's budget holds the
      // connection; a scheduler would run the next slice when the hold ends, so time passes here too.
      await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.retryAfterMs, MAX_HOLD_WAIT_MS)));
    } else if (outcome.kind !== 'more' && outcome.kind !== 'transient')
      throw new Error(`sync stopped with ${JSON.stringify(outcome)}`);
  }
  throw new Error(`no two completed rounds in ${maxSlices} slices`);
}

/**
 * What the CRM can hold of a provider's text: NULs dropped and lone surrogates as U+FFFD (PostgreSQL stores
 * neither; issue 16), and a blank text as null (syncers store blanks as null: packages/providers map.ts).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const normalised = (v: string | null | undefined) => {
  const stored = (v ?? '').replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
  return stored.trim() === '' ? null : stored;
};

/** An id both sides hold with different values of the checked field. */
export interface ContentDifference {
  id: string;
  provider: string | null;
  crm: string | null | undefined;
}

export interface Divergence {
  missing: string[];
  ghosts: string[];
  /** Ids whose checked field differs from the value the model wrote. */
  changed: ContentDifference[];
  /** Ids whose stored content hash differs from what a fresh full round reads (any mapped column). */
  stale: string[];
}

/** What differs between the provider and the table. */
export async function divergence(run: ConvergenceRun): Promise<Divergence> {
  const expected = sandboxSnapshot(run.h, run.c, run.accountId);
  const actual = await tableSnapshot(run.h, run.c, run.connectionId);
  const reference = await referenceHashes(run);
  const stored = await tableSnapshot(run.h, run.c, run.connectionId, 'content_hash');
  return {
    missing: [...expected.keys()].filter((id) => !actual.has(id)),
    ghosts: [...actual.keys()].filter((id) => !expected.has(id)),
    changed: [...expected]
      .filter(([id, v]) => actual.has(id) && normalised(actual.get(id)) !== normalised(v))
      .map(([id, v]) => ({ id, provider: v, crm: actual.get(id) })),
    stale: [...reference].filter(([id, hash]) => stored.has(id) && stored.get(id) !== hash).map(([id]) => id),
  };
}
