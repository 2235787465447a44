import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { connectSandboxAccount, engineDeps, SYNC_CASES } from '../../test';
import { runSlice } from '../slice/runSlice';

// A People contact's resource name changes when it is linked to a Google profile and changes back when it is unlinked
// (metadata.previousResourceNames, docs/providers/google.md#people-sync): the row under the old name is marked deleted,
// and when that name comes back its row lives again rather than a second one appearing.

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const contacts = SYNC_CASES.find((c) => c.provider === 'google' && c.resource === 'contacts')!;

async function round(connectionId: string): Promise<void> {
  for (let i = 0; i < 20; i += 1) {
    const outcome = await runSlice(engineDeps(h), { connectionId, resource: 'contacts', budgetMs: 30_000 });
    if (outcome.kind === 'caught_up') return;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${JSON.stringify(outcome)}`);
  }
  throw new Error('round did not complete');
}

async function rows(connectionId: string) {
  return (await h.db.dataSource.query(
    `SELECT external_id, deleted_at IS NOT NULL AS deleted FROM contacts WHERE connection_id = $1 ORDER BY external_id`,
    [connectionId],
  )) as Array<{ external_id: string; deleted: boolean }>;
}

it('a relinked contact moves to its new name, and its old name comes back to the same row', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'google',
    email: 'relink@example.com',
    sizes: { [contacts.sandboxResource]: 3 },
    resources: ['contacts'],
  });
  await round(connectionId);
  const [first] = await rows(connectionId);
  const id = (first?.external_id as string).slice('people/'.length);

  h.sandbox.control.updateItem('google', account.id, 'contacts', id, { linkProfile: true });
  await round(connectionId);
  const linked = await rows(connectionId);
  const profileName = linked.find((r) => /^people\/\d{21}$/.test(r.external_id))?.external_id as string;
  expect(linked.filter((r) => r.deleted).map((r) => r.external_id)).toEqual([`people/${id}`]);

  h.sandbox.control.updateItem('google', account.id, 'contacts', id, { linkProfile: false });
  await round(connectionId);
  const unlinked = await rows(connectionId);
  expect(unlinked).toHaveLength(4);
  expect(unlinked.filter((r) => r.deleted).map((r) => r.external_id)).toEqual([profileName]);
  expect(unlinked.find((r) => r.external_id === `people/${id}`)?.deleted).toBe(false);
});
