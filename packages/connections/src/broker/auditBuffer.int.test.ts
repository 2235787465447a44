import { createTestDatabase, insertTestConnection, type TestDatabase } from '@crm-sync/testing';
import { AuditBuffer } from './auditBuffer';

let db: TestDatabase;
let connectionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  connectionId = await insertTestConnection(db.dataSource);
});
afterAll(() => db.drop());

const line = (n: number) => ({
  connectionId,
  tenantId: 't1',
  type: 'proxy_call' as const,
  actor: 'service:crm',
  details: { n },
});
const written = async () =>
  (
    (await db.dataSource.query(
      `SELECT (details->>'n')::int AS n, created_at FROM audit_events WHERE connection_id = $1 ORDER BY id`,
      [connectionId],
    )) as Array<{ n: number; created_at: Date }>
  ).map((row) => row.n);
const errors: string[] = [];
const buffer = (db: Pick<TestDatabase['dataSource'], 'query'>, options: { maxBuffered?: number } = {}) =>
  new AuditBuffer({
    db,
    logger: { error: (_details, message) => void errors.push(message) },
    flushMs: 20,
    batchSize: 3,
    maxBuffered: options.maxBuffered ?? 100,
  });

beforeEach(async () => {
  await db.dataSource.query(`DELETE FROM audit_events`);
  errors.length = 0;
});

describe('the proxy audit buffer, against real Postgres', () => {
  it('writes lines in batches within its interval, each with the time of its call', async () => {
    const audit = buffer(db.dataSource);
    const before = new Date();
    for (let n = 1; n <= 7; n += 1) await audit.record(line(n));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await written()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const [{ at }] = (await db.dataSource.query(
      `SELECT min(created_at) AS at FROM audit_events WHERE connection_id = $1`,
      [connectionId],
    )) as Array<{ at: Date }>;
    expect(at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    await audit.close();
  });

  it('keeps lines a failed write could not store, and writes them once the database answers again', async () => {
    let down = true;
    const flaky = {
      query: (sql: string, parameters?: unknown[]) =>
        down ? Promise.reject(new Error('connection refused')) : db.dataSource.query(sql, parameters),
    };
    const audit = buffer(flaky);
    await audit.record(line(1));
    await audit.record(line(2));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors.length).toBeGreaterThan(0);
    expect(await written()).toEqual([]);
    down = false;
    await audit.close();
    expect(await written()).toEqual([1, 2]);
  });

  it('makes callers wait, and fail, rather than drop lines when full and the database is down', async () => {
    let down = true;
    const flaky = {
      query: (sql: string, parameters?: unknown[]) =>
        down ? Promise.reject(new Error('connection refused')) : db.dataSource.query(sql, parameters),
    };
    const audit = buffer(flaky, { maxBuffered: 2 });
    await audit.record(line(1));
    await audit.record(line(2));
    await expect(audit.record(line(3))).rejects.toThrow('connection refused');
    down = false;
    await audit.record(line(3));
    await audit.close();
    expect(await written()).toEqual([1, 2, 3]);
  });
});
