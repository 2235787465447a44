import { ConfigError } from './errors';

/** A parsed key ring: every key by id, and the id that signs or seals new things. */
export interface KeyRingConfig<K> {
  activeKeyId: string;
  keys: Record<string, K>;
}

interface KeyRingVariables<K> {
  /** The variable holding `id:base64,…`, named in every error. */
  variable: string;
  /** The variable naming the active key id when the ring holds more than one. */
  activeVariable: string;
  /** What one entry's key part is, for the format error (e.g. "base64 key"). */
  keyFormat: string;
  /** Turns one entry's base64 part into a key, throwing a ConfigError that names `id` when it is unusable. */
  decode: (id: string, base64: string) => K;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses a rotating key ring written as `id:base64,id:base64`: the shape every key setting shares (vault keys,
 * receipt signing keys), so ids, duplicates and the active key are checked one way. Messages name the key id,
 * never the key material.
 */
export function parseKeyRing<K>(
  raw: string,
  activeKeyId: string | undefined,
  ring: KeyRingVariables<K>,
): KeyRingConfig<K> {
  const keys: Record<string, K> = {};
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    if (!KEY_ID.test(id)) {
      throw new ConfigError(
        ring.variable,
        `each entry must be <keyId>:<${ring.keyFormat}> with keyId [A-Za-z0-9_-]{1,32}`,
      );
    }
    if (keys[id] !== undefined) throw new ConfigError(ring.variable, `key id "${id}" appears twice`);
    keys[id] = ring.decode(id, entry.slice(sep + 1));
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) throw new ConfigError(ring.variable, 'at least one key is required');
  const active = activeKeyId ?? (ids.length === 1 ? ids[0] : undefined);
  if (!active) {
    throw new ConfigError(ring.activeVariable, `required when ${ring.variable} holds more than one key`);
  }
  if (keys[active] === undefined) {
    throw new ConfigError(ring.activeVariable, `"${active}" is not a key id in ${ring.variable}`);
  }
  return { activeKeyId: active, keys };
}
