import type { ContactFieldsV1, ContactWrite, ResourceWriter, WriteOutcome } from '@crm-sync/core';
import { GaxiosError } from 'gaxios';
import type { people_v1 } from 'googleapis/build/src/apis/people';
import { googleApisFor, type GoogleApiOptions } from '../client';
import { mapPerson, PERSON_FIELDS } from '../map';
import { GOOGLE_DESCRIPTOR } from '../descriptor';

type People = people_v1.Resource$People;

/** The clientData key a created contact carries the write's id under (Person.clientData, kept by People). */
export const CLIENT_KEY_NAME = 'crm-sync-write';
/** clientData is read back only when asked for, so lookups name it with the sync's own fields. */
const FIELDS_WITH_KEY = `${PERSON_FIELDS},clientData`;

/** The People fields a CRM field lives in: `names` and `organizations` each hold two of them. */
const MASKS: Record<keyof ContactFieldsV1, string> = {
  givenName: 'names',
  familyName: 'names',
  emails: 'emailAddresses',
  phones: 'phoneNumbers',
  company: 'organizations',
  jobTitle: 'organizations',
};

const toPerson = (f: ContactFieldsV1): people_v1.Schema$Person => ({
  ...(f.givenName !== undefined || f.familyName !== undefined
    ? { names: [{ givenName: f.givenName ?? null, familyName: f.familyName ?? null }] }
    : {}),
  ...(f.emails ? { emailAddresses: f.emails.map((value) => ({ value })) } : {}),
  ...(f.phones ? { phoneNumbers: f.phones.map((value) => ({ value })) } : {}),
  ...(f.company !== undefined || f.jobTitle !== undefined
    ? { organizations: [{ name: f.company ?? null, title: f.jobTitle ?? null }] }
    : {}),
});

const applied = (person: people_v1.Schema$Person): WriteOutcome => ({
  kind: 'applied',
  externalId: person.resourceName ?? '',
  version: person.etag ?? null,
  record: mapPerson(person),
});
const conflict = (externalId: string, person: people_v1.Schema$Person | undefined): WriteOutcome => ({
  kind: 'conflict',
  externalId,
  version: person?.etag ?? null,
  current: person ? mapPerson(person) : null,
});

const status = (error: unknown) => (error instanceof GaxiosError ? error.response?.status : undefined);
/** People's answer to a stale etag: 400 FAILED_PRECONDITION (docs/providers/google.md#people-writes). */
function isStaleEtag(error: unknown): boolean {
  if (status(error) !== 400) return false;
  const body = (error as GaxiosError).response?.data as
    { error?: { status?: string; errors?: Array<{ reason?: string }> } } | undefined;
  return (
    body?.error?.status === 'FAILED_PRECONDITION' ||
    (body?.error?.errors ?? []).some((e) => e.reason === 'failedPrecondition')
  );
}

async function current(people: People, resourceName: string): Promise<people_v1.Schema$Person | undefined> {
  try {
    return (await people.get({ resourceName, personFields: PERSON_FIELDS })).data;
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}

/**
 * A contact an earlier attempt of this write created: People has no lookup by clientData, so the connections are
 * listed with their clientData and scanned (only on a retry, docs/write-back.md "Exactly once").
 */
async function findByClientKey(people: People, key: string): Promise<people_v1.Schema$Person | undefined> {
  let pageToken: string | undefined;
  do {
    const { data } = await people.connections.list({
      resourceName: 'people/me',
      personFields: FIELDS_WITH_KEY,
      pageSize: 1000,
      ...(pageToken ? { pageToken } : {}),
    });
    const found = (data.connections ?? []).find((p) =>
      (p.clientData ?? []).some((d) => d.key === CLIENT_KEY_NAME && d.value === key),
    );
    if (found) return found;
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return undefined;
}

/**
 * A change that names only one half of `names` or `organizations` would clear the other half (a mask replaces
 * the whole field), so such an update first reads the contact and keeps the half it did not name.
 */
function halves(f: ContactFieldsV1): boolean {
  return 'givenName' in f !== 'familyName' in f || 'company' in f !== 'jobTitle' in f;
}

async function update(people: People, write: Extract<ContactWrite, { op: 'update' }>): Promise<WriteOutcome> {
  let fields = write.fields;
  if (halves(fields)) {
    const now = await current(people, write.externalId);
    if (!now || now.etag !== write.baseVersion) return conflict(write.externalId, now);
    const was = mapPerson(now);
    fields = {
      givenName: was.givenName,
      familyName: was.familyName,
      company: was.company,
      jobTitle: was.jobTitle,
      ...fields,
    };
  }
  const mask = [...new Set(Object.keys(fields).map((k) => MASKS[k as keyof ContactFieldsV1]))].join(',');
  try {
    const { data } = await people.updateContact({
      resourceName: write.externalId,
      updatePersonFields: mask,
      personFields: PERSON_FIELDS,
      requestBody: { etag: write.baseVersion, ...toPerson(fields) },
    });
    return applied(data);
  } catch (error) {
    // Changed or deleted since the CRM read it: the write is not applied blindly.
    if (isStaleEtag(error) || status(error) === 404)
      return conflict(write.externalId, await current(people, write.externalId));
    throw error;
  }
}

/**
 * People contacts (docs/providers/google.md#people-writes): createContact tagged with the write's id in clientData,
 * updateContact with the etag the CRM saw, deleteContact after checking that etag (People's delete takes none).
 */
export function createContactsWriter(api: GoogleApiOptions): ResourceWriter<ContactWrite> {
  return {
    scopesFor: () => GOOGLE_DESCRIPTOR.writeScopesByResource.contacts,
    async apply(write, attempt) {
      const people = googleApisFor(attempt.accessToken, api).people.people;
      if (write.op === 'create') {
        const earlier = attempt.retried ? await findByClientKey(people, attempt.clientKey) : undefined;
        if (earlier) return applied(earlier);
        const { data } = await people.createContact({
          personFields: PERSON_FIELDS,
          requestBody: {
            ...toPerson(write.fields),
            clientData: [{ key: CLIENT_KEY_NAME, value: attempt.clientKey }],
          },
        });
        return applied(data);
      }
      if (write.op === 'update') return update(people, write);
      const now = await current(people, write.externalId);
      // Gone already (another delete, or this one before a crash): the outcome the CRM asked for holds.
      if (!now) return { kind: 'applied', externalId: write.externalId, version: null, record: null };
      if (now.etag !== write.baseVersion) return conflict(write.externalId, now);
      await people.deleteContact({ resourceName: write.externalId });
      return { kind: 'applied', externalId: write.externalId, version: null, record: null };
    },
  };
}
