import { type MigrationInterface, type QueryRunner } from 'typeorm';

// tasks (issue 23): Google Tasks and Microsoft To Do items, one row per task, written by the sync engine like the
// other CRM tables (content hash, round generation, soft delete). Written out, not derived from code, for the reason
// given in the initial migration; the status list is core's TASK_STATUSES on the day this ran.

const UP = [
  `CREATE TABLE tasks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    external_id text NOT NULL,
    content_hash text NOT NULL,
    seen_round bigint NULL,
    deleted_at timestamptz NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    list_id text NOT NULL,
    list_title text NULL,
    title text NULL,
    notes text NULL,
    status text NOT NULL CONSTRAINT tasks_status_check
      CHECK (status IN ('open', 'in_progress', 'waiting', 'deferred', 'completed')),
    due_at timestamptz NULL,
    completed_at timestamptz NULL,
    CONSTRAINT tasks_external_key UNIQUE (connection_id, external_id)
  )`,
];

const DOWN = [`DROP TABLE tasks`];

export class Tasks1765000000170 implements MigrationInterface {
  name = 'Tasks1765000000170';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
