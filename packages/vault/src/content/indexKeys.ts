import { createHmac, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { KeyRing } from '../crypto/keyring';
import type { KeyRingOptions } from '../types';

/**
 * What a derived key is for; each purpose gets its own key, so a blind index term can never be compared with a
 * content hash or a term of another purpose.
 */
export type IndexPurpose = 'address' | 'content-hash' | 'message-id';

/** Blind index terms are truncated HMAC-SHA256: 128 bits keep collisions out of reach at any table size. */
export const TERM_BYTES = 16;
const SALT = Buffer.from('crm-sync/content-index/v1', 'utf8');
const MAX_CACHED_KEYS = 50_000;

/**
 * Keys for what stays readable beside sealed content (CONTENT_INDEX_KEY, docs/encryption-at-rest.md): blind index
 * terms (a keyed HMAC per tenant and purpose over a normalised value) and the keyed content hash that lets the
 * engine skip unchanged rows. Every key is derived by HKDF (RFC 5869) from a ring secret, the purpose and a scope
 * (tenant or connection id), so neither leaks across tenants and a dump holds nothing a dictionary can reverse
 * without the secret.
 */
export class IndexKeys {
  readonly #ring: KeyRing;
  readonly #derived = new Map<string, KeyObject>();

  constructor(options: KeyRingOptions) {
    this.#ring = new KeyRing(options);
  }

  get activeKeyId(): string {
    return this.#ring.activeKeyId;
  }

  /** The term that goes into a row's `blind_index` for a normalised value, under the active key. */
  term(purpose: IndexPurpose, scope: string, normalised: string): Buffer {
    return this.#mac(this.#ring.activeKeyId, purpose, scope, normalised).subarray(0, TERM_BYTES);
  }

  /**
   * The value's terms under every key of the ring: what a lookup searches for, so rows written before a rotation
   * keep matching until they are rewritten under the new key.
   */
  lookupTerms(purpose: IndexPurpose, scope: string, normalised: string): Buffer[] {
    return this.#ring.keyIds().map((id) => this.#mac(id, purpose, scope, normalised).subarray(0, TERM_BYTES));
  }

  /** A keyed hash (hex) under the active key: equal for equal input within one scope, unguessable outside. */
  hash(purpose: IndexPurpose, scope: string, data: string): string {
    return this.#mac(this.#ring.activeKeyId, purpose, scope, data).toString('hex');
  }

  toJSON(): { activeKeyId: string; keyIds: string[] } {
    return this.#ring.toJSON();
  }

  #mac(keyId: string, purpose: IndexPurpose, scope: string, data: string): Buffer {
    return createHmac('sha256', this.#key(keyId, purpose, scope))
      .update(data, 'utf8')
      .digest();
  }

  #key(keyId: string, purpose: IndexPurpose, scope: string): KeyObject {
    const name = `${keyId}\0${purpose}\0${scope}`;
    let key = this.#derived.get(name);
    if (key) return key;
    const secret = this.#ring.get(keyId)?.key as Buffer;
    key = createSecretKey(Buffer.from(hkdfSync('sha256', secret, SALT, `${purpose}\0${scope}`, 32)));
    // Derivation costs more than the HMAC it serves; a bounded cache keeps a busy worker from deriving per row.
    if (this.#derived.size >= MAX_CACHED_KEYS) this.#derived.clear();
    this.#derived.set(name, key);
    return key;
  }
}
