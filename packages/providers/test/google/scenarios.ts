// Test-only: what every Google syncer must show against the sandbox. Each `<resource>.int.test.ts` here calls
// `syncScenarios` with its resource's case and adds what is particular to it.
import { type CrmTableName, type RecordsByTable, type ResourceSyncer } from '@crm-sync/core';
import { type StoredItem } from '@crm-sync/provider-sandbox';
import { classificationOf } from '../sandbox';
import {
  applyRounds,
  connectAccount,
  FULL,
  incremental,
  runRound,
  sandboxItems,
  startGoogleHarness,
  type Connected,
  type GoogleHarness,
} from './harness';
import { type GoogleSyncOptions } from '../../src/google/index';

export interface ScenarioCase<T extends CrmTableName, Item> {
  resource: 'mail' | 'calendar' | 'contacts';
  /** The sandbox's name for the resource (account `sizes`, control API). */
  sandboxResource: 'messages' | 'events' | 'contacts';
  /** Sandbox route ids the first request of a full round goes to (fault plans; a trailing `*` is a prefix). */
  route: string;
  size: number;
  /** Small pages, so a round of `size` items really pages. */
  sync: Partial<GoogleSyncOptions>;
  initialWindowDays: number;
  /** The id a record carries for a sandbox item id. */
  externalId(sandboxId: string): string;
  /** Whether a full round started at `now` lists the item (its window). */
  inWindow(item: Item, now: Date, initialWindowDays: number): boolean;
  /** Record fields that must come from the sandbox item (checked for every item). */
  expected(item: StoredItem<Item>): Partial<RecordsByTable[T]>;
  /** A control-API edit and what the record shows after it. */
  edit: { fields: Record<string, unknown>; expected: Partial<RecordsByTable[T]> };
}

export interface ScenarioContext<T extends CrmTableName> {
  harness(): GoogleHarness;
  main(): Connected;
  syncer(): ResourceSyncer<T>;
  options(): { accessToken: string; now: Date; initialWindowDays: number };
}

