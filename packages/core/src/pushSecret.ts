import { createHash } from 'node:crypto';

/**
 * The SHA-256 (hex) of a push channel's secret (Graph clientState, Calendar channel token): what `push_channels`
 * stores and what a verified notice carries, so the secret itself is never stored (issue 25, docs/push.md).
 */
export const pushSecretDigest = (secret: string): string => createHash('sha256').update(secret).digest('hex');
