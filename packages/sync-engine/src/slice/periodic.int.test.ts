import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { connectSandboxAccount, engineDeps, SYNC_CASES, tableSnapshot } from '../../test';
import type { SliceOutcome } from '../types';
import { runSlice } from './runSlice';

// HubSpot's search never reports a permanent (GDPR) delete; its syncer declares a full round every 24 h
// (fullRoundEveryMs), and the engine's sweep at the end of that round removes the row.

const HOUR = 3_600_000;
const hubspotContacts = SYNC_CASES.find((c) => c.provider === 'hubspot' && c.resource === 'contacts')!;
let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

async function round(connectionId: string, now: Date): Promise<Extract<SliceOutcome, { kind: 'caught_up' }>> {
  const deps = { ...engineDeps(h), now: () => now };
  for (let i = 0; i < 50; i += 1) {
    const outcome = await runSlice(deps, { connectionId, resource: 'contacts', budgetMs: 30_000 });
    if (outcome.kind === 'caught_up') return outcome;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${outcome.kind}`);
  }
  throw new Error('round did not complete');
}

it('a permanent delete leaves the CRM at the first full round due after fullRoundEveryMs', async () => {
  const { connectionId, account } = await connectSandboxAccount(h, {
    provider: 'hubspot',
    email: 'periodic@acme.example',
    sizes: { contacts: 30 },
    resources: ['contacts'],
  });
  const start = Date.now();
  expect((await round(connectionId, new Date(start))).round.mode).toBe('full');
  const [erased] = [...(await tableSnapshot(h, hubspotContacts, connectionId)).keys()];
  h.sandbox.control.deleteItem('hubspot', account.id, 'contacts', erased!);

  // Within 24 h rounds are incremental searches, which cannot see it.
  const incremental = await round(connectionId, new Date(start + HOUR));
  expect(incremental.round).toMatchObject({ mode: 'incremental', counts: { deleted: 0, swept: 0 } });
  expect((await tableSnapshot(h, hubspotContacts, connectionId)).has(erased!)).toBe(true);

  const due = await round(connectionId, new Date(start + 25 * HOUR));
  expect(due.round).toMatchObject({ mode: 'full', counts: { swept: 1, unchanged: 29 } });
  const live = await tableSnapshot(h, hubspotContacts, connectionId);
  expect(live.has(erased!)).toBe(false);
  expect(live.size).toBe(29);

  // The next round is incremental again: the full round's time was recorded.
  expect((await round(connectionId, new Date(start + 26 * HOUR))).round.mode).toBe('incremental');
});
