// Wire shapes the sandbox emits for Graph v1.0. They mirror the subset of
// @microsoft/microsoft-graph-types that crm-sync reads; graphTypes.test.ts assigns samples to the
// official types so a drift in either side fails `tsc`.

export interface EmailAddress {
  name: string;
  address: string;
}

export interface Recipient {
  emailAddress: EmailAddress;
}

export interface ItemBody {
  contentType: 'text' | 'html';
  content: string;
}

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

/** Fields every Outlook item carries; `changeKey` changes on each edit. */
export interface OutlookItemFields {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  categories: string[];
}

/** Follow-up flag; Outlook sends `{ flagStatus: 'notFlagged' }` for an unflagged message. */
export interface FollowupFlag {
  flagStatus: 'notFlagged' | 'complete' | 'flagged';
}

/** A message's default properties (https://learn.microsoft.com/graph/api/resources/message). */
export interface GraphMessage extends OutlookItemFields {
  subject: string;
  bodyPreview: string;
  body: ItemBody;
  from: Recipient;
  sender: Recipient;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  receivedDateTime: string;
  sentDateTime: string;
  isRead: boolean;
  isDraft: boolean;
  isDeliveryReceiptRequested: boolean;
  isReadReceiptRequested: boolean;
  hasAttachments: boolean;
  importance: 'low' | 'normal' | 'high';
  inferenceClassification: 'focused' | 'other';
  flag: FollowupFlag;
  conversationId: string;
  internetMessageId: string;
  parentFolderId: string;
  webLink: string;
  /**
   * Returned only when `$select` names them (https://learn.microsoft.com/graph/api/resources/message): the body
   * without the quoted earlier messages, and the RFC 5322 headers.
   */
  uniqueBody: ItemBody;
  internetMessageHeaders: InternetMessageHeader[];
}

/** Every property of a message the sandbox serves: what `$select` may name (select.ts `unknownSelected`). */
const MESSAGE_PROPERTY_SET: Record<keyof GraphMessage, true> = {
  id: true,
  createdDateTime: true,
  lastModifiedDateTime: true,
  changeKey: true,
  categories: true,
  subject: true,
  bodyPreview: true,
  body: true,
  from: true,
  sender: true,
  toRecipients: true,
  ccRecipients: true,
  bccRecipients: true,
  replyTo: true,
  receivedDateTime: true,
  sentDateTime: true,
  isRead: true,
  isDraft: true,
  isDeliveryReceiptRequested: true,
  isReadReceiptRequested: true,
  hasAttachments: true,
  importance: true,
  inferenceClassification: true,
  flag: true,
  conversationId: true,
  internetMessageId: true,
  parentFolderId: true,
  webLink: true,
  uniqueBody: true,
  internetMessageHeaders: true,
};
export const MESSAGE_PROPERTIES = Object.keys(MESSAGE_PROPERTY_SET);

export interface InternetMessageHeader {
  name: string;
  value: string;
}

/** A message's file (https://learn.microsoft.com/graph/api/resources/fileattachment). */
export interface GraphFileAttachment {
  '@odata.type': '#microsoft.graph.fileAttachment';
  id: string;
  lastModifiedDateTime: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  contentId: string | null;
  contentLocation: string | null;
  contentBytes: string;
}

export interface PhysicalAddress {
  street?: string;
  city?: string;
  state?: string;
  countryOrRegion?: string;
  postalCode?: string;
}

export interface Location {
  displayName: string;
  locationType: 'default' | 'conferenceRoom' | 'homeAddress' | 'businessAddress';
  uniqueId?: string;
  uniqueIdType: 'unknown' | 'locationStore' | 'directory' | 'private' | 'bing';
}

/** An event's default properties (https://learn.microsoft.com/graph/api/resources/event). */
export interface GraphEvent extends OutlookItemFields {
  transactionId: string | null;
  /** Windows zone names, as Outlook stores them; `start`/`end` come in the zone `Prefer: outlook.timezone` asks. */
  originalStartTimeZone: string;
  originalEndTimeZone: string;
  iCalUId: string;
  reminderMinutesBeforeStart: number;
  isReminderOn: boolean;
  hasAttachments: boolean;
  subject: string;
  bodyPreview: string;
  importance: 'low' | 'normal' | 'high';
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  isAllDay: boolean;
  isCancelled: boolean;
  isOrganizer: boolean;
  responseRequested: boolean;
  /** The series an occurrence or exception belongs to; null for single instances. */
  seriesMasterId: string | null;
  showAs: 'free' | 'tentative' | 'busy' | 'oof';
  type: 'singleInstance' | 'occurrence' | 'exception';
  webLink: string;
  onlineMeetingUrl: string | null;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: 'unknown' | 'teamsForBusiness';
  allowNewTimeProposals: boolean;
  isDraft: boolean;
  hideAttendees: boolean;
  /** Only a series master has a recurrence; calendarView lists occurrences, never masters. */
  recurrence: null;
  responseStatus: {
    response: 'none' | 'organizer' | 'accepted' | 'tentativelyAccepted' | 'declined';
    time: string;
  };
  body: ItemBody;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  location: Location;
  locations: Location[];
  attendees: {
    type: 'required' | 'optional';
    status: { response: 'none' | 'accepted' | 'tentativelyAccepted' | 'declined'; time: string };
    emailAddress: EmailAddress;
  }[];
  organizer: Recipient;
  onlineMeeting: { joinUrl: string } | null;
}

/** A contact's default properties (https://learn.microsoft.com/graph/api/resources/contact). */
export interface GraphContact extends OutlookItemFields {
  parentFolderId: string;
  birthday: string | null;
  fileAs: string;
  displayName: string;
  givenName: string;
  initials: string | null;
  middleName: string | null;
  nickName: string | null;
  surname: string;
  title: string | null;
  yomiGivenName: string | null;
  yomiSurname: string | null;
  yomiCompanyName: string | null;
  generation: string | null;
  imAddresses: string[];
  jobTitle: string;
  companyName: string;
  department: string | null;
  officeLocation: string | null;
  profession: string | null;
  businessHomePage: string | null;
  assistantName: string | null;
  manager: string | null;
  homePhones: string[];
  mobilePhone: string | null;
  businessPhones: string[];
  spouseName: string | null;
  personalNotes: string;
  children: string[];
  emailAddresses: EmailAddress[];
  homeAddress: PhysicalAddress;
  businessAddress: PhysicalAddress;
  otherAddress: PhysicalAddress;
}

export interface GraphUser {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  userPrincipalName: string;
  jobTitle: string | null;
  officeLocation: string | null;
  preferredLanguage: string;
  businessPhones: string[];
  mobilePhone: string | null;
}

export type GraphItem = GraphMessage | GraphEvent | GraphContact;

/** What a delta page carries for an item that left the result set. */
export interface RemovedItem {
  '@odata.type'?: string;
  id: string;
  '@removed': { reason: 'deleted' | 'changed' };
}

export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: {
      code?: string;
      date: string;
      'request-id': string;
      'client-request-id': string;
    };
  };
}