export function syncScenarios<T extends CrmTableName, Item>(c: ScenarioCase<T, Item>): ScenarioContext<T> {
  let h: GoogleHarness;
  let main: Connected;
  let cursor = '';
  const syncer = () => h.adapter.sync?.[c.resource] as ResourceSyncer<T>;
  const options = () => ({
    accessToken: main.accessToken,
    now: new Date(),
    initialWindowDays: c.initialWindowDays,
  });
  const live = (now: Date) =>
    sandboxItems<Item>(h, main.account, c.sandboxResource).filter((i) =>
      c.inWindow(i.data, now, c.initialWindowDays),
    );
  const control = () => h.sandbox.control;

  /** The table after the rounds holds exactly the sandbox's live items in the window, each with its fields. */
  function expectLanded(table: Map<string, RecordsByTable[T]>, now: Date) {
    const items = live(now);
    expect([...table.keys()].sort()).toEqual(items.map((i) => c.externalId(i.id)).sort());
    expect(items.map((i) => table.get(c.externalId(i.id)))).toMatchObject(items.map((i) => c.expected(i)));
  }

  beforeAll(async () => {
    h = await startGoogleHarness(c.sync);
    main = await connectAccount(h, `${c.resource}.owner@example.com`, { [c.sandboxResource]: c.size });
  });
  afterAll(() => h.close());
  afterEach(() => control().clearFaults());

  test('a full round pages to the end and lands exactly the dataset', async () => {
    const opts = options();
    const round = await runRound(syncer(), FULL, opts);
    expect(round.pages.length).toBeGreaterThan(2);
    expectLanded(applyRounds([round]), opts.now);
    expect(round.deletes).toEqual([]);
    expect(JSON.stringify([round.continuations, round.cursor])).not.toContain(main.accessToken);
    cursor = round.cursor;
  });

  test('an incremental round returns exactly the adds, edits and deletes made since', async () => {
    const ids = live(new Date()).map((i) => i.id);
    const [edited, deleted] = [ids[3]!, ids[5]!];
    const added = control().addItem('google', main.account.id, c.sandboxResource);
    control().updateItem('google', main.account.id, c.sandboxResource, edited, c.edit.fields);
    control().deleteItem('google', main.account.id, c.sandboxResource, deleted);

    const round = await runRound(syncer(), incremental(cursor), options());
    const upserted = round.upserts.map((r) => r.externalId).sort();
    expect(upserted).toEqual([c.externalId(added.id), c.externalId(edited)].sort());
    expect(round.upserts.find((r) => r.externalId === c.externalId(edited))).toMatchObject(c.edit.expected);
    expect(round.deletes).toEqual([c.externalId(deleted)]);

    const quiet = await runRound(syncer(), incremental(round.cursor), options());
    expect([quiet.upserts, quiet.deletes, quiet.pages.length]).toEqual([[], [], 1]);
    cursor = quiet.cursor;
  });

  test('changes made while a full round pages arrive by the next incremental round', async () => {
    let notYetListed = '';
    let listedFirst = '';
    const opts = options();
    const full = await runRound(syncer(), FULL, {
      ...opts,
      afterPage(round) {
        if (round.pages.length !== 1) return;
        const seen = new Set(round.upserts.map((r) => r.externalId));
        listedFirst = [...seen][0]!;
        notYetListed = live(opts.now).find((i) => !seen.has(c.externalId(i.id)))!.id;
        const first = live(opts.now).find((i) => c.externalId(i.id) === listedFirst)!.id;
        control().updateItem('google', main.account.id, c.sandboxResource, first, c.edit.fields);
        control().deleteItem('google', main.account.id, c.sandboxResource, notYetListed);
        control().addItem('google', main.account.id, c.sandboxResource);
      },
    });
    expect(applyRounds([full]).get(listedFirst)).not.toMatchObject(c.edit.expected);
    const next = await runRound(syncer(), incremental(full.cursor), options());
    const table = applyRounds([full, next]);
    expect(table.get(listedFirst)).toMatchObject(c.edit.expected);
    expect(table.has(c.externalId(notYetListed))).toBe(false);
    expectLanded(table, new Date());
    cursor = next.cursor;
  });

  test('an expired cursor is cursor_expired', async () => {
    control().expireCursors('google', main.account.id, c.sandboxResource);
    const failure = await classificationOf(
      syncer().fetchPage({ ...options(), position: incremental(cursor) }),
    );
    expect(failure).toEqual({ kind: 'cursor_expired' });
  });

  test.each([
    [{ status: 429, retryAfterSeconds: 7 } as const, { kind: 'rate_limited', retryAfterMs: 7000 }],
    // Google's usual 429 has no Retry-After: the descriptor's default wait.
    [{ status: 429 } as const, { kind: 'rate_limited', retryAfterMs: 10_000 }],
    [{ status: 500 } as const, { kind: 'transient', reason: 'http 500' }],
    [{ status: 503 } as const, { kind: 'transient', reason: 'http 503' }],
  ])('a %j answer is classified as %j', async (fault, expected) => {
    control().addFault({
      provider: 'google',
      route: c.route,
      accountId: main.account.id,
      action: { kind: 'status', ...fault },
      next: 1,
    });
    expect(await classificationOf(syncer().fetchPage({ ...options(), position: FULL }))).toEqual(expected);
  });

  test('a revoked grant: the page is auth_expired, the engine refresh then auth_revoked', async () => {
    const other = await connectAccount(h, `${c.resource}.other@example.com`, { [c.sandboxResource]: 3 });
    const page = () => syncer().fetchPage({ ...options(), accessToken: other.accessToken, position: FULL });
    await expect(page()).resolves.toMatchObject({ next: { kind: 'caught_up' } });
    control().revokeTokens('google', other.account.id);
    const error = await page().catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ClassifiedProviderError',
      classification: { kind: 'auth_expired' },
    });
    expect(String((error as Error).message)).not.toContain(other.accessToken);
    expect(await classificationOf(h.adapter.oauth.refresh(other.refreshToken))).toEqual({
      kind: 'auth_revoked',
      reason: 'invalid_grant',
    });
  });

  return { harness: () => h, main: () => main, syncer, options };
}
