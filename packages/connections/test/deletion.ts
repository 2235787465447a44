import { generateKeyPairSync } from 'node:crypto';
import { shredDataKeys, type DeletionDeps, type ReceiptSigning } from '../src/deletion';
import type { ConnectionsHarness } from './harness';

/** A fresh Ed25519 receipt key ring for one test file. */
export function testReceiptSigning(issuer = 'https://sync.example.com'): ReceiptSigning {
  return { issuer, activeKeyId: 'test-1', keys: { 'test-1': generateKeyPairSync('ed25519').privateKey } };
}

/** The harness's dependencies with what a purge needs. */
export function deletionDeps(h: ConnectionsHarness, overrides: Partial<DeletionDeps> = {}): DeletionDeps {
  return {
    ...h.deps,
    signing: testReceiptSigning(),
    purgeBatchSize: 7,
    shred: shredDataKeys(h.deps.content.dataKeys),
    ...overrides,
  };
}

/** Puts `n` synced rows in every CRM table (and one attachment of the first e-mail, one quarantined item) for a connection. */
export async function insertSyncedRows(
  h: ConnectionsHarness,
  connectionId: string,
  n: number,
): Promise<void> {
  for (const [table, extra, values] of [
    ['emails', '', ''],
    ['calendar_events', '', ''],
    ['contacts', '', ''],
    ['tasks', ', list_id, status', ", 'l1', 'open'"],
    ['drive_files', ', mime_type', ", 'text/plain'"],
    ['crm_objects', ', object_type', ", 'contacts'"],
  ] as const) {
    await h.db.dataSource.query(
      `INSERT INTO ${table} (connection_id, external_id, content_hash${extra})
       SELECT $1, 'x' || i, 'h'${values} FROM generate_series(1, $2) i`,
      [connectionId, n],
    );
  }
  await h.db.dataSource.query(
    `INSERT INTO email_attachments (connection_id, email_external_id, attachment_id) VALUES ($1, 'x1', 'a1')`,
    [connectionId],
  );
  await h.db.dataSource.query(
    `INSERT INTO sync_quarantine (connection_id, resource, external_id, reason) VALUES ($1, 'mail', 'm1', 'x')`,
    [connectionId],
  );
}
