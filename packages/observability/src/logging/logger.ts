import pino, { type DestinationStream, type Level, type Logger, type LoggerOptions } from 'pino';
import { CENSOR, redactDeep } from './redact';

export type { Logger } from 'pino';
export type LogLevel = Level | 'silent';

export interface LoggerConfig {
  /** Service or component name, written as `name` on every line. */
  name: string;
  level?: LogLevel;
  /** Where lines go; defaults to stdout. Tests pass a stream to read the output back. */
  destination?: DestinationStream;
}

export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

const TOKEN_KEYS = [
  'access_token',
  'refresh_token',
  'id_token',
  'accessToken',
  'refreshToken',
  'idToken',
  'authorization',
  'Authorization',
  'cookie',
  'code_verifier',
  'codeVerifier',
  'client_secret',
  'clientSecret',
  'password',
  'sealed',
  'token',
];

/**
 * pino's own redaction for the fixed, well-known places. It only reaches one wildcard level, so it is the
 * second line: every argument is first deep-copied through `redactDeep` by the logMethod hook. `code` is left
 * to `redactDeep` alone, which keeps error codes such as `err.code = 'ECONNREFUSED'` that a path cannot tell
 * apart from an OAuth code.
 */
export const REDACT_PATHS = [
  ...TOKEN_KEYS.flatMap((key) => [key, `*.${key}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
];

export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    name: config.name,
    level: config.level ?? DEFAULT_LOG_LEVEL,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    formatters: {
      // Child-logger bindings do not pass through logMethod, so they are scrubbed here.
      bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
    },
    hooks: {
      // Scrubbing the arguments (not the finished object) also covers the message string, printf values, and
      // the `msg` pino derives from an Error's message when an Error is logged on its own.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => redactDeep(arg)) as Parameters<typeof method>;
        return method.apply(this, scrubbed);
      },
    },
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}
