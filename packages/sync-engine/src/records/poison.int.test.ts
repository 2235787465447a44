import { createConnectionsHarness, type ConnectionsHarness } from '@crm-sync/connections/testing';
import { connectSandboxAccount, engineDeps, SYNC_CASES, tableSnapshot, type SyncCase } from '../../test';
import { runSlice } from '../slice/runSlice';
import type { SliceOutcome } from '../types';

// One bad item never blocks an account (issue 16): an item with a NUL byte, lone surrogates or an invalid date sits
// between good ones; the round completes, the good ones land and the bad one is stored with its values made safe.

const POISON = 'bad\u0000subject \uD800 and \uDC00';
const MADE_SAFE = 'badsubject \uFFFD and \uFFFD';

let h: ConnectionsHarness;
beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(() => h.close());

const cases: Array<[string, SyncCase, Record<string, unknown>]> = [
  // Gmail: also an internalDate no JavaScript Date can hold (Invalid Date from the mapper).
  ['google mail', caseOf('google', 'mail'), { subject: POISON, internalDate: 1e17 }],
  ['microsoft mail', caseOf('microsoft', 'mail'), { subject: POISON }],
  ['hubspot contacts', caseOf('hubspot', 'contacts'), { email: POISON, firstname: 'x\u0000' }],
];

function caseOf(provider: string, resource: string): SyncCase {
  return SYNC_CASES.find((c) => c.provider === provider && c.resource === resource)!;
}

async function round(
  connectionId: string,
  c: SyncCase,
): Promise<Extract<SliceOutcome, { kind: 'caught_up' }>> {
  for (let i = 0; i < 20; i += 1) {
    const outcome = await runSlice(engineDeps(h), { connectionId, resource: c.resource, budgetMs: 30_000 });
    if (outcome.kind === 'caught_up') return outcome;
    if (outcome.kind !== 'more') throw new Error(`slice ended ${JSON.stringify(outcome)}`);
  }
  throw new Error('round did not complete');
}

describe.each(cases)('%s', (name, c, poison) => {
  it('a poisoned item between good ones is stored made safe, and the round goes on', async () => {
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: c.provider,
      email: `poison-${name.replace(' ', '-')}@example.com`,
      sizes: { [c.sandboxResource]: 5 },
      resources: [c.resource],
    });
    await round(connectionId, c);
    const wire = c.wireId ?? ((id: string) => id);
    const add = (fields: Record<string, unknown>) =>
      wire(h.sandbox.control.addItem(c.provider, account.id, c.sandboxResource, fields).id, account);
    const before = add(c.edit('good before'));
    const bad = add(poison);
    const after = add(c.edit('good after'));

    const done = await round(connectionId, c);
    expect(done.round.counts).toMatchObject({ sanitized: 1, quarantined: 0 });
    const live = await tableSnapshot(h, c, connectionId);
    expect(live.get(before)).toBe('good before');
    expect(live.get(after)).toBe('good after');
    expect(live.get(bad)).toBe(MADE_SAFE);
    const [state] = await h.db.dataSource.query(
      `SELECT counters, consecutive_failures FROM sync_states WHERE connection_id = $1`,
      [connectionId],
    );
    expect(state).toMatchObject({ counters: { sanitized: 1 }, consecutive_failures: 0 });
  });
});
