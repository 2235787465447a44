import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 20, items 3–5 (docs/deletion.md): deletion requests with their progress and signed receipt, a retention
// period per tenant, and on connections when the data of an ended connection was purged. A connection whose
// user or tenant was deleted keeps its row for the audit, without the provider account id: the column becomes
// nullable, and only a disconnected connection (which the live-account key leaves out) may lack it.

const CREATE_DELETION_REQUESTS = `CREATE TABLE deletion_requests (
  id uuid PRIMARY KEY,
  tenant_id text NOT NULL,
  crm_user_id text NULL,
  requested_by text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CONSTRAINT deletion_requests_status_check
    CHECK (status IN ('pending', 'running', 'completed')),
  step text NOT NULL DEFAULT 'collect',
  connection_ids uuid[] NOT NULL DEFAULT '{}',
  progress jsonb NOT NULL DEFAULT '{}',
  unreadable_at timestamptz NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz NULL,
  receipt text NULL,
  receipt_key_id text NULL
)`;

const CREATE_TENANT_SETTINGS = `CREATE TABLE tenant_settings (
  tenant_id text PRIMARY KEY,
  retention_days integer NOT NULL DEFAULT 0 CONSTRAINT tenant_settings_retention_days_check
    CHECK (retention_days BETWEEN 0 AND 3650),
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

export class DeletionRequests1765000000040 implements MigrationInterface {
  name = 'DeletionRequests1765000000040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CREATE_DELETION_REQUESTS);
    await queryRunner.query(
      `CREATE INDEX deletion_requests_tenant_idx ON deletion_requests (tenant_id, requested_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX deletion_requests_unfinished_idx ON deletion_requests (updated_at) WHERE status <> 'completed'`,
    );
    await queryRunner.query(CREATE_TENANT_SETTINGS);
    await queryRunner.query(
      `ALTER TABLE connections ADD COLUMN ended_at timestamptz NULL, ADD COLUMN data_purged_at timestamptz NULL,
         ALTER COLUMN provider_account_id DROP NOT NULL,
         ADD CONSTRAINT connections_account_erased_check
           CHECK (provider_account_id IS NOT NULL OR status = 'disconnected')`,
    );
    // Connections that ended before this column existed start their retention period from when they ended.
    await queryRunner.query(
      `UPDATE connections SET ended_at = COALESCE(disconnected_at, updated_at) WHERE status IN ('disconnected', 'revoked')`,
    );
    await queryRunner.query(
      `CREATE INDEX connections_retention_idx ON connections (ended_at)
         WHERE ended_at IS NOT NULL AND data_purged_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX connections_retention_idx`);
    // The old column is NOT NULL: an erased account id gets a value that names no account.
    await queryRunner.query(
      `UPDATE connections SET provider_account_id = 'erased:' || id WHERE provider_account_id IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE connections DROP CONSTRAINT connections_account_erased_check,
         ALTER COLUMN provider_account_id SET NOT NULL, DROP COLUMN data_purged_at, DROP COLUMN ended_at`,
    );
    await queryRunner.query(`DROP TABLE tenant_settings`);
    await queryRunner.query(`DROP TABLE deletion_requests`);
  }
}
