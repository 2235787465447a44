import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 20, "no lost notification": events bound for a queue are written to `outbox` in the transaction that
// changes the state they announce, and a relay hands them to BullMQ afterwards (packages/outbox). A row is
// deleted once Redis accepted its job; `parked_at` marks a row its queue's schema no longer accepts, kept for an
// operator instead of blocking the rows behind it. `job_id` is the event id, also BullMQ's job id.
export class Outbox1765000000070 implements MigrationInterface {
  name = 'Outbox1765000000070';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        queue text NOT NULL,
        job_name text NOT NULL,
        job_id text NOT NULL CHECK (job_id NOT LIKE '%:%'),
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        parked_at timestamptz,
        CONSTRAINT outbox_job_key UNIQUE (queue, job_id)
      )`);
    // The relay reads the oldest pending rows; the metrics read the oldest one and the count.
    await queryRunner.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE parked_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
  }
}
