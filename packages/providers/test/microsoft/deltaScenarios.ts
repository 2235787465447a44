// Test-only: what every Graph delta syncer must show against the sandbox. Each `<resource>.int.test.ts` here calls
// `deltaScenarios` with its resource's case and adds what is particular to it.
import { type Account } from '@crm-sync/provider-sandbox';
import { type RecordsByTable, type ResourceSyncer } from '@crm-sync/core';
import { classificationOf } from '../sandbox';
import { type DeltaTable } from '../../src/microsoft/sync/delta';
import {
  applyRounds,
  connectAccount,
  FULL,
  incremental,
  runRound,
  sandboxItems,
  startGraphHarness,
  storedId,
  wireId,
  type GraphHarness,
} from './harness';

export const PAGE_SIZE = 100;

export interface ScenarioCase<T extends DeltaTable, Item> {
  resource: 'mail' | 'calendar' | 'contacts';
  /** The sandbox's name for the resource (account `sizes`, control API). */
  sandboxResource: 'messages' | 'events' | 'contacts';
  /** The sandbox route id in counters and fault plans. */
  route: string;
  size: number;
  initialWindowDays: number;
  /** Record fields that must come from the sandbox item (checked for every item). */
  expected(item: Item): Partial<RecordsByTable[T]>;
  /**
   * Mail only: a round walks several folders (src/microsoft/sync/mailState.ts); every round starts with folder
   * discovery (`firstRoute`), and each folder after the first costs one more delta request.
   */
  folders?: { count: number; firstRoute: string };
  /** The delta links inside a cursor that is not a bare link (mail: one per folder; calendar: with its window). */
  cursorLinks?(cursor: string): string[];
  /** Continuation keys besides `nextLink` and the window bounds. */
  continuationKeys?: string[];
  /** A control-API edit and what the record shows after it. */
  edit: { fields: Record<string, unknown>; expected: Partial<RecordsByTable[T]> };
}

export interface ScenarioContext<T extends DeltaTable> {
  harness(): GraphHarness;
  main(): { account: Account; accessToken: string };
  syncer(): ResourceSyncer<T>;
}

