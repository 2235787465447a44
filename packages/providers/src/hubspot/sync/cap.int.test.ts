import {
  DEFAULT_CLIENT,
  createHubspotModule,
  startSandbox,
  type Account,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { type ResourceSyncer } from '@crm-sync/core';
import { endpointsOf, REDIRECT_URI } from '../../../test/sandbox';
import { HUBSPOT_DESCRIPTOR } from '../descriptor';
import { createHubSpotAdapter } from '../index';
import { connect, createPortal, manualClock, runRound } from '../../../test/hubspot';

// The sandbox's 10,000-result search cap is a constant, so these accounts hold more objects than that.
const SIZE = 10_500;
const HOUR = 3_600_000;

const clock = manualClock(Math.floor(Date.now() / 1000) * 1000);
let sandbox: RunningSandbox;
let syncer: ResourceSyncer;

beforeAll(async () => {
  sandbox = await startSandbox({
    clock,
    modules: [createHubspotModule({ limits: { searchPerSecond: 1e6, tenSecondly: 1e6 } })],
  });
  syncer = createHubSpotAdapter(adapterOptions()).sync!.contacts!;
});
afterAll(() => sandbox.close());

async function editedPortal(email: string, instantOf: (i: number) => number) {
  const portal: Account = createPortal(sandbox, email, { contacts: SIZE });
  const { accessToken } = await connect(sandbox, createHubSpotAdapter(adapterOptions()), email);
  clock.advance(HOUR);
  const cursor = new Date(clock.now()).toISOString();
  const base = clock.now() + 60_000;
  for (let i = 0; i < SIZE; i++) {
    clock.set(base + instantOf(i));
    sandbox.control.updateItem('hubspot', portal.id, 'contacts', String(1_000_001 + i), {
      firstname: `Edited ${i}`,
    });
  }
  return { accessToken, cursor };
}

function adapterOptions() {
  return {
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: endpointsOf(sandbox).hubspot,
  };
}

const searchStatuses = () =>
  sandbox.control
    .counters()
    .filter((c) => c.route === 'crm.objects.search')
    .map((c) => c.status);

afterEach(() => sandbox.control.resetCounters());

test('more than 10,000 changed objects in one round all arrive: a new query starts before the cap', async () => {
  // 7 edits share each instant, so the restart point is a shared instant too.
  const { accessToken, cursor } = await editedPortal('cap@acme.example', (i) => Math.floor(i / 7));
  const round = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);

  const ids = new Set(round.upserts.map((r) => r.externalId));
  expect(ids.size).toBe(SIZE);
  expect(round.upserts.every((r) => r.properties.firstname?.startsWith('Edited '))).toBe(true);
  // One restart; only the objects of the instant it restarted at come twice.
  const restarts = round.continuations.filter((c) => c.phase === 'search' && c.after === null).length;
  expect(restarts).toBe(1);
  expect(round.upserts.length).toBeLessThan(SIZE + 7);
  expect(new Set(searchStatuses())).toEqual(new Set([200]));
  expect(round.cursor).toBe(
    new Date(Math.max(...round.upserts.map((r) => r.remoteUpdatedAt!.getTime()))).toISOString(),
  );
  expect(Math.max(...round.continuations.map((c) => Number(c.after ?? 0)))).toBeLessThanOrEqual(
    HUBSPOT_DESCRIPTOR.searchResultCap - HUBSPOT_DESCRIPTOR.searchPageSize,
  );
});

test('more than 10,000 objects modified at one instant: paged through by id, nothing lost, no 400', async () => {
  const { accessToken, cursor } = await editedPortal('bulk@acme.example', () => 0);
  const round = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);

  expect(new Set(round.upserts.map((r) => r.externalId)).size).toBe(SIZE);
  expect(round.continuations.some((c) => c.tieAfterId !== null && c.phase === 'search')).toBe(true);
  expect(new Set(searchStatuses())).toEqual(new Set([200]));
});
