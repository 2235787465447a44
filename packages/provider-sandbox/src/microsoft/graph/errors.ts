import type { GraphErrorBody } from './types';

/** Graph error codes the sandbox emits, with the status each travels with. */
export const GRAPH_ERRORS = {
  InvalidAuthenticationToken: { status: 401, message: 'Access token has expired or is not yet valid.' },
  TooManyRequests: { status: 429, message: 'Please retry again later.' },
  ApplicationThrottled: { status: 429, message: 'Application is over its MailboxConcurrency limit.' },
  syncStateNotFound: { status: 410, message: 'The sync state generation is not found.' },
  resyncRequired: { status: 410, message: 'The delta token is no longer valid. Reset the sync state.' },
  ErrorAccessDenied: { status: 403, message: 'Access is denied. Check credentials and try again.' },
  ErrorItemNotFound: { status: 404, message: 'The specified object was not found in the store.' },
  ErrorInvalidRequest: { status: 400, message: 'The request is invalid.' },
  ErrorInvalidUrlQuery: { status: 400, message: 'The query parameter is not supported.' },
  /** Writes (docs/providers/microsoft.md#contact-and-event-writes). */
  RequestBodyRead: { status: 400, message: 'The request body could not be read.' },
  ErrorInvalidProperty: { status: 400, message: 'A property is invalid.' },
  ErrorPropertyValidationFailure: { status: 400, message: 'At least one property failed validation.' },
  ErrorIrresolvableConflict: {
    status: 412,
    message:
      'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
  },
  'RequestBroker--ParseUri': { status: 400, message: 'Could not find a property named on the type.' },
  /** A subscription whose notification URL failed the validation handshake (docs/providers/microsoft.md). */
  ValidationError: {
    status: 400,
    message:
      'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
  },
  generalException: { status: 500, message: 'An internal server error occurred.' },
  serviceNotAvailable: { status: 503, message: 'The service is temporarily unavailable.' },
} as const;

export type GraphErrorCode = keyof typeof GRAPH_ERRORS;

export interface GraphRequestIds {
  requestId: string;
  clientRequestId: string | undefined;
  date: Date;
}

/**
 * Body in the documented `{error:{code,message,innerError}}` shape. The JS client reads
 * `innerError["request-id"]` and `.date` into GraphError, so those keys must be exact.
 */
export function graphErrorBody(
  code: GraphErrorCode,
  ids: GraphRequestIds,
  message: string = GRAPH_ERRORS[code].message,
): GraphErrorBody {
  const status = GRAPH_ERRORS[code].status;
  return {
    error: {
      code,
      message,
      innerError: {
        ...(status === 429 ? { code: '429' } : {}),
        date: ids.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'request-id': ids.requestId,
        // Graph echoes the caller's id, or mints one when the caller sent none.
        'client-request-id': ids.clientRequestId ?? ids.requestId,
      },
    },
  };
}
