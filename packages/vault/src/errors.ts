/**
 * Every failure the vault reports. Messages may name a key id or a connection id (neither is secret) but never
 * carry key material, token values or blob bytes.
 */
export class VaultError extends Error {
  override name = 'VaultError';
}

/** The key ring configuration is unusable (bad size, missing active key, bad id). */
export class InvalidKeyRingError extends VaultError {
  override name = 'InvalidKeyRingError';
}

/** The blob names a key id the ring does not hold, e.g. a retired key removed before re-sealing finished. */
export class UnknownKeyIdError extends VaultError {
  override name = 'UnknownKeyIdError';
  constructor(readonly keyId: string) {
    super(`no key with id "${keyId}" in the key ring`);
  }
}

/** The ring holds a key under the blob's key id, but not the key that sealed it (a key id was reused). */
export class WrongKeyError extends VaultError {
  override name = 'WrongKeyError';
  constructor(readonly keyId: string) {
    super(`the key under id "${keyId}" is not the key that sealed this blob`);
  }
}

/** The blob was sealed for another connection: it was copied between rows. */
export class ConnectionMismatchError extends VaultError {
  override name = 'ConnectionMismatchError';
  constructor(readonly connectionId: string) {
    super(`sealed blob does not belong to connection ${connectionId}`);
  }
}

/** Right key, right connection, yet authentication failed: the blob was altered. */
export class TamperedBlobError extends VaultError {
  override name = 'TamperedBlobError';
  constructor(readonly connectionId: string) {
    super(`sealed blob for connection ${connectionId} failed authentication (altered or corrupted)`);
  }
}

/** The bytes are not a vault blob this code can read (truncated, unknown version, bad payload). */
export class MalformedBlobError extends VaultError {
  override name = 'MalformedBlobError';
}

/**
 * The connection has no data key: it was shredded (deletion, disconnect with purge), so every sealed row of the
 * connection is unreadable for good. Reads of other connections are unaffected.
 */
export class DataKeyShreddedError extends VaultError {
  override name = 'DataKeyShreddedError';
  constructor(readonly connectionId: string) {
    super(`the data key of connection ${connectionId} was shredded: its synced content is unreadable`);
  }
}

/**
 * A sealed row failed authentication under its connection's data key: altered, or moved from another row, table
 * or connection (all of them are in the additional data, so GCM cannot tell them apart, and neither can we).
 */
export class SealedRowError extends VaultError {
  override name = 'SealedRowError';
  constructor(
    readonly table: string,
    readonly connectionId: string,
  ) {
    super(`a sealed ${table} row of connection ${connectionId} failed authentication (altered or moved)`);
  }
}
