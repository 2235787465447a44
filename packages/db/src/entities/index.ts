import { AuditEventEntity } from './auditEvent';
import { ConnectionEntity } from './connection';
import { CredentialEntity } from './credential';
import {
  CalendarEventEntity,
  ContactEntity,
  CrmObjectEntity,
  EmailAttachmentEntity,
  EmailEntity,
  TaskEntity,
  DriveFileEntity,
} from './crm';
import { SyncQuarantineEntity } from './syncQuarantine';
import { SyncStateEntity } from './syncState';

export {
  AuditEventEntity,
  CalendarEventEntity,
  ConnectionEntity,
  ContactEntity,
  CredentialEntity,
  CrmObjectEntity,
  EmailAttachmentEntity,
  EmailEntity,
  SyncQuarantineEntity,
  SyncStateEntity,
  TaskEntity,
  DriveFileEntity,
};

export const ENTITIES = [
  ConnectionEntity,
  CredentialEntity,
  SyncStateEntity,
  EmailEntity,
  EmailAttachmentEntity,
  CalendarEventEntity,
  ContactEntity,
  TaskEntity,
  DriveFileEntity,
  CrmObjectEntity,
  AuditEventEntity,
  SyncQuarantineEntity,
];
