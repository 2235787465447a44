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

export interface GraphEvent extends OutlookItemFields {
  subject: string;
  bodyPreview: string;
  body: ItemBody;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  isAllDay: boolean;
  isCancelled: boolean;
  showAs: 'free' | 'tentative' | 'busy' | 'oof';
  type: 'singleInstance';
  iCalUId: string;
  location: { displayName: string };
  organizer: Recipient;
  attendees: {
    type: 'required' | 'optional';
    status: { response: 'none' | 'accepted' | 'tentativelyAccepted' | 'declined'; time: string };
    emailAddress: EmailAddress;
  }[];
}

export interface GraphContact extends OutlookItemFields {
  displayName: string;
  givenName: string;
  surname: string;
  emailAddresses: EmailAddress[];
  businessPhones: string[];
  mobilePhone: string | null;
  companyName: string;
  jobTitle: string;
  parentFolderId: string;
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
