import type { ParticipantRecord } from '@crm-sync/core';
import { defineChildSpec, type ChildSpec } from './children';
import type { CrmTable } from './markDeleted';

/**
 * The participants table holds the people of four item tables; each item table has its own column for its rows'
 * external id (the others stay null), and crm_objects one for their object type too, since their ids are unique
 * only per type. So each is one child spec, keyed by the normalised address.
 */
function participantsOf(
  parentTable: CrmTable,
  parentColumn: string,
  parentTypeColumn?: string,
): ChildSpec<ParticipantRecord> {
  return defineChildSpec<ParticipantRecord>({
    table: 'participants',
    parentTable,
    parentColumn,
    ...(parentTypeColumn && { parentTypeColumn }),
    columns: {
      address: { column: 'address', type: 'text' },
      name: { column: 'name', type: 'text' },
      roles: { column: 'roles', type: 'text[]' },
      response: { column: 'response', type: 'text' },
    },
    key: 'address',
  });
}

export const emailParticipantChildren = participantsOf('emails', 'email_external_id');
export const eventParticipantChildren = participantsOf('calendar_events', 'event_external_id');
export const contactParticipantChildren = participantsOf('contacts', 'contact_external_id');
export const crmObjectParticipantChildren = participantsOf(
  'crm_objects',
  'object_external_id',
  'object_type',
);
