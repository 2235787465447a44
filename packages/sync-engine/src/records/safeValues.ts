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
  const safe = walk(value) as T;
  return { value: safe, changed: safe !== value };
}

/**
 * Returns the same reference when nothing inside needed a change, so the common case (every page of an ordinary
 * mailbox) allocates nothing: this runs on every record of every page.
 */
function walk(v: unknown): unknown {
  if (typeof v === 'string') return safeText(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i += 1) {
      const inner = walk(v[i]);
      if (inner !== v[i]) (copy ??= v.slice())[i] = inner;
    }
    return copy ?? v;
  }
  if (v !== null && typeof v === 'object') {
    let changed = false;
    const entries = Object.entries(v).map(([k, inner]) => {
      const [key, safe] = [safeText(k), walk(inner)];
      if (key !== k || safe !== inner) changed = true;
      return [key, safe] as const;
    });
    return changed ? Object.fromEntries(entries) : v;
  }
  return v;
}

/** Anything safeText would change: a NUL, a surrogate (paired ones are checked precisely below). */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

function safeText(text: string): string {
  if (text.length <= MAX_TEXT_LENGTH && !SUSPECT.test(text)) return text;
  const cut = text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text;
  // Cutting may split a surrogate pair, so lone surrogates are replaced after the cut.
  return cut.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}
