import { type MigrationInterface, type QueryRunner } from 'typeorm';

// docs/connect-flow.md "Who owns a provider account": one live connection per provider account, whatever the
// tenant. A disconnected connection stays as the log but releases the account, so the key is partial. The
// audit trail gains `takeover_refused`. Value lists are written out, as in the initial schema.

const OLD_TYPES = `'connected', 'reconnected', 'token_refreshed', 'token_revoked', 'disconnected',
  'purge_requested', 'purge_completed', 'sync_failed', 'scopes_partial'`;

const auditCheck = (types: string) =>
  `ALTER TABLE audit_events ADD CONSTRAINT audit_events_type_check CHECK (type IN (${types}))`;

/** Rows the new key would refuse: a provider account with more than one live connection. */
const DUPLICATE_LIVE_OWNERS = `SELECT provider, count(*)::int AS owners FROM connections
  WHERE status <> 'disconnected' GROUP BY provider, provider_account_id HAVING count(*) > 1 LIMIT 1`;

/** Rows the old key would refuse: the same account in one tenant more than once (possible after up). */
const DUPLICATE_TENANT_ROWS = `SELECT provider, count(*)::int AS rows FROM connections
  GROUP BY tenant_id, provider, provider_account_id HAVING count(*) > 1 LIMIT 1`;

async function refuseIfAny(queryRunner: QueryRunner, sql: string, message: string): Promise<void> {
  const rows = (await queryRunner.query(sql)) as unknown[];
  if (rows.length > 0) throw new Error(message);
}

export class OneOwnerPerAccount1765000000001 implements MigrationInterface {
  name = 'OneOwnerPerAccount1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await refuseIfAny(
      queryRunner,
      DUPLICATE_LIVE_OWNERS,
      'a provider account has live connections in more than one tenant; disconnect all but one owner first',
    );
    await queryRunner.query(`ALTER TABLE connections DROP CONSTRAINT connections_account_key`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX connections_live_account_key ON connections (provider, provider_account_id)
         WHERE status <> 'disconnected'`,
    );
    await queryRunner.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_type_check`);
    await queryRunner.query(auditCheck(`${OLD_TYPES}, 'takeover_refused'`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await refuseIfAny(
      queryRunner,
      DUPLICATE_TENANT_ROWS,
      'a tenant holds more than one connection row for one provider account; the old key cannot be restored',
    );
    await queryRunner.query(`DELETE FROM audit_events WHERE type = 'takeover_refused'`);
    await queryRunner.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_type_check`);
    await queryRunner.query(auditCheck(OLD_TYPES));
    await queryRunner.query(`DROP INDEX connections_live_account_key`);
    await queryRunner.query(
      `ALTER TABLE connections ADD CONSTRAINT connections_account_key
         UNIQUE (tenant_id, provider, provider_account_id)`,
    );
  }
}
