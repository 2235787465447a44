import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 20, RISC `token-revoked` (docs/providers/notices.md "Google Cross-Account Protection"). Google names the
// revoked refresh token by its first 16 characters or by base64 of its double SHA-512 and suggests indexing stored
// tokens by those values. `credentials` (owned by packages/vault) keeps two lookup values beside the sealed tokens,
// neither of them the token: `refresh_token_digest` (the double SHA-512 as Google sends it) and
// `refresh_token_prefix_mac` (a keyed HMAC of the 16-character prefix; the prefix itself is never stored). Both are
// rewritten with the tokens and go with the row. Rows written before this migration get them at their next
// refresh or reseal.
export class RefreshTokenLookups1765000000230 implements MigrationInterface {
  name = 'RefreshTokenLookups1765000000230';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE credentials
        ADD COLUMN refresh_token_digest text,
        ADD COLUMN refresh_token_prefix_mac bytea`);
    await queryRunner.query(`
      CREATE INDEX credentials_refresh_token_digest_idx ON credentials (refresh_token_digest)
        WHERE refresh_token_digest IS NOT NULL`);
    await queryRunner.query(`
      CREATE INDEX credentials_refresh_token_prefix_mac_idx ON credentials (refresh_token_prefix_mac)
        WHERE refresh_token_prefix_mac IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE credentials DROP COLUMN refresh_token_digest, DROP COLUMN refresh_token_prefix_mac`,
    );
  }
}
