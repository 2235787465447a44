import { AuditEventEntity } from './auditEvent';
import { ConnectionEntity } from './connection';
import { CredentialEntity } from './credential';
import { CalendarEventEntity, ContactEntity, CrmObjectEntity, EmailEntity } from './crm';
import { SyncQuarantineEntity } from './syncQuarantine';
import { SyncStateEntity } from './syncState';

export {
  AuditEventEntity,
  CalendarEventEntity,
  ConnectionEntity,
  ContactEntity,
  CredentialEntity,
  CrmObjectEntity,
  EmailEntity,
  SyncQuarantineEntity,
  SyncStateEntity,
};

export const ENTITIES = [
  ConnectionEntity,
  CredentialEntity,
  SyncStateEntity,
  EmailEntity,
  CalendarEventEntity,
  ContactEntity,
  CrmObjectEntity,
  AuditEventEntity,
  SyncQuarantineEntity,
];
