import { parseMailFolders } from './mailFolders';

describe('parseMailFolders', () => {
  it('reads all, exclusions and plain names', () => {
    expect(parseMailFolders('all,-deleteditems, -junkemail')).toEqual({
      all: true,
      include: [],
      exclude: ['deleteditems', 'junkemail'],
    });
    expect(parseMailFolders('inbox,sentitems')).toEqual({
      all: false,
      include: ['inbox', 'sentitems'],
      exclude: [],
    });
  });

  it.each(['', ' , ', '-inbox', 'inbox;drop', '-all'])('refuses %j', (spec) => {
    expect(() => parseMailFolders(spec)).toThrow(RangeError);
  });
});
