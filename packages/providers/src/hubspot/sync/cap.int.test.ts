import {
  DEFAULT_CLIENT,
  createHubspotModule,
  startSandbox,
  type Account,
  type RunningSandbox,
} from '@crm-sync/provider-sandbox';
import { type ResourceSyncer } from '@crm-sync/core';
import { endpointsOf, REDIRECT_URI } from '../../../test/sandbox';
import { createHubSpotAdapter } from '../index';
import { connect, createPortal, manualClock, runRound } from '../../../test/hubspot';
import { parseCursor } from './rounds';

// The sandbox's search result cap lowered from 10,000 so a round of more changes than the cap stays fast.
const CAP = 500;
const SIZE = 1_200;
const HOUR = 3_600_000;

const clock = manualClock(Math.floor(Date.now() / 1000) * 1000);
let sandbox: RunningSandbox;
let syncer: ResourceSyncer;

beforeAll(async () => {
  sandbox = await startSandbox({
    clock,
    modules: [
      createHubspotModule({
        limits: { searchPerSecond: 1e6, tenSecondly: 1e6 },
        search: { resultCap: CAP },
      }),
    ],
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
  return { accessToken, cursor, portal };
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

test('more changed objects than the search cap all arrive: fresh queries from the last instant read', async () => {
  // 7 edits share each instant, so every page ends inside a shared instant.
  const { accessToken, cursor } = await editedPortal('cap@acme.example', (i) => Math.floor(i / 7));
  const round = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);

  const ids = new Set(round.upserts.map((r) => r.externalId));
  expect(ids.size).toBe(SIZE);
  expect(round.upserts.every((r) => r.properties.firstname?.startsWith('Edited '))).toBe(true);
  // Only the objects of each page's last instant come twice.
  const searches = round.continuations.filter((c) => c.phase === 'search').length + 1;
  expect(round.upserts.length).toBeLessThan(SIZE + 7 * searches);
  expect(new Set(searchStatuses())).toEqual(new Set([200]));
  expect(parseCursor(round.cursor)).toBe(Math.max(...round.upserts.map((r) => r.remoteUpdatedAt!.getTime())));
});

test('more objects modified at one instant than the cap: paged through by id, nothing lost, no 400', async () => {
  const { accessToken, cursor } = await editedPortal('bulk@acme.example', () => 0);
  const round = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock);

  expect(new Set(round.upserts.map((r) => r.externalId)).size).toBe(SIZE);
  expect(round.continuations.some((c) => c.tieAfterId !== null && c.phase === 'search')).toBe(true);
  expect(new Set(searchStatuses())).toEqual(new Set([200]));
});

test('many objects sharing instants across page boundaries, and edits made while the round pages: none lost', async () => {
  // 450 objects at one instant straddle the 200-object pages; the rest spread out after it.
  const { accessToken, cursor, portal } = await editedPortal('ties@acme.example', (i) => (i < 450 ? 0 : i));
  const edited: string[] = [];
  const round = await runRound(syncer, accessToken, { mode: 'incremental', cursor }, clock, (page) => {
    if (page < 3 || page > 5) return;
    // An object the round already read gets a new instant, after everything else.
    clock.advance(1000);
    const id = String(1_000_001 + page * 10);
    sandbox.control.updateItem('hubspot', portal.id, 'contacts', id, {
      firstname: `Again ${page}`,
    });
    edited.push(id);
  });
  const last = new Map(round.upserts.map((r) => [r.externalId, r]));
  expect(last.size).toBe(SIZE);
  for (const [n, id] of edited.entries()) expect(last.get(id)?.properties.firstname).toBe(`Again ${n + 3}`);
  expect(new Set(searchStatuses())).toEqual(new Set([200]));
});
