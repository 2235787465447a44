import type { FastifyInstance } from 'fastify';
import { HttpError } from './httpErrors';

/**
 * Bodies are JSON and nothing else: Fastify's text/plain parser goes (a 415 instead of a string the schema then
 * refuses), and JSON must be valid UTF-8. Fastify's own parser replaces bad bytes with U+FFFD; a fatal decoder
 * refuses them with a 400 instead. Parsing is still Fastify's (prototype-poisoning protection included).
 */
export function registerJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new HttpError(400, 'invalid_encoding', 'the body is not valid UTF-8'), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
