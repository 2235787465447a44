import { createPublicKey } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import type { ReceiptSigning } from './types';

/** The JWS `typ` of a receipt, so a receipt cannot be mistaken for another kind of token signed by the same key. */
export const RECEIPT_TYPE = 'deletion-receipt+jwt';

/** What a purge deleted, as signed into its receipt (docs/deletion.md#receipts). */
export interface DeletionReceipt {
  deletionRequestId: string;
  tenantId: string;
  /** Null when the whole tenant was deleted. */
  crmUserId: string | null;
  requestedBy: string;
  requestedAt: string;
  /** When the data was made unreadable (crypto-shredding); null when that step did not run. */
  unreadableAt: string | null;
  completedAt: string;
  connections: Array<{ id: string; provider: string; revocation: string }>;
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  jobsRemoved: number;
}

/**
 * Signs a receipt as a JWT (EdDSA, Ed25519) with the active key, naming it by `kid`, so anyone holding the
 * published key set can check it offline (RFC 7515, RFC 8037).
 */
export async function signReceipt(
  signing: ReceiptSigning,
  receipt: DeletionReceipt,
): Promise<{ jws: string; keyId: string }> {
  const key = signing.keys[signing.activeKeyId];
  if (!key) throw new Error(`receipt signing key "${signing.activeKeyId}" is not in the key ring`);
  const jws = await new SignJWT({ ...receipt })
    .setProtectedHeader({ alg: 'EdDSA', kid: signing.activeKeyId, typ: RECEIPT_TYPE })
    .setIssuer(signing.issuer)
    .setSubject(receipt.deletionRequestId)
    .setIssuedAt(new Date(receipt.completedAt))
    .sign(key);
  return { jws, keyId: signing.activeKeyId };
}

/** One published receipt key (RFC 8037 OKP, Ed25519). */
export interface ReceiptPublicKey {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** The published key set (RFC 7517). */
export interface ReceiptKeySet {
  keys: ReceiptPublicKey[];
}

/** The public halves of every key in the ring: retired keys stay, so receipts they signed still verify. */
export async function receiptKeySet(signing: Pick<ReceiptSigning, 'keys'>): Promise<ReceiptKeySet> {
  const keys = await Promise.all(
    Object.entries(signing.keys).map(async ([kid, key]): Promise<ReceiptPublicKey> => {
      const { x } = await exportJWK(createPublicKey(key));
      if (!x) throw new Error(`receipt key "${kid}" has no public point`);
      return { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' };
    }),
  );
  return { keys };
}
