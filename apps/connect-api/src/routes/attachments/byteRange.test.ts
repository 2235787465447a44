import { Readable } from 'node:stream';
import { decideRange, sliceStream } from './byteRange';

describe('decideRange (RFC 9110 §14, one range)', () => {
  it.each([
    ['bytes=0-9', { kind: 'partial', start: 0, end: 9 }],
    ['bytes=10-', { kind: 'partial', start: 10, end: 99 }],
    ['bytes=90-500', { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-5', { kind: 'partial', start: 95, end: 99 }],
    ['bytes=-500', { kind: 'partial', start: 0, end: 99 }],
    ['BYTES = 3 - 4', { kind: 'partial', start: 3, end: 4 }],
    ['bytes=99-99', { kind: 'partial', start: 99, end: 99 }],
    ['bytes=100-', { kind: 'unsatisfiable' }],
    ['bytes=100-200', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    // Ignored, so the whole file: several ranges, another unit, nonsense, last before first, absurd numbers.
    ['bytes=0-1,5-6', { kind: 'full' }],
    ['items=0-1', { kind: 'full' }],
    ['bytes=a-b', { kind: 'full' }],
    ['bytes=-', { kind: 'full' }],
    ['bytes=9-3', { kind: 'full' }],
    ['bytes=99999999999999999999-', { kind: 'full' }],
  ])('%s of 100 bytes → %o', (header, decision) => {
    expect(decideRange(header, undefined, 100)).toEqual(decision);
  });

  it('sends the whole file without a Range, with an If-Range (no validator is sent) or with no known length', () => {
    expect(decideRange(undefined, undefined, 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=0-9', '"etag"', 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=0-9', undefined, null)).toEqual({ kind: 'full' });
  });

  it('finds nothing satisfiable in an empty file', () => {
    expect(decideRange('bytes=0-', undefined, 0)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=-3', undefined, 0)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('sliceStream', () => {
  const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
  const chunked = (size: number) =>
    Readable.from(
      Array.from({ length: Math.ceil(100 / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)),
    );
  const read = async (stream: NodeJS.ReadableStream) => {
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts);
  };

  it.each([1, 7, 100])('passes exactly the range on, whatever the chunks (%i bytes each)', async (size) => {
    await expect(read(chunked(size).pipe(sliceStream(13, 57)))).resolves.toEqual(bytes.subarray(13, 58));
    await expect(read(chunked(size).pipe(sliceStream(0, 0)))).resolves.toEqual(bytes.subarray(0, 1));
    await expect(read(chunked(size).pipe(sliceStream(95, 99)))).resolves.toEqual(bytes.subarray(95));
  });

  it('ends once the range is out, before the source does', async () => {
    const slice = chunked(10).pipe(sliceStream(0, 14));
    let ended = false;
    slice.once('end', () => (ended = true));
    await expect(read(slice)).resolves.toEqual(bytes.subarray(0, 15));
    expect(ended).toBe(true);
  });
});
