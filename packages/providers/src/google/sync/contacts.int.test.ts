import { syncScenarios } from '../../../test/google/scenarios';

/** The fields of the sandbox's stored contact this test reads (provider-sandbox src/google/data.ts). */
interface SandboxContact {
  givenName: string;
  familyName: string;
  email: string;
  phone: string;
  organization: string;
}

syncScenarios<'contacts', SandboxContact>({
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
    jobTitle: null,
  }),
  edit: { fields: { organization: 'Initrode' }, expected: { company: 'Initrode' } },
});
