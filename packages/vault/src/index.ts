export {
  ConnectionMismatchError,
  DataKeyShreddedError,
  InvalidKeyRingError,
  MalformedBlobError,
  SealedRowError,
  TamperedBlobError,
  UnknownKeyIdError,
  VaultError,
  WrongKeyError,
} from './errors';
export { blobKeyId, BLOB_VERSION } from './crypto/format';
export { KeyRing, type RingKey } from './crypto/keyring';
export { openTokens, sealTokens, type SealedTokens } from './crypto/seal';
export { refreshTokenDigest } from './crypto/refreshTokenLookups';
export { createContentKeys, DATA_KEY_CACHE_TTL_MS, type ContentKeys } from './content/contentKeys';
export { DataKeys, destroyDataKeys, type DataKeysOptions } from './content/dataKeys';
export { IndexKeys, TERM_BYTES, type IndexPurpose } from './content/indexKeys';
export {
  dataKey,
  openRow,
  ROW_FORMAT_VERSION,
  sealRow,
  type DataKey,
  type RowAddress,
} from './content/rowSeal';
export { CredentialStore, type CredentialStoreOptions, type SqlRunner } from './store/credentialStore';
export {
  DEFAULT_RESEAL_BATCH_SIZE,
  resealAll,
  rewrapDataKeys,
  type ResealFailure,
  type ResealOptions,
  type ResealResult,
} from './store/reseal';
export type { KeyRingOptions, StoredCredential, TokenSet } from './types';
export { runReseal } from './cli/resealCommand';
