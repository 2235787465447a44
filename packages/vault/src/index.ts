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
export type { KeyRingOptions, StoredCredential, TokenSet } from './types';
