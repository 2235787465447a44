import { Transform } from 'node:stream';

/** What to send for a request's `Range` (RFC 9110 §14): the whole file, one byte range of it, or 416. */
export type RangeDecision =
  | { kind: 'full' }
  /** `start` and `end` are inclusive, as `Content-Range` writes them. */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)$/i;

/**
 * One byte range, or the whole file where RFC 9110 lets a server ignore `Range`: no header, a size the provider did
 * not state (no `Content-Range` could be written), several ranges (§14.2 lets a server answer those whole; one file
 * of a CRM is not worth `multipart/byteranges`), a header that does not parse (§14.2: ignored), or an `If-Range`:
 * this route sends no validator (`ETag`, `Last-Modified`), so no `If-Range` can match one and §13.1.5 asks for the
 * whole representation. A range starting at or past the end (or a zero-length suffix) is unsatisfiable (§15.5.17).
 */
export function decideRange(
  range: string | undefined,
  ifRange: string | undefined,
  size: number | null,
): RangeDecision {
  if (range === undefined || size === null || ifRange !== undefined) return { kind: 'full' };
  const match = SINGLE_RANGE.exec(range.trim());
  if (!match) return { kind: 'full' };
  const [first, last] = [match[1] as string, match[2] as string];
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix)) return { kind: 'full' };
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last);
  if (!Number.isSafeInteger(start) || (last !== '' && !Number.isSafeInteger(end))) return { kind: 'full' };
  if (end < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

/**
 * Passes on bytes `start`..`end` (inclusive) of a stream and drops the rest, holding no more than the chunk in hand:
 * the file is read from its start (no provider here serves a byte range) and what precedes the range is discarded.
 * The output ends once the range is out; the caller stops the source then.
 */
export function sliceStream(start: number, end: number): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      // Past the range (the source may still be sending while it is being stopped): nothing more to pass on.
      if (offset > end) return done();
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.length, end + 1 - offset);
      offset += chunk.length;
      if (to > from) this.push(chunk.subarray(from, to));
      if (offset > end) this.push(null);
      done();
    },
  });
}
