import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 20, provider notices through the outbox: the key of each accepted delivery (a RISC `jti`, a HubSpot
// signature, a Graph body digest; stored as a SHA-256 digest) is claimed in the same transaction that records the
// notice's events in `outbox`, so a delivery is either claimed and queued, or neither (a Redis outage loses
// nothing and leaves no stale claim behind). A row whose `expires_at` passed may be claimed again, and is pruned by
// the retention sweep (packages/connections `notices/replays`).
export class NoticeReplays1765000000130 implements MigrationInterface {
  name = 'NoticeReplays1765000000130';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notice_replays (
        provider text NOT NULL,
        key_digest text NOT NULL,
        expires_at timestamptz NOT NULL,
        CONSTRAINT notice_replays_pkey PRIMARY KEY (provider, key_digest)
      )`);
    await queryRunner.query(`CREATE INDEX notice_replays_expires_idx ON notice_replays (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notice_replays`);
  }
}
