import { DatabaseUrlError } from '../errors';

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused; is PostgreSQL running there?',
  ENOTFOUND: 'host not found',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  '28P01': 'password authentication failed',
  '28000': 'authentication rejected',
  '3D000': 'database does not exist',
};

/** Where a URL points, without its credentials. */
export function describeTarget(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `${hostname}:${port || '5432'}${pathname}`;
  } catch {
    return 'the configured database';
  }
}

/** One line for an operator; connection failures read as such, anything else keeps its own message. */
export function describeFailure(error: unknown, url: string): string {
  if (error instanceof DatabaseUrlError) return error.message;
  // Node reports an unreachable host tried over IPv4 and IPv6 as an AggregateError of connect errors.
  const first = error instanceof AggregateError ? error.errors[0] : error;
  const code = (first as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && BY_CODE[code]) return `${describeTarget(url)}: ${BY_CODE[code]} (${code})`;
  const message = first instanceof Error ? first.message : String(first);
  return message.split('\n')[0] ?? 'unknown error';
}
