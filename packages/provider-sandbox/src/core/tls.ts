import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/**
 * A fresh self-signed certificate for the loopback names, and `extraNames` (host names or IP addresses, e.g. the
 * sandbox's Compose service name), made at every start (nothing on disk). Its subject is unique: a process that
 * trusts several sandboxes' certificates at once (tests; providers/src/shared/trustCertificate.ts) has OpenSSL pick
 * the trust anchor by the issuer's name, and these certificates carry no key identifiers to tell same-named ones
 * apart. Host names are checked against the subjectAltName alone.
 */
export async function loopbackCertificate(extraNames: readonly string[] = []): Promise<TlsMaterial> {
  const extra = extraNames.map((name) =>
    isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
  );
  const pems = await generate([{ name: 'commonName', value: `crm-sync sandbox ${randomUUID()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, ...extra],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
