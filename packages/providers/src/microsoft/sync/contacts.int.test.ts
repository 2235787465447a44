import type { Contact } from '@microsoft/microsoft-graph-types';
import { deltaScenarios } from '../../../test/microsoft/deltaScenarios';

deltaScenarios<'contacts', Contact>({
  resource: 'contacts',
  sandboxResource: 'contacts',
  route: 'graph.contacts.delta',
  size: 1200,
  initialWindowDays: 30,
  expected: (c) => ({
    displayName: c.displayName!,
    givenName: c.givenName!,
    familyName: c.surname!,
    emails: (c.emailAddresses ?? []).map((e) => e.address!),
    phones: [...(c.businessPhones ?? []), ...(c.mobilePhone ? [c.mobilePhone] : [])],
    company: c.companyName!,
    jobTitle: c.jobTitle!,
  }),
  edit: { fields: { givenName: 'Edited' }, expected: { givenName: 'Edited' } },
});
