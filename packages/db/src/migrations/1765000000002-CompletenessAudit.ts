import { type MigrationInterface, type QueryRunner } from 'typeorm';

// The completeness audit (issue 16; packages/sync-engine/README.md "Completeness audit"): what the last audit of a
// resource found and did, and whether it asked for a full round to bring back what the table was missing. Written
// out, not derived from code, for the reason given in the initial migration.

// audit_due_at: when the scheduler next enqueues an audit (null: one interval after the last full round).
const UP = `ALTER TABLE sync_states
  ADD COLUMN audit_due_at timestamptz NULL,
  ADD COLUMN audit_at timestamptz NULL,
  ADD COLUMN audit_missing integer NULL,
  ADD COLUMN audit_ghosts integer NULL,
  ADD COLUMN audit_repaired integer NULL,
  ADD COLUMN full_round_wanted boolean NOT NULL DEFAULT false`;

// The scheduler's claim of due audits (sync-states claimDueAudits) reads these every tick: due by audit_due_at, or,
// before the first one was scheduled, by the last full round.
const INDEXES = [
  `CREATE INDEX sync_states_audit_due_idx ON sync_states (audit_due_at) WHERE enabled`,
  `CREATE INDEX sync_states_first_audit_idx ON sync_states (full_round_at) WHERE enabled AND audit_due_at IS NULL`,
];

const DOWN = `ALTER TABLE sync_states
  DROP COLUMN audit_due_at, DROP COLUMN audit_at, DROP COLUMN audit_missing, DROP COLUMN audit_ghosts, DROP COLUMN audit_repaired,
  DROP COLUMN full_round_wanted`;

export class CompletenessAudit1765000000002 implements MigrationInterface {
  name = 'CompletenessAudit1765000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(UP);
    for (const statement of INDEXES) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Dropping the columns drops their indexes.
    await queryRunner.query(DOWN);
  }
}
