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

describe('google mail, a message no MIME parser takes', () => {
  it('is set aside by id with its reason, the round goes on, and it stores once readable again', async () => {
    const c = caseOf('google', 'mail');
    const { connectionId, account } = await connectSandboxAccount(h, {
      provider: 'google',
      email: 'unreadable@example.com',
      sizes: { messages: 5 },
      resources: ['mail'],
    });
    await round(connectionId, c);
    const add = (fields: Record<string, unknown>) =>
      h.sandbox.control.addItem('google', account.id, 'messages', fields).id;
    const before = add(c.edit('good before'));
    // A header block past postal-mime's 2 MiB limit: its parser refuses the whole message.
    const bad = add({ subject: 'x'.repeat(2_200_000) });
    const after = add(c.edit('good after'));

    const done = await round(connectionId, c);
    expect(done.round.counts).toMatchObject({ quarantined: 1 });
    const live = await tableSnapshot(h, c, connectionId);
    expect([live.get(before), live.get(after), live.has(bad)]).toEqual(['good before', 'good after', false]);
    const quarantine = () =>
      h.db.dataSource.query(`SELECT external_id, reason FROM sync_quarantine WHERE connection_id = $1`, [
        connectionId,
      ]);
    expect(await quarantine()).toEqual([{ external_id: bad, reason: 'unreadable message' }]);

    h.sandbox.control.updateItem('google', account.id, 'messages', bad, c.edit('readable now'));
    await round(connectionId, c);
    expect((await tableSnapshot(h, c, connectionId)).get(bad)).toBe('readable now');
    expect(await quarantine()).toEqual([]);
  });
});
