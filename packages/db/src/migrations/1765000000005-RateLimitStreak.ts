import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Consecutive throttled attempts of a resource with no delay named by the provider, so the engine can back off
// exponentially (packages/sync-engine/src/policy/errorPolicy.ts, rateLimitDelayMs); reset by every committed page.

export class RateLimitStreak1765000000005 implements MigrationInterface {
  name = 'RateLimitStreak1765000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE sync_states ADD COLUMN rate_limit_streak integer NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sync_states DROP COLUMN rate_limit_streak`);
  }
}
