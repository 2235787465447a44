import type { Provider } from '@crm-sync/core';
import { createTestDatabase } from '@crm-sync/testing';
import { dispatchExpiryWarnings } from './index';

const DAY = 86_400_000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
beforeEach(() => db.dataSource.query('DELETE FROM connections; DELETE FROM outbox'));

const rules = new Map([
  ['microsoft' as Provider, { rule: 'idle_refresh_token', lifetimeMs: 90 * DAY, since: 'issued' as const }],
]);
const warn = () => dispatchExpiryWarnings({ db: db.dataSource, rules, leadMs: 7 * DAY, batchSize: 2 });

/** A connection whose refresh token was issued `daysAgo` days ago, and last used `usedDaysAgo` days ago if given. */
async function connection(
  provider: Provider,
  daysAgo: number,
  status = 'active',
  usedDaysAgo: number | null = null,
): Promise<string> {
  const [row] = await db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status)
     VALUES ('t1', 'u1', $1, gen_random_uuid()::text, $2) RETURNING id`,
    [provider, status],
  );
  await db.dataSource.query(
    `INSERT INTO credentials (connection_id, key_id, sealed, refresh_token_issued_at, refreshed_at)
     VALUES ($1, 'k', '\\x00', now() - $2::float8 * interval '1 day', now() - $3::float8 * interval '1 day')`,
    [row.id, daysAgo, usedDaysAgo],
  );
  return row.id as string;
}

const notifications = async (): Promise<Array<Record<string, unknown>>> =>
  (await db.dataSource.query(`SELECT payload FROM outbox WHERE queue = 'crm-notifications' ORDER BY id`)).map(
    (r: { payload: Record<string, unknown> }) => r.payload,
  );

describe('dispatchExpiryWarnings', () => {
  it('warns once per connection per predicted expiry, through the outbox, within the lead time only', async () => {
    const due = await Promise.all([85, 88, 89.5].map((d) => connection('microsoft', d)));
    await connection('microsoft', 30); // dies in 60 days: not yet
    await connection('microsoft', 95); // already past: the refresh that fails tells, not a warning
    await connection('microsoft', 86, 'needs_reauth');
    await connection('google', 89); // no rule for this provider here
    expect(await warn()).toEqual({ warned: 3 });
    expect(await warn()).toEqual({ warned: 0 });

    const sent = await notifications();
    expect(sent.map((n) => n.connectionId).sort()).toEqual([...due].sort());
    const [first] = sent.filter((n) => n.connectionId === due[0]);
    expect(first).toMatchObject({
      type: 'connection.expiring',
      tenantId: 't1',
      provider: 'microsoft',
      rule: 'idle_refresh_token',
    });
    const inDays = (Date.parse(first!.expiresAt as string) - Date.now()) / DAY;
    expect(inDays).toBeGreaterThan(4.9);
    expect(inDays).toBeLessThan(5.1);
  });

  it('warns again about the new date after a rotation moved the expiry, and that new date only once', async () => {
    const id = await connection('microsoft', 86);
    expect(await warn()).toEqual({ warned: 1 });
    // A refresh rotated the token long ago and the connection then sat idle for 85 days: a new expiry.
    await db.dataSource.query(
      `UPDATE credentials SET refresh_token_issued_at = now() - interval '85 days' WHERE connection_id = $1`,
      [id],
    );
    expect(await warn()).toEqual({ warned: 1 });
    expect(await warn()).toEqual({ warned: 0 });
    const dates = (await notifications()).map((n) => n.expiresAt);
    expect(new Set(dates).size).toBe(2);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM expiry_warnings`)).toEqual([{ n: 2 }]);
  });

  it('counts a last-use rule from the last refresh that succeeded, else from the issue', async () => {
    const unused = new Map([
      [
        'google' as Provider,
        { rule: 'unused_refresh_token', lifetimeMs: 180 * DAY, since: 'last_used' as const },
      ],
    ]);
    const warnUnused = () =>
      dispatchExpiryWarnings({ db: db.dataSource, rules: unused, leadMs: 7 * DAY, batchSize: 10 });
    // Refreshes stopped succeeding 176 days ago; never refreshed since a consent 175 days ago.
    const stale = await connection('google', 400, 'active', 176);
    const neverUsed = await connection('google', 175);
    await connection('google', 400, 'active', 1 / 24); // refreshed an hour ago: its clock restarted
    await connection('google', 100, 'active', 90);
    expect(await warnUnused()).toEqual({ warned: 2 });
    const sent = await notifications();
    expect(sent.map((n) => n.connectionId).sort()).toEqual([stale, neverUsed].sort());
    const inDays = (id: string) =>
      (Date.parse(sent.find((n) => n.connectionId === id)!.expiresAt as string) - Date.now()) / DAY;
    expect(inDays(stale)).toBeCloseTo(4, 1);
    expect(inDays(neverUsed)).toBeCloseTo(5, 1);
    expect(sent[0]).toMatchObject({ provider: 'google', rule: 'unused_refresh_token' });
  });

  it('lets two schedulers run it at once without warning twice', async () => {
    await Promise.all(Array.from({ length: 5 }, () => connection('microsoft', 87)));
    const results = await Promise.all([warn(), warn(), warn()]);
    expect(results.reduce((sum, r) => sum + r.warned, 0)).toBe(5);
    expect(await notifications()).toHaveLength(5);
  });
});
