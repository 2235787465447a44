import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Write-back of CRM objects (HubSpot contacts, companies, deals; docs/write-back.md): resource `objects`, and the
// object type a write names, since object ids are unique only within one type (the rebase of a write follows the
// writes of the same type and id only).
export class WriteObjects1765000000260 implements MigrationInterface {
  name = 'WriteObjects1765000000260';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE writes DROP CONSTRAINT writes_resource_check`);
    await queryRunner.query(
      `ALTER TABLE writes ADD CONSTRAINT writes_resource_check CHECK (resource IN ('contacts', 'events', 'objects'))`,
    );
    await queryRunner.query(`ALTER TABLE writes ADD COLUMN object_type text`);
    await queryRunner.query(
      `ALTER TABLE writes ADD CONSTRAINT writes_object_type_check
         CHECK ((resource = 'objects') = (object_type IS NOT NULL))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM writes WHERE resource = 'objects'`);
    await queryRunner.query(`ALTER TABLE writes DROP COLUMN object_type`);
    await queryRunner.query(`ALTER TABLE writes DROP CONSTRAINT writes_resource_check`);
    await queryRunner.query(
      `ALTER TABLE writes ADD CONSTRAINT writes_resource_check CHECK (resource IN ('contacts', 'events'))`,
    );
  }
}
