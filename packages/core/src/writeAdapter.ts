import type { CalendarEventRecord, ContactRecord, CrmObjectRecord } from './records';
import type { ContactWrite, EventWrite, ObjectWrite } from './writes';

/** What one provider call for a write gets besides the write itself. */
export interface WriteAttempt {
  accessToken: string;
  /**
   * The key a create is tagged with at the provider (the write's id), which the provider keeps with the item, so
   * a retry can find an item an earlier attempt created (docs/write-back.md, "Exactly once").
   */
  clientKey: string;
  /** An earlier attempt may have reached the provider (its worker died before recording the outcome). */
  retried: boolean;
}

/** The item as the provider holds it after the write, in the sync's own record shape (null once deleted). */
export type WrittenRecord = ContactRecord | CalendarEventRecord | CrmObjectRecord;

/**
 * How a write ended at the provider. Failures worth retrying (network, 5xx, 429) are thrown as
 * `ClassifiedProviderError` instead.
 */
export type WriteOutcome =
  | { kind: 'applied'; externalId: string; version: string | null; record: WrittenRecord | null }
  /** The provider holds a newer version than the write's base: `current` is it (null: deleted there). */
  | { kind: 'conflict'; externalId: string; version: string | null; current: WrittenRecord | null }
  /** The provider refused the write as it stands (validation, unknown item): nothing changed. */
  | { kind: 'refused'; reason: string };

/** Applies one resource's writes at a provider. */
export interface ResourceWriter<W> {
  /** The scopes of which the grant needs one for this write; without, the write is refused unsent. */
  scopesFor(write: W): readonly string[];
  apply(write: W, attempt: WriteAttempt): Promise<WriteOutcome>;
}

/** The writers an adapter offers; an absent one means writes of that resource are refused (`not_supported`). */
export interface ResourceWriters {
  contacts?: ResourceWriter<ContactWrite>;
  events?: ResourceWriter<EventWrite>;
  objects?: ResourceWriter<ObjectWrite>;
}
