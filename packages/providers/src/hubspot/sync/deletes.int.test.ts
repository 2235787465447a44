import {
  DEFAULT_CLIENT,
  createHubspotModule,
  startSandbox,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { endpointsOf, REDIRECT_URI } from '../../../test/sandbox';
import { createHubSpotAdapter } from '../index';
import { connect, createPortal, manualClock, runRound } from '../../../test/hubspot';
import { parseCursor } from './rounds';

const HOUR = 3_600_000;
const clock = manualClock(Math.floor(Date.now() / 1000) * 1000);
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    clock,
    modules: [createHubspotModule({ limits: { searchPerSecond: 1e6, tenSecondly: 1e6 } })],
  });
});
afterAll(() => sandbox.close());

test('permanent deletes leave the CRM at the next full listing, including objects first seen by a search', async () => {
  const portal = createPortal(sandbox, 'gdpr@acme.example', { contacts: 150 });
  const adapter = createHubSpotAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).hubspot,
    syncRelistEveryMs: 6 * HOUR,
  });
  const syncer = adapter.sync!.contacts!;
  const { accessToken } = await connect(sandbox, adapter, portal.email);
  clock.advance(HOUR);
  const full = await runRound(syncer, accessToken, { mode: 'full', cursor: null }, clock);
  expect(parseCursor(full.cursor)?.ids.size).toBe(150);

  clock.advance(HOUR);
  const added = sandbox.control.addItem('hubspot', portal.id, 'contacts', { firstname: 'Brief' }).id;
  clock.advance(1000);
  const cursor = (await runRound(syncer, accessToken, { mode: 'incremental', cursor: full.cursor }, clock))
    .cursor;
  expect(parseCursor(cursor)?.ids.size).toBe(151);

  // Gone without a trace: a GDPR delete, the purge of an object archived long ago, and the one added above.
  const [erased, purged] = full.upserts.map((r) => r.externalId);
  const archived = full.upserts[2]!.externalId;
  for (const id of [erased!, purged!, added])
    sandbox.control.deleteItem('hubspot', portal.id, 'contacts', id);
  sandbox.control.updateItem('hubspot', portal.id, 'contacts', archived, { archived: true });
  clock.advance(HOUR);
  const search = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);
  // Search cannot see permanent deletes; only the archiving arrives.
  expect(search.deletes).toEqual([archived]);

  clock.advance(6 * HOUR);
  const relist = await runRound(syncer, accessToken, { mode: 'incremental', cursor: search.cursor }, clock);
  expect(relist.continuations[0]).toMatchObject({ phase: 'list' });
  // The archived one comes from the archived list and again from the comparison: a repeated delete is harmless.
  expect([...new Set(relist.deletes)].sort()).toEqual([archived, erased!, purged!, added].sort());
  expect(relist.upserts).toHaveLength(147);
  expect(parseCursor(relist.cursor)).toMatchObject({ listedAt: clock.now() });
  expect(parseCursor(relist.cursor)?.ids.size).toBe(147);

  // The next listing has nothing left to remove.
  clock.advance(7 * HOUR);
  const again = await runRound(syncer, accessToken, { mode: 'incremental', cursor: relist.cursor }, clock);
  expect(again.deletes).toEqual([archived]);
});
