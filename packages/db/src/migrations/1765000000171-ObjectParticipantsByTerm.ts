import { type MigrationInterface, type QueryRunner } from 'typeorm';

// participants of crm_objects keyed by their address's blind-index term, as 1765000000101 keys the other
// participants: the two migrations were written side by side, and 160's unique key was on `address`, which sealed
// rows leave null (so it held nothing unique). Rows 160 backfilled in the clear keep their address and no term until
// their object is next written (its content hash changed with 160, so its next fetch rewrites it, sealed).
// Written out, not derived from code, for the reason given in the initial migration.

export class ObjectParticipantsByTerm1765000000171 implements MigrationInterface {
  name = 'ObjectParticipantsByTerm1765000000171';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX participants_object_key`);
    await queryRunner.query(`CREATE UNIQUE INDEX participants_object_key
      ON participants (connection_id, object_type, object_external_id, term)
      WHERE object_external_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX participants_object_key`);
    await queryRunner.query(`CREATE UNIQUE INDEX participants_object_key
      ON participants (connection_id, object_type, object_external_id, address)
      WHERE object_external_id IS NOT NULL`);
  }
}
