import { type FieldSchema } from './schema';

// Response types of the routes the sandbox serves, field names as in the Gmail, Calendar and People references
// (docs/providers/google.md#partial-responses). Objects the sandbox never fills in are `leaf`.

const leaves = (...names: string[]): FieldSchema =>
  Object.fromEntries(names.map((n) => [n, 'leaf' as const]));

const header = leaves('name', 'value');
const partBody = leaves('attachmentId', 'size', 'data');
// MessagePart nests itself in `parts`; two levels cover what a sandbox message has.
const innerPart: FieldSchema = {
  ...leaves('partId', 'mimeType', 'filename', 'parts'),
  headers: header,
  body: partBody,
};
const messagePart: FieldSchema = { ...innerPart, parts: innerPart };
const message: FieldSchema = {
  ...leaves('id', 'threadId', 'labelIds', 'snippet', 'historyId', 'internalDate', 'sizeEstimate', 'raw'),
  ...leaves('classificationLabelValues'),
  payload: messagePart,
};
const historyMessage: FieldSchema = { message };
const historyLabel: FieldSchema = { message, labelIds: 'leaf' };
const history: FieldSchema = {
  id: 'leaf',
  messages: message,
  messagesAdded: historyMessage,
  messagesDeleted: historyMessage,
  labelsAdded: historyLabel,
  labelsRemoved: historyLabel,
};

const eventDateTime = leaves('date', 'dateTime', 'timeZone');
const person = leaves('id', 'email', 'displayName', 'self');
const attendee = leaves(
  'id',
  'email',
  'displayName',
  'organizer',
  'self',
  'resource',
  'optional',
  'responseStatus',
  'comment',
  'additionalGuests',
);
const event: FieldSchema = {
  ...leaves('kind', 'etag', 'id', 'status', 'htmlLink', 'created', 'updated', 'summary', 'description'),
  ...leaves('location', 'colorId', 'endTimeUnspecified', 'recurrence', 'recurringEventId', 'transparency'),
  ...leaves('visibility', 'iCalUID', 'sequence', 'attendeesOmitted', 'extendedProperties', 'hangoutLink'),
  ...leaves('conferenceData', 'gadget', 'anyoneCanAddSelf', 'guestsCanInviteOthers', 'guestsCanModify'),
  ...leaves('guestsCanSeeOtherGuests', 'privateCopy', 'locked', 'reminders', 'source', 'attachments'),
  ...leaves(
    'workingLocationProperties',
    'outOfOfficeProperties',
    'focusTimeProperties',
    'birthdayProperties',
  ),
  ...leaves('eventType'),
  creator: person,
  organizer: person,
  start: eventDateTime,
  end: eventDateTime,
  originalStartTime: eventDateTime,
  attendees: attendee,
};

const personResource: FieldSchema = {
  ...leaves('resourceName', 'etag', 'metadata', 'addresses', 'ageRange', 'ageRanges', 'biographies'),
  ...leaves('birthdays', 'braggingRights', 'calendarUrls', 'clientData', 'coverPhotos', 'emailAddresses'),
  ...leaves('events', 'externalIds', 'fileAses', 'genders', 'imClients', 'interests', 'locales', 'locations'),
  ...leaves('memberships', 'miscKeywords', 'names', 'nicknames', 'occupations', 'organizations'),
  ...leaves('phoneNumbers', 'photos', 'relations', 'relationshipInterests', 'relationshipStatuses'),
  ...leaves('residences', 'sipAddresses', 'skills', 'taglines', 'urls', 'userDefined'),
};

// Drive v3 File (reference/rest/v3/files): the fields the sandbox fills in, and the rest of the resource as leaves.
const driveFile: FieldSchema = {
  ...leaves('kind', 'id', 'name', 'mimeType', 'trashed', 'explicitlyTrashed', 'createdTime', 'modifiedTime'),
  ...leaves('version', 'size', 'webViewLink', 'webContentLink', 'description', 'starred', 'parents'),
  ...leaves('md5Checksum', 'iconLink', 'thumbnailLink', 'viewedByMeTime', 'shared', 'capabilities'),
  owners: leaves('kind', 'displayName', 'emailAddress', 'me', 'permissionId', 'photoLink'),
  permissions: leaves('kind', 'id', 'type', 'role', 'emailAddress', 'domain', 'displayName'),
};

/** Route id → the schema of its JSON response. */
export const GOOGLE_RESPONSE_SCHEMAS: Readonly<Record<string, FieldSchema>> = {
  'gmail.users.getProfile': leaves('emailAddress', 'messagesTotal', 'threadsTotal', 'historyId'),
  'gmail.messages.list': { messages: message, nextPageToken: 'leaf', resultSizeEstimate: 'leaf' },
  'gmail.messages.get': message,
  'gmail.users.history.list': { history, nextPageToken: 'leaf', historyId: 'leaf' },
  'calendar.events.list': {
    ...leaves('kind', 'etag', 'summary', 'description', 'updated', 'timeZone', 'accessRole'),
    ...leaves('defaultReminders', 'nextPageToken', 'nextSyncToken'),
    items: event,
  },
  'calendar.calendarList.list': leaves('kind', 'etag', 'nextPageToken', 'nextSyncToken', 'items'),
  'drive.files.get': driveFile,
  'drive.files.list': { ...leaves('kind', 'nextPageToken', 'incompleteSearch'), files: driveFile },
  'drive.changes.getStartPageToken': leaves('kind', 'startPageToken'),
  'drive.changes.list': {
    ...leaves('kind', 'nextPageToken', 'newStartPageToken'),
    changes: {
      ...leaves('kind', 'changeType', 'removed', 'fileId', 'time', 'driveId', 'drive'),
      file: driveFile,
    },
  },
  'people.connections.list': {
    ...leaves('nextPageToken', 'nextSyncToken', 'totalPeople', 'totalItems'),
    connections: personResource,
  },
};
