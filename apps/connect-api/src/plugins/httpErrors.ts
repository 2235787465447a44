import { STATUS_CODES } from 'node:http';

/** An error the API answers with a problem document (RFC 9457) of the given status and stable `code`. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details: `type` about:blank with the status phrase as `title`, plus a stable `code`. */
export interface Problem {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
  code: string;
}

/**
 * RFC 9457 §4.2.1: with `about:blank` the title is the status phrase; what went wrong is in `code` (stable, for
 * programs) and `detail` (for people). Never a submitted value in `detail`: it could be a secret.
 */
export const problem = (status: number, code: string, detail: string): Problem => ({
  type: 'about:blank',
  title: STATUS_CODES[status] ?? 'Error',
  status,
  detail,
  code,
});
