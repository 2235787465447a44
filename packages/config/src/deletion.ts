import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ConfigError } from './errors';
import { parseKeyRing } from './keyRingEntries';
import type { Env } from './schema';

/**
 * A development-only receipt signing key (Ed25519, PKCS#8 DER in base64) so `npm start` works on a fresh machine.
 * It is public (it is in this file), so production refuses it.
 */
export const DEV_RECEIPT_KEYS = 'dev1:MC4CAQAwBQYDK2VwBCIEIDVURwv0zPMPGhyVfki6jdqio47ArX1pKI7pXZG9F5Z/';

export interface ReceiptKeysConfig {
  /** Signs new receipts. */
  activeKeyId: string;
  /** Every key of the ring: the public halves are published, so receipts signed by a retired key still verify. */
  keys: Record<string, KeyObject>;
}

export interface DeletionConfig {
  receiptKeys: ReceiptKeysConfig;
  /** Rows deleted per statement (and per progress commit) in a purge. */
  purgeBatchSize: number;
  /** How often the scheduler looks for ended connections past their tenant's retention period. */
  retentionSweepIntervalMs: number;
  /** Audit events older than this are pruned (deletion receipts are kept); 0 keeps them. */
  auditRetentionMs: number;
  /** A deletion request untouched this long is sent to the workers again. */
  resumeDeletionsAfterMs: number;
}

/** Parses `id:base64(PKCS#8 DER),…`. */
export function parseReceiptKeys(raw: string, activeKeyId: string | undefined): ReceiptKeysConfig {
  return parseKeyRing(raw, activeKeyId, {
    variable: 'DELETION_RECEIPT_KEYS',
    activeVariable: 'DELETION_RECEIPT_ACTIVE_KEY_ID',
    keyFormat: 'base64 PKCS#8 DER Ed25519 key',
    decode: ed25519Key,
  });
}

function ed25519Key(id: string, base64: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new ConfigError('DELETION_RECEIPT_KEYS', `key "${id}" is not a PKCS#8 DER private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError('DELETION_RECEIPT_KEYS', `key "${id}" must be an Ed25519 key`);
  }
  return key;
}

export function deletionConfig(env: Env): DeletionConfig {
  return {
    receiptKeys: parseReceiptKeys(
      env.DELETION_RECEIPT_KEYS ?? DEV_RECEIPT_KEYS,
      env.DELETION_RECEIPT_ACTIVE_KEY_ID,
    ),
    purgeBatchSize: env.PURGE_BATCH_SIZE,
    retentionSweepIntervalMs: env.RETENTION_SWEEP_INTERVAL_MS,
    auditRetentionMs: env.AUDIT_RETENTION_MS,
    resumeDeletionsAfterMs: env.DELETION_RESUME_AFTER_MS,
  };
}
