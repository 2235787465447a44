export {
  ConnectionMismatchError,
  InvalidKeyRingError,
  MalformedBlobError,
  TamperedBlobError,
  UnknownKeyIdError,
  VaultError,
  WrongKeyError,
} from './errors';
export { blobKeyId, BLOB_VERSION } from './crypto/format';
export { KeyRing, type RingKey } from './crypto/keyring';
export { openTokens, sealTokens, type SealedTokens } from './crypto/seal';
export { CredentialStore, type CredentialStoreOptions, type SqlRunner } from './store/credentialStore';
export {
  DEFAULT_RESEAL_BATCH_SIZE,
  resealAll,
  type ResealFailure,
  type ResealOptions,
  type ResealResult,
} from './store/reseal';
export type { KeyRingOptions, StoredCredential, TokenSet } from './types';
