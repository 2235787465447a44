import { openCursor, sealCursor } from './cursors';

describe('sealed cursors', () => {
  it('round-trips the payload for the purpose it was sealed for', () => {
    const token = sealCursor('gmail.pageToken', { after: 41, snapshot: 1200 });
    expect(openCursor('gmail.pageToken', token)).toEqual({ after: 41, snapshot: 1200 });
  });

  it('refuses a token used for another purpose', () => {
    expect(openCursor('calendar.syncToken', sealCursor('calendar.pageToken', { o: 1 }))).toBeUndefined();
  });

  it('refuses an edited body, an edited signature, a truncated token and junk', () => {
    const token = sealCursor('p', { after: 1 });
    const [body, signature] = token.split('.') as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ after: 2 })).toString('base64url');
    expect(openCursor('p', `${forgedBody}.${signature}`)).toBeUndefined();
    // The first character is all signature bits (the last one's low bits are base64 padding, which an edit there may
    // not change), so this edit always changes the signature.
    const editedSignature = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(openCursor('p', `${body}.${editedSignature}`)).toBeUndefined();
    expect(openCursor('p', token.slice(0, -1))).toBeUndefined();
    expect(openCursor('p', body)).toBeUndefined();
    expect(openCursor('p', 'not a token')).toBeUndefined();
    expect(openCursor('p', undefined)).toBeUndefined();
    expect(openCursor('p', `${token}.${signature}`)).toBeUndefined();
  });
});
