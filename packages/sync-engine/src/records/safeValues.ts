/**
 * Values PostgreSQL or JavaScript cannot take as a provider sent them, made safe so one hostile or malformed item
 * does not fail its page on every retry (issue 16): PostgreSQL text and jsonb refuse the NUL character
 * (https://www.postgresql.org/docs/current/datatype-character.html), UTF-8 has no encoding for a lone UTF-16
 * surrogate (https://www.rfc-editor.org/rfc/rfc3629#section-3), an invalid Date has no ISO form to store or hash,
 * and JSON has no Infinity or NaN.
 */

/** Longer texts are cut: no CRM field needs a megabyte, and one such value would bloat every page it rides in. */
export const MAX_TEXT_LENGTH = 262_144;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface Safe<T> {
  value: T;
  /** Whether anything had to change. */
  changed: boolean;
}

/**
 * The value with NULs removed, lone surrogates replaced by U+FFFD, texts cut to MAX_TEXT_LENGTH, invalid dates and
 * non-finite numbers as null, through arrays and objects (keys included). The shape is kept, so a record stays a
 * record of its type: every date and number field of the records may be null.
 */
export function makeSafe<T>(value: T): Safe<T> {
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const safe = safeText(v);
      if (safe !== v) changed = true;
      return safe;
    }
    if (v instanceof Date) {
      if (!Number.isNaN(v.getTime())) return v;
      changed = true;
      return null;
    }
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v;
      changed = true;
      return null;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [walk(k) as string, walk(inner)]));
    }
    return v;
  };
  const safe = walk(value) as T;
  return { value: changed ? safe : value, changed };
}

function safeText(text: string): string {
  const cut = text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text;
  // Cutting may split a surrogate pair, so lone surrogates are replaced after the cut.
  return cut.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}
