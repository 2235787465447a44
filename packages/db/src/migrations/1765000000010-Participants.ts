import { type MigrationInterface, type QueryRunner } from 'typeorm';

// participants (issue 18, "conversations and people"): every person of an email (from, to, cc, bcc), a calendar
// event (organiser, attendees with their answer) or a contact (its addresses), one row per normalised address and
// item, so the CRM lists all mail and meetings with a person in one indexed query. A row belongs to exactly one
// item row: it cascades when that row goes (a purge), and the sync engine replaces an item's participants whenever
// it writes the item with new content and removes them when it is marked deleted (packages/sync-engine
// records/children). Written out, not derived from code, for the reason given in the initial migration.

const ADDRESS = `'^[^[:space:]@]+@[^[:space:]@]+$'`;

const UP = [
  `CREATE TABLE participants (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    email_external_id text NULL,
    event_external_id text NULL,
    contact_external_id text NULL,
    address text NOT NULL,
    name text NULL,
    roles text[] NOT NULL,
    response text NULL,
    CONSTRAINT participants_one_item_check
      CHECK (num_nonnulls(email_external_id, event_external_id, contact_external_id) = 1),
    CONSTRAINT participants_roles_check CHECK (
      cardinality(roles) > 0
      AND roles <@ ARRAY['from', 'to', 'cc', 'bcc', 'organizer', 'attendee', 'contact']::text[]),
    CONSTRAINT participants_email_fkey FOREIGN KEY (connection_id, email_external_id)
      REFERENCES emails (connection_id, external_id) ON DELETE CASCADE,
    CONSTRAINT participants_event_fkey FOREIGN KEY (connection_id, event_external_id)
      REFERENCES calendar_events (connection_id, external_id) ON DELETE CASCADE,
    CONSTRAINT participants_contact_fkey FOREIGN KEY (connection_id, contact_external_id)
      REFERENCES contacts (connection_id, external_id) ON DELETE CASCADE
  )`,
  // The CRM's question: everything with this person (its connections are one tenant's; the join narrows to them).
  `CREATE INDEX participants_address_idx ON participants (address, connection_id)`,
  // One row per person and item; these also serve the engine's replace-by-item and the cascades.
  `CREATE UNIQUE INDEX participants_email_key ON participants (connection_id, email_external_id, address)
    WHERE email_external_id IS NOT NULL`,
  `CREATE UNIQUE INDEX participants_event_key ON participants (connection_id, event_external_id, address)
    WHERE event_external_id IS NOT NULL`,
  `CREATE UNIQUE INDEX participants_contact_key ON participants (connection_id, contact_external_id, address)
    WHERE contact_external_id IS NOT NULL`,
  // Rows stored before this migration: their participants, normalised as the engine does (records/participants.ts),
  // so the query finds them before their next write. Roles sorted, as the engine writes them.
  `INSERT INTO participants (connection_id, email_external_id, address, roles)
   SELECT e.connection_id, e.external_id, lower(btrim(a.address)), array_agg(DISTINCT a.role ORDER BY a.role)
   FROM emails e, LATERAL (
     SELECT e.from_address, 'from' UNION ALL SELECT unnest(e.to_addresses), 'to'
     UNION ALL SELECT unnest(e.cc_addresses), 'cc' UNION ALL SELECT unnest(e.bcc_addresses), 'bcc'
   ) AS a(address, role)
   WHERE e.deleted_at IS NULL AND lower(btrim(a.address)) ~ ${ADDRESS}
   GROUP BY 1, 2, 3`,
  `INSERT INTO participants (connection_id, event_external_id, address, name, roles, response)
   SELECT e.connection_id, e.external_id, lower(btrim(a.address)), max(a.name),
     array_agg(DISTINCT a.role ORDER BY a.role), max(a.response)
   FROM calendar_events e, LATERAL (
     SELECT e.organizer, NULL, 'organizer', NULL
     UNION ALL SELECT x->>'email', x->>'name', 'attendee', x->>'response'
       FROM jsonb_array_elements(e.attendees) AS x WHERE jsonb_typeof(x) = 'object'
   ) AS a(address, name, role, response)
   WHERE e.deleted_at IS NULL AND lower(btrim(a.address)) ~ ${ADDRESS}
   GROUP BY 1, 2, 3`,
  `INSERT INTO participants (connection_id, contact_external_id, address, roles)
   SELECT c.connection_id, c.external_id, lower(btrim(a.address)), ARRAY['contact']
   FROM contacts c, unnest(c.emails) AS a(address)
   WHERE c.deleted_at IS NULL AND lower(btrim(a.address)) ~ ${ADDRESS}
   GROUP BY 1, 2, 3`,
];

export class Participants1765000000010 implements MigrationInterface {
  name = 'Participants1765000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE participants`);
  }
}
