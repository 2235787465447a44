/**
 * Provider-neutral records the sync engine writes into the CRM tables. Adapters map provider shapes onto these
 * (pure functions, unit-tested); the engine adds the connection id and a content hash.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Whether the connected account sent a message or received it. */
export type EmailDirection = 'sent' | 'received';

/** A file carried by a message: metadata only, its content stays at the provider. */
export interface EmailAttachmentRecord {
  /** The provider's id for it, stable for the message's life (unique within the message). */
  attachmentId: string;
  name: string | null;
  contentType: string | null;
  size: number | null;
  /** Shown inside the body (an image the HTML refers to by `cid:`) rather than offered as a file. */
  isInline: boolean;
  /** `Content-ID`, angle brackets removed: what `cid:` references in the HTML body name. */
  contentId: string | null;
}

export interface EmailRecord {
  externalId: string;
  threadId: string | null;
  fromAddress: string | null;
  toAddresses: string[];
  ccAddresses: string[];
  /** Only known for mail the account sent (a received message's Bcc is not delivered). */
  bccAddresses: string[];
  subject: string | null;
  sentAt: Date | null;
  labels: string[];
  snippet: string | null;
  bodyText: string | null;
  bodyHtml: string | null;
  /**
   * The part of the body new in this message, without the quoted earlier messages, where the provider tells them
   * apart (Graph `uniqueBody`); null where it does not.
   */
  uniqueBody: string | null;
  /** A body longer than the configured cap was cut to it. */
  bodyTruncated: boolean;
  /** RFC 5322 `Message-ID`, `In-Reply-To` and `References` (ids with their angle brackets). */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  direction: EmailDirection;
  /** Written to `email_attachments`, in step with the row (see CHILD_FIELDS). */
  attachments: EmailAttachmentRecord[];
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

/**
 * Where a task stands, one word for every provider: Google Tasks knows `needsAction` and `completed`, Microsoft To Do
 * also in progress, waiting on others and deferred (docs/providers/google.md#tasks-sync, microsoft.md#to-do-sync).
 */
export const TASK_STATUSES = ['open', 'in_progress', 'waiting', 'deferred', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface TaskRecord {
  externalId: string;
  /** The provider's id of the list that holds the task now. */
  listId: string;
  listTitle: string | null;
  title: string | null;
  notes: string | null;
  status: TaskStatus;
  dueAt: Date | null;
  completedAt: Date | null;
}

/**
 * The metadata of a Drive file the user selected for the CRM (docs/drive.md); the content is never stored. `name`
 * and the owners' addresses are sealed at rest like other content. A file trashed or no longer accessible is a
 * deletion (its row is marked deleted), so no live row is trashed.
 */
export interface DriveFileRecord {
  externalId: string;
  name: string | null;
  mimeType: string;
  /** Bytes; null for files without binary content (Docs Editors files). */
  size: number | null;
  ownerEmails: string[];
  modifiedAt: Date | null;
  webViewLink: string | null;
}

export interface CrmObjectRecord {
  externalId: string;
  /** HubSpot object type (`contacts`, `companies`, `deals`); ids are unique only within one type. */
  objectType: string;
  properties: Record<string, string | null>;
  remoteUpdatedAt: Date | null;
  /**
   * The addresses of the person the object is, as its provider mapping reads them from its properties (a HubSpot
   * contact's primary and additional emails); empty for objects that are not people. Written to `participants`
   * (role `contact`), not to the row (see ChildFieldsByTable).
   */
  addresses: string[];
}

/** Which record each CRM table holds. */
export interface RecordsByTable {
  emails: EmailRecord;
  calendar_events: CalendarEventRecord;
  contacts: ContactRecord;
  tasks: TaskRecord;
  drive_files: DriveFileRecord;
  crm_objects: CrmObjectRecord;
}

export type CrmTableName = keyof RecordsByTable;

/**
 * The field of each table's record kept in a child table rather than in the row: child records (an email's
 * attachments), or what child records are derived from (a CRM object's addresses, its participants).
 */
export interface ChildFieldsByTable {
  emails: 'attachments';
  calendar_events: never;
  contacts: never;
  tasks: never;
  drive_files: never;
  crm_objects: 'addresses';
}

/** The part of a record that is stored in its table's row. */
export type RowRecord<T extends CrmTableName> = Omit<RecordsByTable[T], ChildFieldsByTable[T]>;

/**
 * How a person appears in a CRM row: a mail header (`from`, `to`, `cc`, `bcc`), a meeting (`organizer`,
 * `attendee`) or a contact's own address (`contact`).
 */
export const PARTICIPANT_ROLES = ['from', 'to', 'cc', 'bcc', 'organizer', 'attendee', 'contact'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/**
 * One person of one email, event, contact or CRM object (a HubSpot contact), kept in the participants table:
 * derived by the sync engine from the record's address fields, one per normalised address with every role it has
 * there.
 */
export interface ParticipantRecord {
  /** Trimmed and lower-cased, so one person is one key whatever case each header used. */
  address: string;
  /** A display name where the provider gives one (meeting attendees). */
  name: string | null;
  roles: ParticipantRole[];
  /** A meeting attendee's answer as the provider names it (`accepted`, `declined`, ...); null elsewhere. */
  response: string | null;
}
