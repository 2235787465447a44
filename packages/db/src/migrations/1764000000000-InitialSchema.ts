import { type MigrationInterface, type QueryRunner } from 'typeorm';

// The value lists in the CHECK constraints are written out, not imported from @crm-sync/core: a migration
// records the schema as it was on the day it ran, and must not change when the code's lists grow.
// An integration test compares them with core's lists so the two cannot drift unnoticed.

const CRM_COLUMNS = `
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  external_id text NOT NULL,
  content_hash text NOT NULL,
  deleted_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

const UP = [
  `CREATE TABLE connections (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id text NOT NULL,
    crm_user_id text NOT NULL,
    provider text NOT NULL CONSTRAINT connections_provider_check
      CHECK (provider IN ('google', 'microsoft', 'hubspot')),
    provider_account_id text NOT NULL,
    email text NULL,
    requested_scopes text[] NOT NULL DEFAULT '{}',
    granted_scopes text[] NOT NULL DEFAULT '{}',
    resources text[] NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'active' CONSTRAINT connections_status_check
      CHECK (status IN ('active', 'needs_reauth', 'revoked', 'disconnected')),
    status_reason text NULL,
    authenticated_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    disconnected_at timestamptz NULL,
    CONSTRAINT connections_account_key UNIQUE (tenant_id, provider, provider_account_id)
  )`,
  `CREATE INDEX connections_tenant_user_idx ON connections (tenant_id, crm_user_id)`,
  `CREATE INDEX connections_status_idx ON connections (status)`,

  `CREATE TABLE credentials (
    connection_id uuid PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
    key_id text NOT NULL,
    sealed bytea NOT NULL,
    expires_at timestamptz NULL,
    version integer NOT NULL DEFAULT 1,
    refreshed_at timestamptz NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX credentials_expires_at_idx ON credentials (expires_at)`,

  `CREATE TABLE sync_states (
    connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    resource text NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    mode text NOT NULL DEFAULT 'full' CONSTRAINT sync_states_mode_check CHECK (mode IN ('full', 'incremental')),
    phase text NULL,
    cursor text NULL,
    continuation jsonb NULL,
    status text NOT NULL DEFAULT 'idle' CONSTRAINT sync_states_status_check
      CHECK (status IN ('idle', 'queued', 'running', 'failed', 'disabled')),
    next_sync_at timestamptz NULL,
    items_done bigint NOT NULL DEFAULT 0,
    counters jsonb NOT NULL DEFAULT '{}',
    consecutive_failures integer NOT NULL DEFAULT 0,
    last_error text NULL,
    last_error_at timestamptz NULL,
    last_success_at timestamptz NULL,
    started_at timestamptz NULL,
    disabled_reason text NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, resource)
  )`,
  // Partial: the scheduler's "due and enabled, FOR UPDATE SKIP LOCKED" scan never reads disabled rows.
  `CREATE INDEX sync_states_due_idx ON sync_states (next_sync_at) WHERE enabled`,

  `CREATE TABLE emails (${CRM_COLUMNS},
    thread_id text NULL,
    from_address text NULL,
    to_addresses text[] NOT NULL DEFAULT '{}',
    cc_addresses text[] NOT NULL DEFAULT '{}',
    subject text NULL,
    sent_at timestamptz NULL,
    labels text[] NOT NULL DEFAULT '{}',
    snippet text NULL,
    CONSTRAINT emails_external_key UNIQUE (connection_id, external_id)
  )`,
  `CREATE INDEX emails_connection_sent_at_idx ON emails (connection_id, sent_at DESC)`,

  `CREATE TABLE calendar_events (${CRM_COLUMNS},
    calendar_id text NULL,
    title text NULL,
    description text NULL,
    location text NULL,
    starts_at timestamptz NULL,
    ends_at timestamptz NULL,
    all_day boolean NOT NULL DEFAULT false,
    event_status text NULL,
    organizer text NULL,
    attendees jsonb NOT NULL DEFAULT '[]',
    CONSTRAINT calendar_events_external_key UNIQUE (connection_id, external_id)
  )`,

  `CREATE TABLE contacts (${CRM_COLUMNS},
    display_name text NULL,
    given_name text NULL,
    family_name text NULL,
    emails text[] NOT NULL DEFAULT '{}',
    phones text[] NOT NULL DEFAULT '{}',
    company text NULL,
    job_title text NULL,
    CONSTRAINT contacts_external_key UNIQUE (connection_id, external_id)
  )`,

  // Deliberate deviation from "unique on (connection_id, external_id)": HubSpot ids are unique only within
  // an object type (a company and a deal can share id 123), so the type is part of the key.
  `CREATE TABLE crm_objects (${CRM_COLUMNS},
    object_type text NOT NULL,
    properties jsonb NOT NULL DEFAULT '{}',
    remote_updated_at timestamptz NULL,
    CONSTRAINT crm_objects_external_key UNIQUE (connection_id, object_type, external_id)
  )`,

  `CREATE TABLE audit_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id uuid NULL REFERENCES connections (id) ON DELETE SET NULL,
    tenant_id text NOT NULL,
    type text NOT NULL CONSTRAINT audit_events_type_check CHECK (type IN ('connected', 'reconnected',
      'token_refreshed', 'token_revoked', 'disconnected', 'purge_requested', 'purge_completed', 'sync_failed',
      'scopes_partial')),
    actor text NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX audit_events_connection_created_idx ON audit_events (connection_id, created_at)`,
];

// Children before parents; indexes and constraints go with their tables.
const DOWN = [
  'audit_events',
  'crm_objects',
  'contacts',
  'calendar_events',
  'emails',
  'sync_states',
  'credentials',
  'connections',
].map((table) => `DROP TABLE ${table}`);

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}
