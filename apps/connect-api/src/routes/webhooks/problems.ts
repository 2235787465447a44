import type { NoticeRefusal } from '@crm-sync/core';

/** The status and problem `code` of each refusal on the JSON webhook routes (Graph, HubSpot). */
export const REFUSAL_STATUS: Record<NoticeRefusal, [number, string]> = {
  malformed: [400, 'invalid_notice'],
  bad_signature: [401, 'invalid_signature'],
  wrong_issuer: [401, 'invalid_signature'],
  wrong_audience: [401, 'invalid_signature'],
  stale: [401, 'stale_notice'],
  replayed: [409, 'replayed_notice'],
};

/** Provider webhook bodies are read as text: the signature covers the exact bytes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;
