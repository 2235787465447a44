export { databaseNameOf, dropDatabase, ensureDatabase, withDatabase } from './admin';
export {
  createDataSource,
  DATA_SOURCE_DEFAULTS,
  MIGRATIONS_TABLE,
  type DataSourceOptions,
} from './dataSource';
export {
  AuditEventEntity,
  CalendarEventEntity,
  ConnectionEntity,
  ContactEntity,
  CredentialEntity,
  CrmObjectEntity,
  EmailAttachmentEntity,
  EmailEntity,
  ENTITIES,
  SyncQuarantineEntity,
  SyncStateEntity,
  TaskEntity,
  DriveFileEntity,
} from './entities';
export { DatabaseUrlError } from './errors';
export {
  dropLinksOfDeleted,
  replaceLinks,
  type LinkInput,
  type LinkScope,
  type LinkSetInput,
} from './links/links';
export { MIGRATIONS } from './migrations';
export {
  defineChildSpec,
  removeChildrenOfDeleted,
  replaceChildren,
  type ChildSet,
  type ChildSpec,
  type ChildSpecInput,
  type ParentLink,
} from './upsert/children';
export type { SqlExecutor } from './upsert/executor';
export {
  contactParticipantChildren,
  crmObjectParticipantChildren,
  emailParticipantChildren,
  eventParticipantChildren,
  type SealedParticipant,
} from './upsert/participantSpecs';
export {
  clearedColumns,
  SEALED_FIELDS,
  sealedFields,
  type SealedField,
  type SealedTable,
} from './sealed/fields';
export {
  CRM_TABLES,
  markDeleted,
  markGhostsDeleted,
  type CrmTable,
  type GhostScope,
} from './upsert/markDeleted';
export {
  calendarEventUpsert,
  contactUpsert,
  crmObjectUpsert,
  emailAttachmentChildren,
  emailUpsert,
  taskUpsert,
  driveFileUpsert,
  type CalendarEventInput,
  type ContactInput,
  type CrmObjectInput,
  type EmailInput,
  type SealedAttachment,
  type SealedColumns,
  type SealedInput,
  type TaskInput,
  type DriveFileInput,
  type UpsertInput,
} from './upsert/specs';
export type { SqlType } from './upsert/sqlArrays';
export { sweepUnseen, windowConditions, type SweepScope } from './upsert/sweep';
export {
  defineUpsertSpec,
  UPSERT_PAGE_SIZE,
  upsertRows,
  upsertRowsReporting,
  type UpsertColumn,
  type UpsertCounts,
  type UpsertSpec,
  type UpsertSpecInput,
} from './upsert/upsertRows';
export {
  SYNC_STATUSES,
  type AuditEventRow,
  type CalendarEventRow,
  type ConnectionRow,
  type ContactRow,
  type CredentialRow,
  type CrmObjectRow,
  type CrmRowBase,
  type EmailAttachmentRow,
  type EmailRow,
  type JsonObject,
  type SyncQuarantineRow,
  type SyncStateRow,
  type SyncStatus,
  type TaskRow,
  type DriveFileRow,
} from './types';
