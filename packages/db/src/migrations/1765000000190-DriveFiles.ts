import { type MigrationInterface, type QueryRunner } from 'typeorm';

// drive_files (issue 23): the metadata of the Google Drive files a user selected for the CRM, one row per file,
// written by the sync engine like the other CRM tables (content hash, round generation, soft delete). Born sealed
// (docs/encryption-at-rest.md): the file's name and its owners' addresses live only in `sealed`, so the table has
// no plain column for them; `blind_index` holds the owners' address terms. Written out, not derived from code, for
// the reason given in the initial migration.

const UP = [
  `CREATE TABLE drive_files (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    external_id text NOT NULL,
    content_hash text NOT NULL,
    seen_round bigint NULL,
    deleted_at timestamptz NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    sealed bytea NULL,
    blind_index bytea[] NOT NULL DEFAULT '{}',
    mime_type text NOT NULL,
    size bigint NULL,
    modified_at timestamptz NULL,
    web_view_link text NULL,
    CONSTRAINT drive_files_external_key UNIQUE (connection_id, external_id)
  )`,
  // Rows found by an owner's address term, like the other sealed item tables (1765000000101).
  `CREATE INDEX drive_files_blind_index_idx ON drive_files USING gin (blind_index)`,
];

const DOWN = [`DROP TABLE drive_files`];

export class DriveFiles1765000000190 implements MigrationInterface {
  name = 'DriveFiles1765000000190';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
