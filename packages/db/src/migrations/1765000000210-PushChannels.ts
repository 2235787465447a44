import { type MigrationInterface, type QueryRunner } from 'typeorm';

// Issue 25, push-triggered sync (docs/push.md).
// sync_states gains what lets a notice start a round without storms: `requested_at` (the last time a round was
// asked for: a provider notice, the CRM, a connect), `round_began_at` (when the running round's first fetch
// began; a request at or after it means the round may have missed the change, so one follow-up round runs) and
// `push_until` (a healthy push channel covers the resource until then: the safety-net poll runs at the longer
// pushed interval). `push_channels` (owned by packages/push) holds each provider channel or subscription: the
// provider's id for it, the resource it covers, when it expires, the SHA-256 of the secret the provider echoes
// (Graph clientState, Calendar channel token; the secret itself is never stored) and its health: `opening` (being
// created at the provider), `active`, `failing` (the last open or renewal failed; retried after `lease_until`);
// `renew_wanted` (the provider asked for reauthorization) and `lease_until` (a worker holds the row for a provider
// call, or a failed one waits until then). One channel per (connection, resource).
export class PushChannels1765000000210 implements MigrationInterface {
  name = 'PushChannels1765000000210';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE sync_states
        ADD COLUMN requested_at timestamptz,
        ADD COLUMN round_began_at timestamptz,
        ADD COLUMN push_until timestamptz`);
    await queryRunner.query(`
      CREATE TABLE push_channels (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL,
        provider text NOT NULL,
        resource text NOT NULL,
        channel_id text NOT NULL,
        provider_resource_id text,
        secret_digest text NOT NULL,
        expires_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'opening',
        renew_wanted boolean NOT NULL DEFAULT false,
        lease_until timestamptz,
        failures integer NOT NULL DEFAULT 0,
        last_error text,
        last_notice_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT push_channels_pkey PRIMARY KEY (id),
        CONSTRAINT push_channels_channel_key UNIQUE (provider, channel_id),
        CONSTRAINT push_channels_resource_key UNIQUE (connection_id, resource),
        CONSTRAINT push_channels_status_check CHECK (status IN ('opening', 'active', 'failing')),
        CONSTRAINT push_channels_connection_id_fkey FOREIGN KEY (connection_id)
          REFERENCES connections(id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX push_channels_expires_idx ON push_channels (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE push_channels`);
    await queryRunner.query(`
      ALTER TABLE sync_states DROP COLUMN requested_at, DROP COLUMN round_began_at, DROP COLUMN push_until`);
  }
}
