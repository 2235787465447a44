/**
 * Token-endpoint error bodies of the identity platform v2.0. Clients classify dead refresh
 * tokens by `error_codes` (AADSTS numbers), so each failure maps to the code Entra sends.
 */

export type AadOAuthError =
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

interface AadstsEntry {
  error: AadOAuthError;
  status: number;
  message: string;
}

export const AADSTS = {
  70000: {
    error: 'invalid_grant',
    status: 400,
    message: 'The provided value for the input parameter is not valid. The grant is invalid or malformed.',
  },
  70008: {
    error: 'invalid_grant',
    status: 400,
    message:
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
  },
  700082: {
    error: 'invalid_grant',
    status: 400,
    message: 'The refresh token has expired due to inactivity. The token was inactive for 90.00:00:00.',
  },
  50173: {
    error: 'invalid_grant',
    status: 400,
    message:
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
  },
  54005: {
    error: 'invalid_grant',
    status: 400,
    message:
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  },
  501481: {
    error: 'invalid_grant',
    status: 400,
    message: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
  },
  50148: {
    error: 'invalid_grant',
    status: 400,
    message:
      'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
  },
  50011: {
    error: 'invalid_grant',
    status: 400,
    message:
      'The redirect URI specified in the request does not match the redirect URI used to obtain the authorization code.',
  },
  700016: {
    error: 'unauthorized_client',
    status: 400,
    message: 'Application with the given identifier was not found in the directory.',
  },
  7000215: {
    error: 'invalid_client',
    status: 401,
    message:
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.',
  },
  7000218: {
    error: 'invalid_client',
    status: 401,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  },
  900144: {
    error: 'invalid_request',
    status: 400,
    message: 'The request body must contain a required parameter.',
  },
  70003: {
    error: 'unsupported_grant_type',
    status: 400,
    message: 'The app requested an unsupported grant type.',
  },
} as const satisfies Record<number, AadstsEntry>;

export type AadstsCode = keyof typeof AADSTS;

export interface AadErrorBody {
  error: AadOAuthError;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export interface AadTraceIds {
  traceId: string;
  correlationId: string;
  now: Date;
}

/** `2016-01-09 02:02:12Z`: the identity platform's own timestamp format. */
function aadTimestamp(now: Date): string {
  return now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function aadErrorBody(code: AadstsCode, ids: AadTraceIds, detail?: string): AadErrorBody {
  const entry = AADSTS[code];
  const timestamp = aadTimestamp(ids.now);
  const message = detail === undefined ? entry.message : `${entry.message} ${detail}`;
  return {
    error: entry.error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

export function aadErrorStatus(code: AadstsCode): number {
  return AADSTS[code].status;
}
