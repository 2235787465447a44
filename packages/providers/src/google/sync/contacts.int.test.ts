import { applyRounds, FULL, incremental, runRound, sandboxItems } from '../../../test/google/harness';
import { syncScenarios } from '../../../test/google/scenarios';

/** The fields of the sandbox's stored contact this test reads (provider-sandbox src/google/people/generate.ts). */
interface SandboxContact {
  givenName: string;
  familyName: string;
  email: string;
  phone: string;
  organization: string;
  jobTitle: string;
}

const scenario = syncScenarios<'contacts', SandboxContact>({
  resource: 'contacts',
  sandboxResource: 'contacts',
  route: 'people.connections.list',
  size: 1200,
  sync: { peoplePageSize: 500 },
  initialWindowDays: 30,
  externalId: (id) => `people/${id}`,
  // Contacts have no window: a full round takes them all.
  inWindow: () => true,
  expected: ({ id, data }) => ({
    externalId: `people/${id}`,
    displayName: `${data.givenName} ${data.familyName}`,
    givenName: data.givenName,
    familyName: data.familyName,
    emails: [data.email],
    phones: [data.phone],
    company: data.organization,
    jobTitle: data.jobTitle,
  }),
  edit: { fields: { organization: 'Initrode' }, expected: { company: 'Initrode' } },
});

test('a contact linked to a profile moves to its new resource name; unlinked, its old name comes back', async () => {
  const control = scenario.harness().sandbox.control;
  const { account } = scenario.main();
  const full = await runRound(scenario.syncer(), FULL, scenario.options());
  const id = sandboxItems<SandboxContact>(scenario.harness(), account, 'contacts')[7]!.id;
  const before = applyRounds([full]).get(`people/${id}`);
  control.updateItem('google', account.id, 'contacts', id, { linkProfile: true });
  const linked = await runRound(scenario.syncer(), incremental(full.cursor), scenario.options());
  const renamed = linked.upserts[0]?.externalId as string;
  expect(renamed).toMatch(/^people\/\d{21}$/);
  expect(linked.deletes).toEqual([`people/${id}`]);
  const afterLink = applyRounds([full, linked]);
  expect([afterLink.has(`people/${id}`), afterLink.get(renamed)?.displayName]).toEqual([
    false,
    before?.displayName,
  ]);

  control.updateItem('google', account.id, 'contacts', id, { linkProfile: false });
  const unlinked = await runRound(scenario.syncer(), incremental(linked.cursor), scenario.options());
  expect([unlinked.upserts.map((r) => r.externalId), unlinked.deletes]).toEqual([
    [`people/${id}`],
    [renamed],
  ]);
  const table = applyRounds([full, linked, unlinked]);
  expect([table.has(renamed), table.get(`people/${id}`)?.displayName]).toEqual([false, before?.displayName]);
});
