/**
 * The one table of what is sealed (issue 19, docs/encryption-at-rest.md): for each synced table, the fields of its
 * provider-neutral record (packages/core) that go into the row's `sealed` value, each with the plain column that
 * held it before. The sync engine seals exactly these (records/sealing.ts) and writes those plain columns empty;
 * everything else (ids, timestamps, provider state such as labels and threading ids, foreign keys) stays plain so
 * syncs, schedules, audits and purges run without a data key.
 */
export const SEALED_FIELDS = {
  emails: {
    fromAddress: 'from_address',
    toAddresses: 'to_addresses',
    ccAddresses: 'cc_addresses',
    bccAddresses: 'bcc_addresses',
    subject: 'subject',
    snippet: 'snippet',
    bodyText: 'body_text',
    bodyHtml: 'body_html',
    uniqueBody: 'unique_body',
    // Threading ids (migration 1765000000181): found by their own blind index terms (`message_terms`).
    messageId: 'message_id',
    inReplyTo: 'in_reply_to',
    references: 'reference_ids',
  },
  calendar_events: {
    title: 'title',
    description: 'description',
    location: 'location',
    organizer: 'organizer',
    attendees: 'attendees',
  },
  contacts: {
    displayName: 'display_name',
    givenName: 'given_name',
    familyName: 'family_name',
    emails: 'emails',
    phones: 'phones',
    company: 'company',
    jobTitle: 'job_title',
  },
  // Every HubSpot property, `hubspot_owner_id` included: the bag is sealed whole.
  crm_objects: { properties: 'properties' },
  // Born sealed (migration 1765000000190): no plain column ever held these, so nothing is cleared.
  drive_files: { name: null, ownerEmails: null },
  // Since migration 1765000000181; the list's title and the status stay plain.
  tasks: { title: 'title', notes: 'notes' },
  email_attachments: { name: 'name', contentId: 'content_id' },
  // A participant row is found by its address's blind index term (`term`), never by the address.
  participants: { address: 'address', name: 'name' },
} as const satisfies Record<string, Record<string, string | null>>;

export type SealedTable = keyof typeof SEALED_FIELDS;

/** The record fields of a table that are sealed. */
export type SealedField<T extends SealedTable> = keyof (typeof SEALED_FIELDS)[T] & string;

/** The sealed fields of a table, in the table's order. */
export function sealedFields<T extends SealedTable>(table: T): SealedField<T>[] {
  return Object.keys(SEALED_FIELDS[table]) as SealedField<T>[];
}

/** The plain columns that held a table's sealed fields: written empty (NULL or their default) from now on. */
export function clearedColumns(table: SealedTable): string[] {
  return Object.values(SEALED_FIELDS[table] as Record<string, string | null>).filter(
    (column): column is string => column !== null,
  );
}
