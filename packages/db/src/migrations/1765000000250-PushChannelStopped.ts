import { type MigrationInterface, type QueryRunner } from 'typeorm';

// A disconnect stops its channels at the provider before the connection ends (docs/push.md). A stopped channel's
// row stays, as `stopped`, until the ending drops it: while the connection is still active, a missing row would
// let the push keeper open a new channel that nothing then stops.
export class PushChannelStopped1765000000250 implements MigrationInterface {
  name = 'PushChannelStopped1765000000250';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE push_channels DROP CONSTRAINT push_channels_status_check`);
    await queryRunner.query(
      `ALTER TABLE push_channels ADD CONSTRAINT push_channels_status_check
         CHECK (status IN ('opening', 'active', 'failing', 'stopped'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM push_channels WHERE status = 'stopped'`);
    await queryRunner.query(`ALTER TABLE push_channels DROP CONSTRAINT push_channels_status_check`);
    await queryRunner.query(
      `ALTER TABLE push_channels ADD CONSTRAINT push_channels_status_check
         CHECK (status IN ('opening', 'active', 'failing'))`,
    );
  }
}
