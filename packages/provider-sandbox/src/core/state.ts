import { z } from 'zod';

/**
 * What a sandbox keeps across a restart (`npm start` run after run): its accounts and the grants issued to them, so
 * a connection made before the restart refreshes and calls as before. Not kept, on purpose: authorization codes (a
 * consent in flight starts over), the datasets' changes (every account's data returns to what its seed generates)
 * and the cursor key (page tokens, sync tokens and delta links from before are refused as foreign, as a provider
 * refuses a token it did not mint, so the next round is a full one that brings the CRM back to the seeded data).
 */
export const SANDBOX_STATE_VERSION = 1;

const PROVIDER = z.enum(['google', 'microsoft', 'hubspot']);

const ACCOUNT = z.strictObject({
  provider: PROVIDER,
  id: z.string().min(1),
  email: z.string().min(1),
  seed: z.number().int(),
  sizes: z.record(z.string(), z.number().int().nonnegative()),
  settings: z.strictObject({
    accessTokenTtlSeconds: z.number().int().positive(),
    refreshRotation: z.enum(['same', 'rotate']),
    changeLogLimit: z.number().int().positive(),
  }),
  createdAt: z.number(),
});

const GRANT = z.strictObject({
  provider: PROVIDER,
  accountId: z.string().min(1),
  clientId: z.string().min(1),
  scopes: z.array(z.string()),
  revoked: z.boolean(),
});

/** Grants by position; tokens name their grant's position, so tokens of one grant share its revocation. */
export const TOKEN_SNAPSHOT = z.strictObject({
  grants: z.array(GRANT),
  access: z.array(
    z.strictObject({ token: z.string().min(1), grant: z.number().int(), expiresAt: z.number() }),
  ),
  refresh: z.array(
    z.strictObject({ token: z.string().min(1), grant: z.number().int(), retired: z.boolean() }),
  ),
});
export type TokenSnapshot = z.infer<typeof TOKEN_SNAPSHOT>;

export const SANDBOX_STATE = z.strictObject({
  version: z.literal(SANDBOX_STATE_VERSION),
  accounts: z.array(ACCOUNT),
  tokens: TOKEN_SNAPSHOT,
});
export type SandboxState = z.infer<typeof SANDBOX_STATE>;

/** A saved state read back: refused whole (with the reason) when it is not one this version wrote. */
export function parseSandboxState(json: string): SandboxState {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('sandbox state: not JSON');
  }
  const parsed = SANDBOX_STATE.safeParse(value);
  if (!parsed.success) throw new Error(`sandbox state: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const grants = parsed.data.tokens.grants.length;
  for (const token of [...parsed.data.tokens.access, ...parsed.data.tokens.refresh])
    if (token.grant < 0 || token.grant >= grants) throw new Error('sandbox state: a token names no grant');
  return parsed.data;
}
