import {
  DEFAULT_CLIENT,
  createHubspotModule,
  startSandbox,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { endpointsOf, REDIRECT_URI } from '../../../test/sandbox';
import { createHubSpotAdapter } from '../index';
import { connect, createPortal, manualClock, runRound } from '../../../test/hubspot';

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

// Search never reports a permanent delete, so the syncer asks the engine for periodic full rounds; a full round lists
// exactly the live objects, and the engine's sweep removes the rows of everything it did not list (the engine side is
// packages/sync-engine slice/periodic.int.test.ts).
test('permanent deletes: search cannot see them, the periodic full round lists only what is left', async () => {
  const portal = createPortal(sandbox, 'gdpr@acme.example', { contacts: 150 });
  const adapter = createHubSpotAdapter({
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).hubspot,
    syncFullRoundEveryMs: 6 * HOUR,
  });
  const syncer = adapter.sync!.contacts!;
  expect(syncer.fullRoundEveryMs).toBe(6 * HOUR);
  const { accessToken } = await connect(sandbox, adapter, portal.email);
  clock.advance(HOUR);
  const full = await runRound(syncer, accessToken, { mode: 'full', cursor: null }, clock);
  expect(new Set(full.upserts.map((r) => r.externalId)).size).toBe(150);

  clock.advance(HOUR);
  const added = sandbox.control.addItem('hubspot', portal.id, 'contacts', { firstname: 'Brief' }).id;
  clock.advance(1000);
  const { cursor } = await runRound(syncer, accessToken, { mode: 'incremental', cursor: full.cursor }, clock);

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

  // The full round the engine runs once 6 h have passed lists the 147 left; the archived one is reported again.
  clock.advance(6 * HOUR);
  const relist = await runRound(syncer, accessToken, { mode: 'full', cursor: null }, clock);
  const listed = new Set(relist.upserts.map((r) => r.externalId));
  expect(listed.size).toBe(147);
  for (const gone of [erased!, purged!, added, archived]) expect(listed.has(gone)).toBe(false);
  expect(relist.deletes).toEqual([archived]);
});
