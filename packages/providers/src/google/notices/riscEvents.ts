import type { NoticeAction } from '@crm-sync/core';

// Google Cross-Account Protection event types and what crm-sync does with each
// (https://developers.google.com/identity/protocols/risc, "Supported event types"; docs/providers/notices.md).
// The OAuth ones live under the `oauth` namespace, the account ones under `risc`
// (https://openid.net/specs/openid-risc-event-types-1_0.html).
const OAUTH = 'https://schemas.openid.net/secevent/oauth/event-type/';
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';

export const RISC_EVENT_TYPES = {
  tokensRevoked: `${OAUTH}tokens-revoked`,
  tokenRevoked: `${OAUTH}token-revoked`,
  sessionsRevoked: `${RISC}sessions-revoked`,
  accountDisabled: `${RISC}account-disabled`,
  accountEnabled: `${RISC}account-enabled`,
  credentialChangeRequired: `${RISC}account-credential-change-required`,
  verification: `${RISC}verification`,
} as const;

/**
 * - tokens-revoked / token-revoked: the user (or Google) revoked the grant; Google says to delete the stored
 *   tokens: the revocation pipeline does.
 * - account-disabled: the Google Account is disabled (hijacking, bulk-account or unspecified); tokens of a hijacked
 *   account must not keep pulling mail into the CRM, so they are deleted too and the user reconnects once the
 *   account is back.
 * - sessions-revoked, account-enabled, account-credential-change-required: about sign-in sessions and passwords,
 *   which crm-sync does not hold; a grant they end reaches us as tokens-revoked or a refused refresh. Logged.
 * - verification: Google's test event (stream:verify); logged.
 */
export const RISC_EVENT_ACTIONS: Readonly<Record<string, NoticeAction>> = {
  [RISC_EVENT_TYPES.tokensRevoked]: 'revoke',
  [RISC_EVENT_TYPES.tokenRevoked]: 'revoke',
  [RISC_EVENT_TYPES.accountDisabled]: 'revoke',
  [RISC_EVENT_TYPES.sessionsRevoked]: 'record',
  [RISC_EVENT_TYPES.accountEnabled]: 'record',
  [RISC_EVENT_TYPES.credentialChangeRequired]: 'record',
  [RISC_EVENT_TYPES.verification]: 'record',
};

/** Short name for logs: the last path segment of the event type URI. */
export const riscKind = (eventType: string) => eventType.slice(eventType.lastIndexOf('/') + 1).slice(0, 80);
