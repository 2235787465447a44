import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Mark-and-sweep of full rounds and the quarantine of items that cannot be stored (issue 16; the design is in
// packages/sync-engine/README.md). Written out, not derived from code, for the reason given in the initial migration.

const CRM_TABLES = ['emails', 'calendar_events', 'contacts', 'crm_objects'];

const UP = [
  // round_generation: bumped by the first page of each full round; full_round_at: when one last completed;
  // round_pages: pages the current round has committed (for the round's log line).
  `ALTER TABLE sync_states
     ADD COLUMN round_generation bigint NOT NULL DEFAULT 0,
     ADD COLUMN full_round_at timestamptz NULL,
     ADD COLUMN round_pages integer NOT NULL DEFAULT 0`,
  // The generation of the last full round that listed the row; NULL for rows written before this migration.
  ...CRM_TABLES.map((table) => `ALTER TABLE ${table} ADD COLUMN seen_round bigint NULL`),
  `CREATE TABLE sync_quarantine (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    resource text NOT NULL,
    external_id text NOT NULL,
    reason text NOT NULL,
    attempts integer NOT NULL DEFAULT 1,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sync_quarantine_item_key UNIQUE (connection_id, resource, external_id)
  )`,
];

const DOWN = [
  `DROP TABLE sync_quarantine`,
  ...CRM_TABLES.map((table) => `ALTER TABLE ${table} DROP COLUMN seen_round`),
  `ALTER TABLE sync_states DROP COLUMN round_generation, DROP COLUMN full_round_at, DROP COLUMN round_pages`,
];

export class RoundSweep1765000000000 implements MigrationInterface {
  name = 'RoundSweep1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
