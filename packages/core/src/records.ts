/**
 * Provider-neutral records the sync engine writes into the CRM tables. Adapters map provider shapes onto these
 * (pure functions, unit-tested); the engine adds the connection id and a content hash.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface EmailRecord {
  externalId: string;
  threadId: string | null;
  fromAddress: string | null;
  toAddresses: string[];
  ccAddresses: string[];
  subject: string | null;
  sentAt: Date | null;
  labels: string[];
  snippet: string | null;
}

export interface CalendarEventRecord {
  externalId: string;
  calendarId: string | null;
  title: string | null;
  description: string | null;
  location: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  allDay: boolean;
  eventStatus: string | null;
  organizer: string | null;
  attendees: JsonValue[];
}

export interface ContactRecord {
  externalId: string;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  emails: string[];
  phones: string[];
  company: string | null;
  jobTitle: string | null;
}

export interface CrmObjectRecord {
  externalId: string;
  /** HubSpot object type (`contacts`, `companies`, `deals`); ids are unique only within one type. */
  objectType: string;
  properties: Record<string, string | null>;
  remoteUpdatedAt: Date | null;
}

/** Which record each CRM table holds. */
export interface RecordsByTable {
  emails: EmailRecord;
  calendar_events: CalendarEventRecord;
  contacts: ContactRecord;
  crm_objects: CrmObjectRecord;
}

export type CrmTableName = keyof RecordsByTable;