export function deltaScenarios<T extends DeltaTable, Item>(c: ScenarioCase<T, Item>): ScenarioContext<T> {
  let h: GraphHarness;
  let main: { account: Account; accessToken: string };
  let cursor = '';
  const syncer = () => h.adapter.sync?.[c.resource] as ResourceSyncer<T>;
  const options = () => ({
    accessToken: main.accessToken,
    now: new Date(),
    initialWindowDays: c.initialWindowDays,
  });

  /** The table after the rounds holds exactly the sandbox's live items, each with the expected fields. */
  function expectLanded(table: Map<string, RecordsByTable[T]>) {
    const items = [...sandboxItems<Item>(h, main.account, c.sandboxResource)];
    expect([...table.keys()].sort()).toEqual(items.map(([id]) => id).sort());
    expect(items.map(([id]) => table.get(id))).toMatchObject(items.map(([, item]) => c.expected(item)));
  }

  beforeAll(async () => {
    h = await startGraphHarness(PAGE_SIZE);
    main = await connectAccount(h, `${c.resource}.owner@contoso.com`, { [c.sandboxResource]: c.size });
  });
  afterAll(() => h.close());
  afterEach(() => h.sandbox.control.clearFaults());

  test('a full round pages to the end and lands exactly the dataset, with the token reaching Graph', async () => {
    h.sandbox.control.resetCounters();
    const round = await runRound(syncer(), FULL, options());
    // maxpagesize is honoured (the sandbox's default page is 10), and the round really pages.
    expect(round.pages.length).toBeGreaterThanOrEqual(c.size / PAGE_SIZE);
    expect(round.pages.length).toBeLessThanOrEqual(c.size / PAGE_SIZE + 1);
    expectLanded(applyRounds([round]));
    const links = c.cursorLinks ? c.cursorLinks(round.cursor) : [round.cursor];
    expect(links).toHaveLength(c.folders?.count ?? 1);
    for (const link of links) expect(link.startsWith(`${h.sandbox.urls.microsoft}/v1.0/`)).toBe(true);
    // Besides the next link, a windowed round carries only its window's bounds (instants, no token).
    const bounds = { mail: ['listedAfter'], calendar: ['listedAfter', 'listedBefore'], contacts: [] }[
      c.resource
    ];
    for (const { nextLink, ...window } of round.continuations as Record<string, unknown>[]) {
      expect(nextLink).toEqual(expect.stringContaining('$skiptoken='));
      expect(Object.keys(window).sort()).toEqual([...bounds, ...(c.continuationKeys ?? [])].sort());
    }
    expect(round.window === undefined).toBe(bounds.length === 0);
    expect(JSON.stringify([round.continuations, round.cursor])).not.toContain(main.accessToken);
    const calls = h.sandbox.control.counters().filter((e) => e.route === c.route);
    expect(calls).toEqual([expect.objectContaining({ status: 200, tokenState: 'valid' })]);
    expect(calls[0]?.count).toBe(round.pages.length + (c.folders?.count ?? 1) - 1);
    cursor = round.cursor;
  });

  test('an incremental round returns exactly the adds, edits and deletes made since', async () => {
    const ids = [...sandboxItems<Item>(h, main.account, c.sandboxResource).keys()];
    const [edited, deleted] = [ids[3]!, ids[5]!];
    const control = h.sandbox.control;
    const added = control.addItem('microsoft', main.account.id, c.sandboxResource);
    control.updateItem('microsoft', main.account.id, c.sandboxResource, storedId(edited), c.edit.fields);
    control.deleteItem('microsoft', main.account.id, c.sandboxResource, storedId(deleted));

    const round = await runRound(syncer(), incremental(cursor), options());
    expect(round.upserts.map((r) => r.externalId).sort()).toEqual([wireId(added.id), edited].sort());
    expect(round.upserts.find((r) => r.externalId === edited)).toMatchObject(c.edit.expected);
    expect(round.deletes).toEqual([deleted]);

    const quiet = await runRound(syncer(), incremental(round.cursor), options());
    expect([quiet.upserts, quiet.deletes, quiet.pages.length]).toEqual([[], [], 1]);
    cursor = quiet.cursor;
  });

  test('changes made while a full round pages arrive by the next incremental round', async () => {
    const ids = [...sandboxItems<Item>(h, main.account, c.sandboxResource).keys()];
    const control = h.sandbox.control;
    const [first, last] = [ids[0]!, ids.at(-1)!];
    const full = await runRound(syncer(), FULL, {
      ...options(),
      afterPage(round) {
        if (round.pages.length !== 2) return;
        // `first` was on page 1 already; `last` is not listed yet.
        control.updateItem('microsoft', main.account.id, c.sandboxResource, storedId(first), c.edit.fields);
        control.deleteItem('microsoft', main.account.id, c.sandboxResource, storedId(last));
        control.addItem('microsoft', main.account.id, c.sandboxResource);
      },
    });
    expect(applyRounds([full]).get(first)).not.toMatchObject(c.edit.expected);
    const next = await runRound(syncer(), incremental(full.cursor), options());
    const table = applyRounds([full, next]);
    expect(table.get(first)).toMatchObject(c.edit.expected);
    expectLanded(table);
    cursor = next.cursor;
  });

  test('an expired cursor is cursor_expired, and a new full round recovers', async () => {
    h.sandbox.control.expireCursors('microsoft', main.account.id, c.sandboxResource);
    const failure = await classificationOf(
      syncer().fetchPage({ ...options(), position: incremental(cursor) }),
    );
    expect(failure).toEqual({ kind: 'cursor_expired' });
    expectLanded(applyRounds([await runRound(syncer(), FULL, options())]));
  });

  test.each([
    [{ status: 429, retryAfterSeconds: 7 } as const, { kind: 'rate_limited', retryAfterMs: 7000 }],
    // Graph always sends Retry-After with a 429; the sandbox's own value when the plan names none.
    [{ status: 429 } as const, { kind: 'rate_limited', retryAfterMs: 1000 }],
    [{ status: 500 } as const, { kind: 'transient', reason: 'http 500' }],
    [{ status: 503 } as const, { kind: 'transient', reason: 'http 503' }],
  ])('a %j answer is classified as %j', async (fault, expected) => {
    h.sandbox.control.addFault({
      provider: 'microsoft',
      route: c.route,
      accountId: main.account.id,
      action: { kind: 'status', ...fault },
      next: 1,
    });
    const failure = await classificationOf(syncer().fetchPage({ ...options(), position: FULL }));
    expect(failure).toEqual(expected);
  });

  test('an expired or revoked access token is auth_expired (the engine then refreshes)', async () => {
    const other = await connectAccount(h, `${c.resource}.other@contoso.com`, { [c.sandboxResource]: 3 });
    const page = () => syncer().fetchPage({ ...options(), accessToken: other.accessToken, position: FULL });
    await expect(page()).resolves.toMatchObject({ next: { kind: 'caught_up' } });
    h.sandbox.control.resetCounters();
    h.sandbox.control.expireTokens('microsoft', other.account.id);
    expect(await classificationOf(page())).toEqual({ kind: 'auth_expired' });
    h.sandbox.control.revokeTokens('microsoft', other.account.id);
    const error = await page().catch((e: unknown) => e);
    expect(error).toMatchObject({ classification: { kind: 'auth_expired' } });
    expect(String((error as Error).message)).not.toContain(other.accessToken);
    const states = h.sandbox.control
      .counters()
      .filter((e) => e.route === (c.folders?.firstRoute ?? c.route))
      .map((e) => [e.status, e.tokenState]);
    expect(states).toEqual([
      [401, 'expired'],
      [401, 'revoked'],
    ]);
  });

  return { harness: () => h, main: () => main, syncer };
}
