import { type MigrationInterface, type QueryRunner } from 'typeorm';

// writes (issue 22, docs/write-back.md): one row per write a CRM service asked for, owned by packages/writes. The
// request is kept sealed under the connection's data key (docs/encryption-at-rest.md) only while it is pending,
// and compared with a retry by a keyed hash; the outcome (provider id, version, reason) stays for GET /v1/writes.
// `seq` orders the writes of one item; `item_key` is the external id, or `new.{id}` for a create. `base_version`
// (the provider version the CRM saw; an etag, no content) lets a later write based on the same version follow the
// versions this service's own earlier writes produced.

const UP = [
  `CREATE TABLE writes (
    id uuid PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    tenant_id text NOT NULL,
    requested_by text NOT NULL,
    idempotency_key text NOT NULL,
    request_hash text NOT NULL,
    resource text NOT NULL CONSTRAINT writes_resource_check CHECK (resource IN ('contacts', 'events')),
    op text NOT NULL CONSTRAINT writes_op_check CHECK (op IN ('create', 'update', 'delete')),
    item_key text NOT NULL,
    base_version text NULL,
    request bytea NULL,
    status text NOT NULL DEFAULT 'pending'
      CONSTRAINT writes_status_check CHECK (status IN ('pending', 'applied', 'conflict', 'refused')),
    attempts integer NOT NULL DEFAULT 0,
    external_id text NULL,
    provider_version text NULL,
    reason text NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz NULL,
    CONSTRAINT writes_idempotency_key UNIQUE (tenant_id, idempotency_key),
    CONSTRAINT writes_request_while_pending CHECK ((status = 'pending') = (request IS NOT NULL))
  )`,
  `CREATE INDEX writes_pending_item_idx ON writes (connection_id, resource, item_key, seq) WHERE status = 'pending'`,
];

const DOWN = [`DROP TABLE writes`];

export class Writes1765000000200 implements MigrationInterface {
  name = 'Writes1765000000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
