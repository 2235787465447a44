import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 19, the read API's change feed (docs/read-api.md): each item table gets `change_xid`, the id of the
// transaction that last changed the row's content or deletion (pg_current_xact_id(), xid8: 64-bit, never wraps).
// Readers page by (change_xid, id) and serve only rows whose change_xid is below the oldest transaction still
// running (pg_snapshot_xmin): every transaction below it has committed or rolled back, and every later change gets
// a larger id, so a cursor never passes a row that could still appear behind it. A timestamp cannot promise that:
// now() is the transaction's start, and a transaction that started earlier can commit after a reader passed it.
// The trigger sets it only when updated_at or deleted_at moves (the write path moves updated_at only when the
// content changed: a row merely marked seen by a round is not served again). Written out, not derived from code,
// for the reason given in the initial migration.

const TABLES = ['emails', 'calendar_events', 'contacts', 'crm_objects', 'tasks'];

const UP = [
  `CREATE FUNCTION crm_sync_set_change_xid() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     NEW.change_xid := pg_current_xact_id();
     RETURN NEW;
   END $$`,
  ...TABLES.flatMap((table) => [
    `ALTER TABLE ${table} ADD COLUMN change_xid xid8 NOT NULL DEFAULT pg_current_xact_id()`,
    `CREATE INDEX ${table}_change_feed_idx ON ${table} (connection_id, change_xid, id)`,
    `CREATE TRIGGER ${table}_change_xid BEFORE UPDATE ON ${table} FOR EACH ROW
      WHEN (NEW.updated_at IS DISTINCT FROM OLD.updated_at OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at)
      EXECUTE FUNCTION crm_sync_set_change_xid()`,
  ]),
];

const DOWN = [
  ...TABLES.flatMap((table) => [
    `DROP TRIGGER ${table}_change_xid ON ${table}`,
    `ALTER TABLE ${table} DROP COLUMN change_xid`,
  ]),
  `DROP FUNCTION crm_sync_set_change_xid()`,
];

export class ChangeFeed1765000000180 implements MigrationInterface {
  name = 'ChangeFeed1765000000180';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
