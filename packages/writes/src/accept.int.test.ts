import {
  connectSandboxAccount,
  createConnectionsHarness,
  type ConnectionsHarness,
} from '@crm-sync/connections/testing';
import type { WriteRequest } from '@crm-sync/core';
import { acceptWrite, type WriteSubmission } from './accept';
import { getWrite } from './rows';

let h: ConnectionsHarness;
let connectionId: string;

beforeAll(async () => {
  h = await createConnectionsHarness();
  ({ connectionId } = await connectSandboxAccount(h, { provider: 'google', email: 'writer@example.com' }));
});
afterAll(() => h.close());

const create = (givenName: string): WriteRequest => ({
  schemaVersion: 1,
  resource: 'contacts',
  op: 'create',
  fields: { givenName, familyName: 'Quarrington', emails: ['ada.q@example.com'] },
});
const submission = (
  key: string,
  write: WriteRequest,
  over: Partial<WriteSubmission> = {},
): WriteSubmission => ({
  tenantId: 't1',
  connectionId,
  requestedBy: 'crm',
  idempotencyKey: key,
  write,
  announce: true,
  ...over,
});
const outbox = async (type: string) =>
  (await h.db.dataSource.query(`SELECT payload FROM outbox WHERE job_name = $1`, [type])) as Array<{
    payload: { writeId: string };
  }>;

it('records a write once per key: the same request gets the same id, another request is key_reused', async () => {
  const first = await acceptWrite(h.deps, submission('k-1', create('Ada')));
  expect(first).toEqual({ kind: 'accepted', writeId: expect.any(String), created: true });
  if (first.kind !== 'accepted') return;
  expect(await acceptWrite(h.deps, submission('k-1', create('Ada')))).toEqual({ ...first, created: false });
  expect(await acceptWrite(h.deps, submission('k-1', create('Grace')))).toEqual({ kind: 'key_reused' });
  // Another tenant's key space is its own; its connection is not this one, so the write is not found.
  expect(await acceptWrite(h.deps, submission('k-1', create('Ada'), { tenantId: 't2' }))).toEqual({
    kind: 'not_found',
  });
  // One announcement, naming the write only.
  const announced = await outbox('write.accepted');
  expect(announced.map((r) => r.payload.writeId)).toEqual([first.writeId]);
  expect(JSON.stringify(announced)).not.toContain('Ada');
  expect(await getWrite(h.db.dataSource, ['t1'], first.writeId)).toMatchObject({
    id: first.writeId,
    connectionId,
    resource: 'contacts',
    op: 'create',
    status: 'pending',
    externalId: null,
  });
  expect(await getWrite(h.db.dataSource, ['t2'], first.writeId)).toBeUndefined();
});

it('keeps the request sealed and compares retries by a keyed hash, never in the clear', async () => {
  const accepted = await acceptWrite(h.deps, submission('k-sealed', create('Philippa')));
  if (accepted.kind !== 'accepted') throw new Error(accepted.kind);
  const [row] = (await h.db.dataSource.query(`SELECT request, request_hash FROM writes WHERE id = $1`, [
    accepted.writeId,
  ])) as Array<{ request: Buffer; request_hash: string }>;
  expect(row?.request.toString('latin1')).not.toContain('Philippa');
  expect(row?.request.toString('latin1')).not.toContain('ada.q@example.com');
  expect(row?.request_hash).toMatch(/^[0-9a-f]{64}$/);
});

it('refuses a write for an unknown or inactive connection and records nothing', async () => {
  const before = await h.db.dataSource.query(`SELECT count(*)::int AS n FROM writes`);
  expect(
    await acceptWrite(
      h.deps,
      submission('k-2', create('Ada'), { connectionId: '00000000-0000-4000-8000-000000000000' }),
    ),
  ).toEqual({ kind: 'not_found' });
  const other = await connectSandboxAccount(h, { provider: 'google', email: 'gone@example.com' });
  await h.db.dataSource.query(`UPDATE connections SET status = 'revoked' WHERE id = $1`, [
    other.connectionId,
  ]);
  expect(
    await acceptWrite(h.deps, submission('k-3', create('Ada'), { connectionId: other.connectionId })),
  ).toEqual({ kind: 'connection_inactive' });
  expect(await h.db.dataSource.query(`SELECT count(*)::int AS n FROM writes`)).toEqual(before);
});
