import { z } from 'zod';
import { problemResponse } from '../schemas';

/**
 * What a browser sees when a connect link or callback cannot be honoured. The pages echo nothing from the request,
 * so they cannot be used to reflect content.
 */
const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>
<p>${body}</p></body></html>`;

export const INVALID_STATE_PAGE = page(
  'This connection link has expired or was already used',
  'Nothing was connected. Go back to your CRM and start the connection again.',
);

/** The page for any error status of a browser route. */
export function browserErrorPage(status: number): string {
  if (status === 429) return page('Too many attempts', 'Wait a minute, then start the connection again.');
  if (status < 500) return INVALID_STATE_PAGE;
  return page('Something went wrong', 'Nothing was connected. Try again later.');
}

const html = { 'text/html': { schema: z.string() } };

/**
 * How the browser routes answer errors, as the OpenAPI document shows it. A URL the router cannot read at all
 * (malformed percent-encoding, an overlong path segment) is refused before any route is chosen, with a problem
 * document.
 */
export const browserErrors = {
  400: {
    description:
      'Malformed, unknown, expired or already used link, or a browser that did not start this flow (HTML page); ' +
      'an unreadable URL (problem document, code `invalid_request`)',
    content: { ...html, ...problemResponse('').content },
  },
  429: { description: 'Too many requests from this client', content: html },
};
