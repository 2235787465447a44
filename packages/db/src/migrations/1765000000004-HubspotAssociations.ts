import { type MigrationInterface, type QueryRunner } from 'typeorm';

// crm_associations: the links between synced CRM objects (HubSpot associations: contact→company, deal→contact,
// deal→company), one row per linked pair in the direction the owning object's syncer reads them, with the
// provider's association types (ids, categories, labels) as JSON. A link belongs to the object it starts from:
// it cascades when that object's row goes (a purge), and is replaced whenever that object's links are read again
// (packages/sync-engine records/links). The far end has no key: it may not be synced yet, or not at all.

export class HubspotAssociations1765000000004 implements MigrationInterface {
  name = 'HubspotAssociations1765000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE crm_associations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
      from_type text NOT NULL,
      from_id text NOT NULL,
      to_type text NOT NULL,
      to_id text NOT NULL,
      types jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT crm_associations_link_key UNIQUE (connection_id, from_type, from_id, to_type, to_id),
      CONSTRAINT crm_associations_from_fkey FOREIGN KEY (connection_id, from_type, from_id)
        REFERENCES crm_objects (connection_id, object_type, external_id) ON DELETE CASCADE
    )`);
    // Reading links from the other end (a company's contacts).
    await queryRunner.query(
      `CREATE INDEX crm_associations_to_idx ON crm_associations (connection_id, to_type, to_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE crm_associations`);
  }
}
