import { capBody } from './mailBody';

test.each([
  ['absent', undefined, 8, { text: null, truncated: false }],
  ['empty', '', 8, { text: null, truncated: false }],
  ['within the cap', 'abcdefgh', 8, { text: 'abcdefgh', truncated: false }],
  ['over the cap', 'abcdefghij', 8, { text: 'abcdefgh', truncated: true }],
  ['a cut inside a 3-byte character moves back', 'abcdefg€', 8, { text: 'abcdefg', truncated: true }],
  ['a cut inside a surrogate pair moves back', 'abcdef😀', 8, { text: 'abcdef', truncated: true }],
  ['a 4-byte character that fits stays', 'abcd😀x', 8, { text: 'abcd😀', truncated: true }],
])('capBody: %s', (_name, body, max, expected) => {
  expect(capBody(body, max)).toEqual(expected);
});
