import { idempotencyKey } from '@crm-sync/core';
import { z } from 'zod';

/**
 * `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header): required on every write, so a retry after a
 * lost answer cannot make a second write. Missing or malformed is a 400 before anything is recorded.
 */
export const idempotencyHeader = z.looseObject({ 'idempotency-key': idempotencyKey });
