import { createTestDatabase, type TestDatabase } from '@crm-sync/testing';
import { syncStates } from './repository';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function connection(status: string, createdHoursAgo: number): Promise<string> {
  const [row] = (await db.dataSource.query(
    `INSERT INTO connections (tenant_id, crm_user_id, provider, provider_account_id, status, created_at)
     VALUES ('t', 'u', 'google', gen_random_uuid()::text, $1, now() - make_interval(hours => $2)) RETURNING id`,
    [status, createdHoursAgo],
  )) as Array<{ id: string }>;
  return row!.id;
}

const state = (id: string, resource: string, enabled: boolean, successMinutesAgo: number | null) =>
  db.dataSource.query(
    `INSERT INTO sync_states (connection_id, resource, enabled, last_success_at)
     VALUES ($1, $2, $3, CASE WHEN $4::int IS NULL THEN NULL ELSE now() - make_interval(mins => $4::int) END)`,
    [id, resource, enabled, successMinutesAgo],
  );

it('buckets the age of every enabled resource of active connections, never-synced ones from their connect', async () => {
  const active = await connection('active', 48);
  await state(active, 'mail', true, 2); // 120 s
  await state(active, 'calendar', true, 30); // 1,800 s
  await state(active, 'contacts', true, null); // never: 48 h since the connection was made
  await state(active, 'tasks', false, 10_000); // disabled: not counted
  const revoked = await connection('revoked', 1);
  await state(revoked, 'mail', true, 10_000); // not active: not counted

  const figures = await syncStates.freshness(db.dataSource, [3600, 300, 86_400]);
  expect(figures.count).toBe(3);
  expect(figures.buckets).toEqual([
    { le: 300, count: 1 },
    { le: 3600, count: 2 },
    { le: 86_400, count: 2 },
  ]);
  expect(figures.maxSeconds).toBeGreaterThan(48 * 3600 - 5);
  expect(figures.maxSeconds).toBeLessThan(48 * 3600 + 5);
  expect(figures.sumSeconds).toBeCloseTo(120 + 1800 + 48 * 3600, -1);
});

it('is all zeros for an empty fleet', async () => {
  await db.dataSource.query(`DELETE FROM connections`);
  expect(await syncStates.freshness(db.dataSource, [60])).toEqual({
    buckets: [{ le: 60, count: 0 }],
    count: 0,
    sumSeconds: 0,
    maxSeconds: 0,
  });
});
