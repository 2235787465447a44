import { createHash } from 'node:crypto';
import { InvalidKeyRingError } from '../errors';
import type { KeyRingOptions } from '../types';

export const KEY_BYTES = 32;
export const FINGERPRINT_BYTES = 8;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** A key the ring can seal or open with. */
export interface RingKey {
  id: string;
  key: Buffer;
  /**
   * A short one-way digest stored in each blob header, so a key id reused for a different key is reported as
   * a wrong key instead of as tampering. A hash of a random 256-bit key reveals nothing usable about it.
   */
  fingerprint: Buffer;
}

export function keyFingerprint(key: Buffer): Buffer {
  return createHash('sha256')
    .update('crm-sync/vault/key-fingerprint/v1\0')
    .update(key)
    .digest()
    .subarray(0, FINGERPRINT_BYTES);
}

/**
 * Key id → 32-byte AES key, exactly one of them active for sealing. Keys sit in a private field so that logging
 * or serialising a KeyRing (util.inspect, JSON.stringify) shows ids only.
 */
export class KeyRing {
  readonly #keys = new Map<string, RingKey>();
  readonly #active: RingKey;
  readonly activeKeyId: string;

  constructor(options: KeyRingOptions) {
    for (const [id, key] of Object.entries(options.keys)) {
      if (!KEY_ID.test(id)) {
        throw new InvalidKeyRingError(`key id "${id}" must match [A-Za-z0-9_-]{1,32}`);
      }
      if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
        const size = Buffer.isBuffer(key) ? `${key.length} bytes` : typeof key;
        throw new InvalidKeyRingError(`key "${id}" must be ${KEY_BYTES} bytes (got ${size})`);
      }
      // Copied so a caller zeroing or reusing its buffer cannot change what the ring seals with.
      const copy = Buffer.from(key);
      this.#keys.set(id, { id, key: copy, fingerprint: keyFingerprint(copy) });
    }
    if (this.#keys.size === 0) throw new InvalidKeyRingError('the key ring needs at least one key');
    const active = this.#keys.get(options.activeKeyId);
    if (!active) {
      throw new InvalidKeyRingError(`active key id "${options.activeKeyId}" is not in the key ring`);
    }
    this.#active = active;
    this.activeKeyId = active.id;
  }

  /** The key new blobs are sealed with. */
  active(): RingKey {
    return this.#active;
  }

  get(keyId: string): RingKey | undefined {
    return this.#keys.get(keyId);
  }

  keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  toJSON(): { activeKeyId: string; keyIds: string[] } {
    return { activeKeyId: this.activeKeyId, keyIds: this.keyIds() };
  }
}
