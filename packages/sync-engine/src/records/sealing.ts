import type {
  CrmObjectRecord,
  CrmTableName,
  EmailAttachmentRecord,
  ParticipantRecord,
  RecordsByTable,
} from '@crm-sync/core';
import {
  sealedFields,
  type CrmTable,
  type SealedAttachment,
  type SealedParticipant,
  type SealedTable,
} from '@crm-sync/db';
import { sealRow, type ContentKeys, type DataKey } from '@crm-sync/vault';
import { contentHash } from './contentHash';
import { contactParticipants, emailParticipants, eventParticipants, normalizeAddress } from './participants';

/** Whose rows a page writes: the connection (its data key and content-hash key) and its tenant (blind index). */
export interface ContentOwner {
  connectionId: string;
  tenantId: string;
}

/** A value split for its row: the plain fields, and the sealed ones as one sealed value. */
export interface Split {
  plain: Record<string, unknown>;
  sealed: Buffer;
}

/**
 * Seals the content of one page's rows (docs/encryption-at-rest.md): the fields packages/db `SEALED_FIELDS` names,
 * under the connection's data key, bound to the table and the row's key; blind index terms for the addresses the
 * CRM looks rows up by (per tenant, normalised as participants are); the keyed content hash. The data key is loaded
 * (or created) once per page, and DataKeys caches it across pages.
 */
export class PageSealer {
  /** Terms already computed in this page: the mailbox owner's address, for one, is on nearly every message. */
  private readonly terms = new Map<string, Buffer>();

  private constructor(
    private readonly keys: ContentKeys,
    private readonly owner: ContentOwner,
    private readonly dataKey: DataKey,
  ) {}

  static async open(keys: ContentKeys, owner: ContentOwner): Promise<PageSealer> {
    return new PageSealer(keys, owner, await keys.dataKeys.forWrite(owner.connectionId));
  }

  contentHash(record: unknown): string {
    return contentHash(this.keys.indexKeys, this.owner.connectionId, record);
  }

  /** The blind index term of a normalised address (records/participants.ts `normalizeAddress`). */
  term(address: string): Buffer {
    let term = this.terms.get(address);
    if (term === undefined) {
      term = this.keys.indexKeys.term('address', this.owner.tenantId, address);
      this.terms.set(address, term);
    }
    return term;
  }

  /** The terms of a record's addresses, each once. */
  termsOf<T extends CrmTableName>(table: T, record: RecordsByTable[T]): Buffer[] {
    return [...new Set(ADDRESSES[table](record))].map((address) => this.term(address));
  }

  /** Splits a value of `table` into its plain fields and its sealed ones, sealed for the row `rowKey` names. */
  seal(table: SealedTable, rowKey: readonly string[], value: object): Split {
    const plain: Record<string, unknown> = { ...value };
    const content: Record<string, unknown> = {};
    for (const field of sealedFields(table)) {
      content[field] = plain[field] ?? null;
      delete plain[field];
    }
    return { plain, sealed: sealRow(this.dataKey, { table, rowKey }, content) };
  }
}

/**
 * The addresses a row is found by. Mail, events and contacts: their participants' (from, to, cc, bcc; organiser
 * and attendees; a contact's addresses). CRM objects: every property value, or `;`-separated part of one (how
 * multi-valued properties arrive), that is an address.
 */
const ADDRESSES: { [T in CrmTableName]: (record: RecordsByTable[T]) => string[] } = {
  emails: (record) => emailParticipants(record).map((p) => p.address),
  calendar_events: (record) => eventParticipants(record).map((p) => p.address),
  contacts: (record) => contactParticipants(record).map((p) => p.address),
  crm_objects: propertyAddresses,
  tasks: () => [],
  drive_files: (record) => record.ownerEmails.map(normalizeAddress).filter((a): a is string => !!a),
};

function propertyAddresses(record: CrmObjectRecord): string[] {
  const found: string[] = [];
  for (const value of Object.values(record.properties)) {
    if (typeof value !== 'string' || !value.includes('@')) continue;
    for (const part of value.split(';')) {
      const address = normalizeAddress(part);
      if (address !== null) found.push(address);
    }
  }
  return found;
}

/** A row's key within its connection, as its sealed value is bound to it: the object type first for crm_objects. */
export function rowKeyOf(record: { externalId: string; objectType?: string }): string[] {
  return record.objectType === undefined ? [record.externalId] : [record.objectType, record.externalId];
}

/** An attachment row: its name and Content-ID sealed for (email, attachment id). */
export function sealAttachment(
  sealer: PageSealer,
  parentKey: readonly string[],
  attachment: EmailAttachmentRecord,
): SealedAttachment {
  const rowKey = [...parentKey, attachment.attachmentId];
  const { plain, sealed } = sealer.seal('email_attachments', rowKey, attachment);
  return { ...(plain as Omit<SealedAttachment, 'sealed'>), sealed };
}

/**
 * A participant row of an item of `parentTable`: keyed by its address's term, the address and name sealed for
 * (item table, item's key, term), since one participants table holds the people of four item tables.
 */
export const sealParticipant =
  (parentTable: CrmTable) =>
  (sealer: PageSealer, parentKey: readonly string[], participant: ParticipantRecord): SealedParticipant => {
    const term = sealer.term(participant.address);
    const rowKey = [parentTable, ...parentKey, term.toString('hex')];
    const { plain, sealed } = sealer.seal('participants', rowKey, participant);
    return { ...(plain as Omit<SealedParticipant, 'term' | 'sealed'>), term, sealed };
  };
