import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 21, the token broker (docs/token-broker.md): the audit trail gains an access token handed to a service,
// a call made through the proxy, and a broker request refused by the service's policy. Value lists are written
// out, as in the earlier migrations.

const OLD_TYPES = `'connected', 'reconnected', 'token_refreshed', 'token_revoked', 'disconnected',
  'purge_requested', 'purge_completed', 'sync_failed', 'scopes_partial', 'takeover_refused'`;
const NEW_TYPES = `'access_token_issued', 'proxy_call', 'broker_refused'`;

const auditCheck = (types: string) =>
  `ALTER TABLE audit_events ADD CONSTRAINT audit_events_type_check CHECK (type IN (${types}))`;

export class TokenBrokerAudit1765000000006 implements MigrationInterface {
  name = 'TokenBrokerAudit1765000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_type_check`);
    await queryRunner.query(auditCheck(`${OLD_TYPES}, ${NEW_TYPES}`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM audit_events WHERE type IN (${NEW_TYPES})`);
    await queryRunner.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_type_check`);
    await queryRunner.query(auditCheck(OLD_TYPES));
  }
}
