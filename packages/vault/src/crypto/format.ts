import { createHash } from 'node:crypto';
import { MalformedBlobError } from '../errors';
import { FINGERPRINT_BYTES } from './keyring';

/**
 * Blob layout, version 1 (all lengths in bytes):
 *
 *   version(1) | keyIdLength(1) | keyId(ascii) | keyFingerprint(8) | connectionTag(8) | iv(12) | tag(16) | ciphertext
 *
 * Everything before the IV is the header. The header plus the full connection id is GCM's additional data, so
 * the key id, fingerprint and connection binding cannot be edited without failing authentication. A new layout
 * gets a new version byte; `decodeBlob` refuses versions it does not know.
 */
export const BLOB_VERSION = 1;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const CONNECTION_TAG_BYTES = 8;

export interface BlobParts {
  keyId: string;
  keyFingerprint: Buffer;
  connectionTag: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  /** The encoded header bytes, as covered by the additional data. */
  header: Buffer;
}

/**
 * Lets `open` tell "copied from another connection" apart from "tampered" before decrypting. Connection ids are
 * stored in clear beside the blob, so a truncated hash of one discloses nothing new.
 */
export function connectionTag(connectionId: string): Buffer {
  return createHash('sha256')
    .update('crm-sync/vault/connection/v1\0')
    .update(connectionId, 'utf8')
    .digest()
    .subarray(0, CONNECTION_TAG_BYTES);
}

export function encodeHeader(keyId: string, keyFingerprint: Buffer, connTag: Buffer): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([Buffer.from([BLOB_VERSION, id.length]), id, keyFingerprint, connTag]);
}

export function additionalData(header: Buffer, connectionId: string): Buffer {
  return Buffer.concat([header, Buffer.from(connectionId, 'utf8')]);
}

export function decodeBlob(blob: Buffer): BlobParts {
  if (!Buffer.isBuffer(blob) || blob.length < 2) throw new MalformedBlobError('sealed blob is too short');
  if (blob[0] !== BLOB_VERSION) {
    throw new MalformedBlobError(`unsupported sealed blob version ${blob[0]}`);
  }
  const idLength = blob[1] as number;
  const headerLength = 2 + idLength + FINGERPRINT_BYTES + CONNECTION_TAG_BYTES;
  // At least one byte of ciphertext: the sealed payload is never empty JSON.
  if (idLength === 0 || blob.length <= headerLength + IV_BYTES + TAG_BYTES) {
    throw new MalformedBlobError('sealed blob is truncated');
  }
  const fpStart = 2 + idLength;
  const tagStart = fpStart + FINGERPRINT_BYTES;
  const ivStart = headerLength;
  const authStart = ivStart + IV_BYTES;
  return {
    keyId: blob.subarray(2, fpStart).toString('ascii'),
    keyFingerprint: blob.subarray(fpStart, tagStart),
    connectionTag: blob.subarray(tagStart, headerLength),
    iv: blob.subarray(ivStart, authStart),
    tag: blob.subarray(authStart, authStart + TAG_BYTES),
    ciphertext: blob.subarray(authStart + TAG_BYTES),
    header: blob.subarray(0, headerLength),
  };
}

/** Reads the key id without opening the blob, e.g. to report which key a row still depends on. */
export function blobKeyId(blob: Buffer): string {
  return decodeBlob(blob).keyId;
}
