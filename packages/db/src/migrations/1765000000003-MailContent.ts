import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Mail content (issue 18): bodies, threading headers, direction and attachment metadata. Written out, not derived
// from code, for the reason given in the initial migration.

const UP = [
  `ALTER TABLE emails
    ADD COLUMN bcc_addresses text[] NOT NULL DEFAULT '{}',
    ADD COLUMN body_text text NULL,
    ADD COLUMN body_html text NULL,
    ADD COLUMN unique_body text NULL,
    ADD COLUMN body_truncated boolean NOT NULL DEFAULT false,
    ADD COLUMN message_id text NULL,
    ADD COLUMN in_reply_to text NULL,
    ADD COLUMN reference_ids text[] NOT NULL DEFAULT '{}',
    -- NULL on rows written before this migration, until their next write (the record's hash covers the new fields).
    ADD COLUMN direction text NULL
      CONSTRAINT emails_direction_check CHECK (direction IN ('sent', 'received'))`,
  // Threads are looked up by the ids replies name: a reply's In-Reply-To finds its parent's Message-ID.
  `CREATE INDEX emails_connection_message_id_idx ON emails (connection_id, message_id)`,
  // One row per file of a message; the content stays at the provider. The rows belong to their email row: they go
  // with it (purge, connection deletion) through the cascade, and the sync engine replaces them when the email's
  // content changes and removes them when the email is marked deleted.
  `CREATE TABLE email_attachments (
    connection_id uuid NOT NULL,
    email_external_id text NOT NULL,
    attachment_id text NOT NULL,
    name text NULL,
    content_type text NULL,
    size bigint NULL,
    is_inline boolean NOT NULL DEFAULT false,
    content_id text NULL,
    CONSTRAINT email_attachments_key PRIMARY KEY (connection_id, email_external_id, attachment_id),
    CONSTRAINT email_attachments_email_fkey FOREIGN KEY (connection_id, email_external_id)
      REFERENCES emails (connection_id, external_id) ON DELETE CASCADE
  )`,
];

const DOWN = [
  `DROP TABLE email_attachments`,
  `DROP INDEX emails_connection_message_id_idx`,
  `ALTER TABLE emails
    DROP COLUMN bcc_addresses, DROP COLUMN body_text, DROP COLUMN body_html, DROP COLUMN unique_body,
    DROP COLUMN body_truncated, DROP COLUMN message_id, DROP COLUMN in_reply_to, DROP COLUMN reference_ids,
    DROP COLUMN direction`,
];

export class MailContent1765000000003 implements MigrationInterface {
  name = 'MailContent1765000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
