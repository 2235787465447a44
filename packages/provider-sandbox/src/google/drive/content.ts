import { Readable } from 'node:stream';
import { seededBlock, type FileContent } from './generate';

export type ByteRange = { start: number; end: number };

/**
 * A `Range: bytes=...` header against a size: one range (`a-b`, `a-`, `-n`), clamped to the content; `undefined`
 * when absent or not a single byte range (served whole, as RFC 9110 §14.2 allows), `'unsatisfiable'` for a 416.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

const CHUNK = 64 * 1024;

/** The bytes [start, end] of a content as a stream of 64 KiB chunks, generated as read (nothing held). */
export function contentStream(content: FileContent, range: ByteRange): Readable {
  if (content.kind === 'bytes') return Readable.from([content.data.subarray(range.start, range.end + 1)]);
  const block = seededBlock(content.seed);
  let at = range.start;
  return new Readable({
    read() {
      if (at > range.end) return void this.push(null);
      const offset = at % CHUNK;
      const length = Math.min(CHUNK - offset, range.end - at + 1);
      at += length;
      this.push(block.subarray(offset, offset + length));
    },
  });
}

/** The whole content in memory (tests and uploads compare bytes; never used for large seeded files by routes). */
export async function contentBytes(content: FileContent, size: number): Promise<Buffer> {
  if (size === 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of contentStream(content, { start: 0, end: size - 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
