import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { MalformedBlobError, SealedRowError } from '../errors';
import { dataKey, openRow, sealRow, type RowAddress } from './rowSeal';

const connectionId = randomUUID();
const key = dataKey(connectionId, randomBytes(32));
const address: RowAddress = { table: 'emails', rowKey: ['msg-1'] };
const content = { subject: 'Quarterly numbers', bodyText: 'Hello Alice', toAddresses: ['alice@example.com'] };

function flip(blob: Buffer, offset: number): Buffer {
  const copy = Buffer.from(blob);
  copy[offset] = (copy[offset] as number) ^ 0x01;
  return copy;
}

describe('sealRow / openRow', () => {
  it('round-trips JSON content and never holds it in the clear', () => {
    const sealed = sealRow(key, address, content);
    expect(openRow(key, address, sealed)).toEqual(content);
    expect(sealed.includes(Buffer.from('Quarterly'))).toBe(false);
    expect(sealed.includes(Buffer.from('alice@example.com'))).toBe(false);
  });

  it('uses a fresh IV each time', () => {
    expect(sealRow(key, address, content).equals(sealRow(key, address, content))).toBe(false);
  });

  it.each([
    ['the IV', 1],
    ['the tag', 13],
    ['the ciphertext', 30],
  ])('refuses a flipped byte in %s', (_region, offset) => {
    expect(() => openRow(key, address, flip(sealRow(key, address, content), offset))).toThrow(SealedRowError);
  });

  it.each<[string, RowAddress]>([
    ['another row', { table: 'emails', rowKey: ['msg-2'] }],
    ['another table', { table: 'calendar_events', rowKey: ['msg-1'] }],
    ['a row key split differently', { table: 'emails', rowKey: ['msg', '1'] }],
  ])('refuses a blob moved to %s', (_case, elsewhere) => {
    const sealed = sealRow(key, address, content);
    expect(() => openRow(key, elsewhere, sealed)).toThrow(SealedRowError);
  });

  it('refuses a blob moved to another connection, even one given the same key bytes', () => {
    const sealed = sealRow(key, address, content);
    const other = dataKey(randomUUID(), key.key.export());
    expect(() => openRow(other, address, sealed)).toThrow(SealedRowError);
    expect(() => openRow(dataKey(connectionId, randomBytes(32)), address, sealed)).toThrow(SealedRowError);
  });

  it('names the table and connection, never content, when it refuses', () => {
    const sealed = sealRow(key, address, content);
    const error = (() => {
      try {
        openRow(key, { table: 'contacts', rowKey: ['msg-1'] }, sealed);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a throw');
    })();
    expect(error.message).toContain(connectionId);
    expect(error.message).not.toContain('Quarterly');
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['truncated', Buffer.alloc(29, 1)],
    ['unknown version', Buffer.concat([Buffer.from([9]), randomBytes(40)])],
  ])('reports a malformed blob (%s)', (_case, blob) => {
    expect(() => openRow(key, address, blob)).toThrow(MalformedBlobError);
  });

  it('keeps the key bytes out of logs and JSON', () => {
    const shown = inspect(key) + JSON.stringify(key);
    expect(shown).not.toContain(key.key.export().toString('hex'));
    expect(JSON.parse(JSON.stringify(key))).toEqual({ connectionId });
  });
});
