import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 19, encryption at rest for what came after migration 1765000000101: task titles and notes are sealed into
// `tasks.sealed` (the table came with 1765000000170), and emails' RFC 5322 threading ids (Message-ID, In-Reply-To,
// References) move into `emails.sealed`, since their right-hand side usually names the sender's host and so a
// correspondent's company. Threads stay joinable without them: `thread_id` (the provider's) stays plain, and each
// id gets a blind index term of its own purpose (`message_terms`, keyed per tenant: docs/encryption-at-rest.md).
// The plain columns stay for rows written before this (the batch sealer or their next write empties them).
// Written out, not derived from code, for the reason given in the initial migration.

const UP = [
  `ALTER TABLE tasks ADD COLUMN sealed bytea NULL`,
  `ALTER TABLE emails ADD COLUMN message_terms bytea[] NOT NULL DEFAULT '{}'`,
  `CREATE INDEX emails_message_terms_idx ON emails USING gin (message_terms)`,
];

const DOWN = [
  `DROP INDEX emails_message_terms_idx`,
  `ALTER TABLE emails DROP COLUMN message_terms`,
  `ALTER TABLE tasks DROP COLUMN sealed`,
];

export class SealedTasksAndMessageIds1765000000181 implements MigrationInterface {
  name = 'SealedTasksAndMessageIds1765000000181';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
