import { type MigrationInterface, type QueryRunner } from 'typeorm';

// participants of crm_objects rows (issue 18, "contact addresses"): a HubSpot contact's addresses join its
// people's mail and meetings in the participants table. crm_objects ids are unique only per object type, so such a
// row names its parent by (object_type, object_external_id), with a foreign key to the three-column key that
// cascades on a purge; the sync engine keeps the rows in step with the object (packages/sync-engine
// records/children). Written out, not derived from code, for the reason given in the initial migration.

const ADDRESS = `'^[^[:space:]@]+@[^[:space:]@]+$'`;

const UP = [
  `ALTER TABLE participants
     ADD COLUMN object_type text NULL,
     ADD COLUMN object_external_id text NULL,
     DROP CONSTRAINT participants_one_item_check,
     ADD CONSTRAINT participants_one_item_check
       CHECK (num_nonnulls(email_external_id, event_external_id, contact_external_id, object_external_id) = 1),
     ADD CONSTRAINT participants_object_type_check CHECK ((object_type IS NULL) = (object_external_id IS NULL)),
     ADD CONSTRAINT participants_object_fkey FOREIGN KEY (connection_id, object_type, object_external_id)
       REFERENCES crm_objects (connection_id, object_type, external_id) ON DELETE CASCADE`,
  // One row per person and object; also serves the engine's replace-by-object and the cascade.
  `CREATE UNIQUE INDEX participants_object_key
     ON participants (connection_id, object_type, object_external_id, address)
     WHERE object_external_id IS NOT NULL`,
  // HubSpot contacts stored before this migration, read as the provider mapping reads them (packages/providers
  // hubspot/descriptor.ts `addressProperties`: `email`, and `hs_additional_emails` split at semicolons), so the
  // query finds them before their next write.
  `INSERT INTO participants (connection_id, object_type, object_external_id, address, roles)
   SELECT o.connection_id, o.object_type, o.external_id, lower(btrim(a.address)), ARRAY['contact']
   FROM crm_objects o, unnest(array_prepend(o.properties->>'email',
     string_to_array(o.properties->>'hs_additional_emails', ';'))) AS a(address)
   WHERE o.object_type = 'contacts' AND o.deleted_at IS NULL AND lower(btrim(a.address)) ~ ${ADDRESS}
   GROUP BY 1, 2, 3, 4`,
];

export class CrmObjectParticipants1765000000160 implements MigrationInterface {
  name = 'CrmObjectParticipants1765000000160';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM participants WHERE object_external_id IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE participants
      DROP CONSTRAINT participants_one_item_check,
      DROP COLUMN object_type,
      DROP COLUMN object_external_id,
      ADD CONSTRAINT participants_one_item_check
        CHECK (num_nonnulls(email_external_id, event_external_id, contact_external_id) = 1)`);
  }
}
