import { type MigrationInterface, type QueryRunner } from 'typeorm';

// The completeness audit (issue 16; packages/sync-engine/README.md "Completeness audit"): what the last audit of a
// resource found and did, and whether it asked for a full round to bring back what the table was missing. Written
// out, not derived from code, for the reason given in the initial migration.

const UP = `ALTER TABLE sync_states
  ADD COLUMN audit_at timestamptz NULL,
  ADD COLUMN audit_missing integer NULL,
  ADD COLUMN audit_ghosts integer NULL,
  ADD COLUMN audit_repaired integer NULL,
  ADD COLUMN full_round_wanted boolean NOT NULL DEFAULT false`;

const DOWN = `ALTER TABLE sync_states
  DROP COLUMN audit_at, DROP COLUMN audit_missing, DROP COLUMN audit_ghosts, DROP COLUMN audit_repaired,
  DROP COLUMN full_round_wanted`;

export class CompletenessAudit1765000000002 implements MigrationInterface {
  name = 'CompletenessAudit1765000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(UP);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DOWN);
  }
}
