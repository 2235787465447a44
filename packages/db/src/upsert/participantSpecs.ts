import type { ParticipantRecord } from '@crm-sync/core';
import type { SealedField } from '../sealed/fields';
import { defineChildSpec, type ChildSpec } from './children';
import type { CrmTable } from './markDeleted';

/**
 * A participant as its row holds it: found by its address's blind index term (per tenant, packages/vault
 * `IndexKeys`), the address and name sealed (sealed/fields.ts), the roles and answer plain.
 */
export type SealedParticipant = Omit<ParticipantRecord, SealedField<'participants'>> & {
  term: Buffer;
  sealed: Buffer;
};

/**
 * The participants table holds the people of four item tables; each item table has its own column for its rows'
 * external id (the others stay null), and crm_objects one for their object type too, since their ids are unique
 * only per type. So each is one child spec, keyed by the address's term.
 */
function participantsOf(
  parentTable: CrmTable,
  parentColumn: string,
  parentTypeColumn?: string,
): ChildSpec<SealedParticipant> {
  return defineChildSpec<SealedParticipant>({
    table: 'participants',
    parentTable,
    parentColumn,
    ...(parentTypeColumn && { parentTypeColumn }),
    columns: {
      term: { column: 'term', type: 'bytea' },
      sealed: { column: 'sealed', type: 'bytea' },
      roles: { column: 'roles', type: 'text[]' },
      response: { column: 'response', type: 'text' },
    },
    key: 'term',
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
