import { randomFillSync } from 'node:crypto';

/** AES-GCM's recommended IV length (NIST SP 800-38D §8.2, https://doi.org/10.6028/NIST.SP.800-38D). */
export const GCM_IV_BYTES = 12;

// IVs are drawn from one buffer refilled from the CSPRNG 4 KiB at a time: the same random bytes `randomBytes(12)`
// would give, without a call into the CSPRNG per sealed row (bench/README.md "Sealing cost"). Each IV is a copy,
// so refilling the pool never changes one already handed out, and none is handed out twice.
const pool = Buffer.alloc(GCM_IV_BYTES * 341);
let next = pool.length;

/** A fresh random 96-bit IV. */
export function freshIv(): Buffer {
  if (next + GCM_IV_BYTES > pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const iv = Buffer.from(pool.subarray(next, next + GCM_IV_BYTES));
  next += GCM_IV_BYTES;
  return iv;
}
