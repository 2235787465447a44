import { PERSON_FIELDS } from './map';

/**
 * Partial-response selections (Google's `fields` system parameter, docs/providers/google.md#partial-responses):
 * each call asks for what the syncers and mappers read and nothing else, paging tokens and history ids included,
 * since a selection that leaves them out gets responses without them.
 */
export const GOOGLE_FIELDS = {
  /** `historyId`: where the incremental rounds start. */
  profile: 'historyId',
  messageList: 'messages/id,nextPageToken',
  /** What `mapRawMessage` reads, and `labelIds` for the hidden-label check. */
  message: 'id,threadId,labelIds,snippet,internalDate,raw',
  history:
    'history(messagesAdded/message/id,labelsAdded/message/id,labelsRemoved/message/id,messagesDeleted/message/id),' +
    'nextPageToken,historyId',
  /** What `mapEvent` reads. */
  events:
    'items(id,status,summary,description,location,start,end,organizer/email,' +
    'attendees(email,displayName,resource,optional,responseStatus)),nextPageToken,nextSyncToken',
  /** `personFields` chooses the person fields; this keeps the envelope to the tokens. */
  connections: `connections(resourceName,${PERSON_FIELDS}),nextPageToken,nextSyncToken`,
  /** The completeness audit's id passes (sync/idPass.ts): ids, and what says whether the item is live. */
  eventIds: 'items(id,status),nextPageToken',
  connectionIds: 'connections(resourceName,metadata/deleted),nextPageToken',
} as const;
