import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 19, encryption at rest: one data key per connection, wrapped by the vault's key ring (packages/vault
// `content/dataKeys.ts` owns the table). Deleting a row is crypto-shredding: every content row sealed under that
// key becomes unreadable. The row goes with its connection row too.
export class DataKeys1765000000100 implements MigrationInterface {
  name = 'DataKeys1765000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE data_keys (
        connection_id uuid PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        key_id text NOT NULL,
        wrapped bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX data_keys_key_id_idx ON data_keys (key_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE data_keys`);
  }
}
