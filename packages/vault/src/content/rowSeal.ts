import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { freshIv, GCM_IV_BYTES } from '../crypto/ivPool';
import { MalformedBlobError, SealedRowError } from '../errors';

/**
 * A sealed content row, version 1:
 *
 *   version(1) | iv(12) | tag(16) | ciphertext
 *
 * AES-256-GCM under the connection's data key (content/dataKeys.ts). The additional data names the format
 * version, the table, the connection and the row's key, so a blob copied to another row, table or connection
 * fails authentication. The key id is not in the blob: a connection has exactly one data key, and re-wrapping
 * it under a new ring key (rotation) leaves every sealed row as it is.
 *
 * IVs are random: NIST SP 800-38D §8.3 bounds random 96-bit IVs to 2^32 messages per key, and one connection
 * writing four billion row versions is out of reach (https://doi.org/10.6028/NIST.SP.800-38D).
 */
export const ROW_FORMAT_VERSION = 1;
const IV_BYTES = GCM_IV_BYTES;
const TAG_BYTES = 16;
const HEADER_BYTES = 1;
const ALGORITHM = 'aes-256-gcm';

/** A connection's unwrapped data key. Only the vault's DataKeys (and tests) make these. */
export interface DataKey {
  readonly connectionId: string;
  /**
   * A KeyObject, imported once: a cipher made from one skips importing raw key bytes for every sealed value
   * (bench/README.md "Sealing cost"), and it prints no key material.
   */
  readonly key: KeyObject;
}

/** A DataKey whose key is not enumerable, so logging or serialising one shows the connection id only. */
export function dataKey(connectionId: string, key: Buffer): DataKey {
  const made = { connectionId } as DataKey;
  Object.defineProperty(made, 'key', { value: createSecretKey(Buffer.from(key)), enumerable: false });
  return Object.freeze(made);
}

/**
 * Where a sealed value lives: its table and the parts of the row's key besides the connection id (the provider
 * item id; an object type first for crm_objects; the parent item id then the child key for child rows).
 */
export interface RowAddress {
  table: string;
  rowKey: readonly string[];
}

function additionalData(dataKey: DataKey, address: RowAddress, version: number): Buffer {
  // NUL cannot occur in Postgres text, so joining on it is unambiguous.
  const text = ['crm-sync/row', String(version), address.table, dataKey.connectionId, ...address.rowKey];
  return Buffer.from(text.join('\0'), 'utf8');
}

/** Seals a row's content (any JSON value) for that row only. */
export function sealRow(dataKey: DataKey, address: RowAddress, content: unknown): Buffer {
  const iv = freshIv();
  const cipher = createCipheriv(ALGORITHM, dataKey.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(dataKey, address, ROW_FORMAT_VERSION));
  const plaintext = Buffer.from(JSON.stringify(content ?? null), 'utf8');
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([ROW_FORMAT_VERSION]), iv, cipher.getAuthTag(), ciphertext]);
}

/** Opens what `sealRow` sealed for exactly this row; the caller validates the shape of what comes back. */
export function openRow(dataKey: DataKey, address: RowAddress, sealed: Buffer): unknown {
  if (!Buffer.isBuffer(sealed) || sealed.length <= HEADER_BYTES + IV_BYTES + TAG_BYTES) {
    throw new MalformedBlobError('sealed row is truncated');
  }
  const version = sealed[0] as number;
  if (version !== ROW_FORMAT_VERSION)
    throw new MalformedBlobError(`unsupported sealed row version ${version}`);
  const iv = sealed.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = sealed.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, dataKey.key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(dataKey, address, version));
  decipher.setAuthTag(tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([
      decipher.update(sealed.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new SealedRowError(address.table, dataKey.connectionId);
  }
  try {
    return JSON.parse(plaintext.toString('utf8')) as unknown;
  } catch {
    throw new MalformedBlobError('sealed row payload is not JSON');
  }
}
