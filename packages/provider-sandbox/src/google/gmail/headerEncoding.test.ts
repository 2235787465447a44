import { wireSubject } from './headerEncoding';

/** RFC 2047 decoding of a folded run of UTF-8 "B" encoded-words (the blanks between them are not part of the text). */
const decode = (wire: string) =>
  [...wire.matchAll(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/g)]
    .map((m) => Buffer.from(m[1]!, 'base64'))
    .reduce((all, part) => Buffer.concat([all, part]), Buffer.alloc(0))
    .toString('utf8');

describe('wireSubject', () => {
  it('leaves printable ASCII with no blank at either end as it is', () => {
    expect(wireSubject('Quarterly review #3')).toBe('Quarterly review #3');
    expect(wireSubject('')).toBe('');
  });

  it.each([' #0', 'trailing ', 'line\r\nbreak', 'tab\there', 'Grüße', '😀'.repeat(30)])(
    'encodes %j into encoded-words that decode to exactly it, each line within 76 characters',
    (value) => {
      const wire = wireSubject(value);
      expect(decode(wire)).toBe(value);
      expect(wire.split('\r\n ').every((word) => word.length <= 75)).toBe(true);
      expect(wire).not.toMatch(/\r\n(?! )/);
    },
  );
});
