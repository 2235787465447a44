export {
  type AttachmentContent,
  type AttachmentReader,
  type DriveContent,
  type DriveContentRequest,
  type DriveFileContentReader,
  type DriveFileWriter,
  type DriveShareRequest,
  type DriveUploadRequest,
  type AttachmentRequest,
  type AuthorizationRequest,
  type CodeExchange,
  type ProviderAdapter,
  type ProviderApi,
  type RequestBudget,
  type ProviderIdentity,
  type ProviderOAuth,
  type RefreshTokenExpiry,
  type RevokeOutcome,
  type TokenGrant,
} from './adapter';
export type {
  OpenedPushChannel,
  PushChannelRef,
  PushChannelRequest,
  ResourcePush,
  ResourcePushers,
} from './adapter';
export {
  AUDIT_EVENT_TYPES,
  CONNECTION_STATUSES,
  isResourceOf,
  PROVIDERS,
  RESOURCES,
  RESOURCES_BY_PROVIDER,
  SYNC_MODES,
  type AuditEventType,
  type ConnectionStatus,
  type Provider,
  type Resource,
  type SyncMode,
} from './domain';
export {
  ClassifiedProviderError,
  InvalidPayloadError,
  type ProviderErrorClass,
  type ProviderErrorKind,
} from './errors';
export { asyncApiDocument, eventMessages } from './asyncapi';
export {
  connectionEventSchema,
  crmNotificationSchema,
  type ConnectionEvent,
  type CrmNotification,
} from './events';
export {
  connectionId,
  providerResourceSchema,
  syncJobId,
  syncJobSchema,
  tokenRefreshJobSchema,
  type SyncJobData,
  type TokenRefreshJobData,
} from './jobs';
export { parsePayload } from './parse';
export { PARTICIPANT_ROLES, TASK_STATUSES } from './records';
export type {
  CalendarEventRecord,
  ChildFieldsByTable,
  ContactRecord,
  TaskRecord,
  DriveFileRecord,
  TaskStatus,
  CrmObjectRecord,
  CrmTableName,
  EmailAttachmentRecord,
  EmailDirection,
  EmailRecord,
  JsonValue,
  ParticipantRecord,
  ParticipantRole,
  RecordsByTable,
  RowRecord,
} from './records';
export type {
  FetchedItems,
  IdListRequest,
  IdPage,
  ItemLinks,
  LinkRecord,
  ListedWindow,
  ResourceSyncer,
  ResourceSyncers,
  SetAsideItem,
  SyncContinuation,
  SyncPage,
  SyncPosition,
  SyncRequest,
} from './sync';
export {
  QUEUE_NAMES,
  SYNC_QUEUE_NAMES,
  SYNC_QUEUES,
  WORKER_QUEUE_NAMES,
  type QueueName,
  type SyncQueueName,
  type WorkerQueueName,
} from './queues';
export {
  NOTICE_ACTIONS,
  NOTICE_REFUSALS,
  NoticeRefusedError,
  type NoticeAction,
  type NoticeRefusal,
  type NoticeTarget,
  type VerifiedDelivery,
  type VerifiedNotice,
} from './notices';
export {
  contactFieldsV1,
  eventFieldsV1,
  idempotencyKey,
  SEND_UPDATES,
  WRITE_BODIES,
  WRITE_OPS,
  WRITE_RESOURCES,
  WRITE_STATUSES,
  writeExternalId,
  writeRequestSchema,
  writeVersion,
  type ContactFieldsV1,
  type ContactWrite,
  type EventFieldsV1,
  type EventWrite,
  type WriteOp,
  type WriteRequest,
  type WriteRequestInput,
  type WriteResource,
  type WriteStatus,
} from './writes';
export type {
  ResourceWriter,
  ResourceWriters,
  WriteAttempt,
  WriteOutcome,
  WrittenRecord,
} from './writeAdapter';
export { normalizeAddress } from './addresses';
export { pushSecretDigest } from './pushSecret';
