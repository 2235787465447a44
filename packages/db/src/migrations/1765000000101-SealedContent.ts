import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 19, encryption at rest, step 2: synced content is sealed per row under the connection's data key
// (packages/db `sealed/fields.ts` says which fields, docs/encryption-at-rest.md why). Each item table gets the
// sealed value and its blind index terms (keyed HMACs of the row's addresses, per tenant), searched through a GIN
// index: "all mail with alice@example.com" is `blind_index && <terms>`. Attachment rows seal their names;
// participant rows are keyed by their address's term and seal the address and name. The plain content columns stay
// for rows written before this migration (they keep their plain text until the sealing migration of the issue's
// step 5 rewrites them, or their next sync write does); the engine writes them empty from now on. Written out,
// not derived from code, for the reason given in the initial migration.

const ITEM_TABLES = ['emails', 'calendar_events', 'contacts', 'crm_objects'];

const UP = [
  ...ITEM_TABLES.flatMap((table) => [
    `ALTER TABLE ${table} ADD COLUMN sealed bytea NULL, ADD COLUMN blind_index bytea[] NOT NULL DEFAULT '{}'`,
    `CREATE INDEX ${table}_blind_index_idx ON ${table} USING gin (blind_index)`,
  ]),
  `ALTER TABLE email_attachments ADD COLUMN sealed bytea NULL`,
  `ALTER TABLE participants
    ADD COLUMN term bytea NULL,
    ADD COLUMN sealed bytea NULL,
    ALTER COLUMN address DROP NOT NULL,
    ADD CONSTRAINT participants_address_or_term_check CHECK (num_nonnulls(address, term) >= 1)`,
  `DROP INDEX participants_address_idx`,
  `DROP INDEX participants_email_key`,
  `DROP INDEX participants_event_key`,
  `DROP INDEX participants_contact_key`,
  // The CRM's question, now by term: everything with this person (the join narrows to the tenant's connections).
  `CREATE INDEX participants_term_idx ON participants (term, connection_id)`,
  // One row per person and item, as before; these also serve the engine's replace-by-item and the cascades.
  `CREATE UNIQUE INDEX participants_email_key ON participants (connection_id, email_external_id, term)
    WHERE email_external_id IS NOT NULL`,
  `CREATE UNIQUE INDEX participants_event_key ON participants (connection_id, event_external_id, term)
    WHERE event_external_id IS NOT NULL`,
  `CREATE UNIQUE INDEX participants_contact_key ON participants (connection_id, contact_external_id, term)
    WHERE contact_external_id IS NOT NULL`,
];

// Participant rows written sealed have no plain address and cannot exist before this migration: they go (their
// items' next write after a new `up` puts them back).
const DOWN = [
  `DELETE FROM participants WHERE address IS NULL`,
  `DROP INDEX participants_term_idx`,
  `DROP INDEX participants_email_key`,
  `DROP INDEX participants_event_key`,
  `DROP INDEX participants_contact_key`,
  `ALTER TABLE participants
    DROP CONSTRAINT participants_address_or_term_check,
    ALTER COLUMN address SET NOT NULL,
    DROP COLUMN term,
    DROP COLUMN sealed`,
  `CREATE INDEX participants_address_idx ON participants (address, connection_id)`,
  `CREATE UNIQUE INDEX participants_email_key ON participants (connection_id, email_external_id, address)
    WHERE email_external_id IS NOT NULL`,
  `CREATE UNIQUE INDEX participants_event_key ON participants (connection_id, event_external_id, address)
    WHERE event_external_id IS NOT NULL`,
  `CREATE UNIQUE INDEX participants_contact_key ON participants (connection_id, contact_external_id, address)
    WHERE contact_external_id IS NOT NULL`,
  `ALTER TABLE email_attachments DROP COLUMN sealed`,
  ...ITEM_TABLES.map((table) => `ALTER TABLE ${table} DROP COLUMN sealed, DROP COLUMN blind_index`),
];

export class SealedContent1765000000101 implements MigrationInterface {
  name = 'SealedContent1765000000101';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
