import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ConfigError } from './errors';
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

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `id:base64(PKCS#8 DER),…`; messages name the key id, never the key material. */
export function parseReceiptKeys(raw: string, activeKeyId: string | undefined): ReceiptKeysConfig {
  const keys: Record<string, KeyObject> = {};
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    if (!KEY_ID.test(id)) {
      throw new ConfigError(
        'DELETION_RECEIPT_KEYS',
        'each entry must be <keyId>:<base64 PKCS#8 DER Ed25519 key> with keyId [A-Za-z0-9_-]{1,32}',
      );
    }
    if (keys[id]) throw new ConfigError('DELETION_RECEIPT_KEYS', `key id "${id}" appears twice`);
    keys[id] = ed25519Key(id, entry.slice(sep + 1));
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) throw new ConfigError('DELETION_RECEIPT_KEYS', 'at least one key is required');
  const active = activeKeyId ?? (ids.length === 1 ? ids[0] : undefined);
  if (!active) {
    throw new ConfigError(
      'DELETION_RECEIPT_ACTIVE_KEY_ID',
      'required when DELETION_RECEIPT_KEYS holds more than one key',
    );
  }
  if (!keys[active]) {
    throw new ConfigError(
      'DELETION_RECEIPT_ACTIVE_KEY_ID',
      `"${active}" is not a key id in DELETION_RECEIPT_KEYS`,
    );
  }
  return { activeKeyId: active, keys };
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
