import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 20, warnings before predictable expiry: when the stored refresh token was issued (by a consent, or by a
// refresh that rotated it), from which a provider's documented lifetime gives when it dies; and one row per
// connection per predicted expiry once the CRM was warned (packages/scheduling `dispatchExpiryWarnings`). Rows
// written before this column existed take their last refresh, else their creation, as the best known issue time.
export class ExpiryWarnings1765000000071 implements MigrationInterface {
  name = 'ExpiryWarnings1765000000071';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE credentials ADD COLUMN refresh_token_issued_at timestamptz`);
    await queryRunner.query(
      `UPDATE credentials SET refresh_token_issued_at = COALESCE(refreshed_at, created_at)`,
    );
    await queryRunner.query(
      `ALTER TABLE credentials ALTER COLUMN refresh_token_issued_at SET NOT NULL,
         ALTER COLUMN refresh_token_issued_at SET DEFAULT now()`,
    );
    await queryRunner.query(`
      CREATE TABLE expiry_warnings (
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        rule text NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT expiry_warnings_pkey PRIMARY KEY (connection_id, expires_at)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE expiry_warnings`);
    await queryRunner.query(`ALTER TABLE credentials DROP COLUMN refresh_token_issued_at`);
  }
}
