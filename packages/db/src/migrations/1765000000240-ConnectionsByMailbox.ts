import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 25, Gmail push (docs/push.md): a Pub/Sub push names the mailbox by its address only, so the receiver finds
// the live connections of that provider and address on every push; this index keeps that a lookup, not a scan of
// every connection. Case-insensitive, as mail addresses are compared.
export class ConnectionsByMailbox1765000000240 implements MigrationInterface {
  name = 'ConnectionsByMailbox1765000000240';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX connections_provider_mailbox_idx ON connections (provider, lower(email))
        WHERE status <> 'disconnected'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX connections_provider_mailbox_idx`);
  }
}
