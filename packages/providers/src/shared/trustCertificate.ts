import tls from 'node:tls';

/**
 * Adds a certificate to those this process's TLS clients trust by default, global `fetch` included; once per
 * certificate. The sandbox serves Microsoft over HTTPS with its own self-signed certificate (README, "Run it").
 * Handing fetch an undici `Agent` as its `dispatcher` did this per call, but only while the npm undici and the one
 * built into Node share a major version (Node 24 bundles undici 7, Node 26 undici 8: `process.versions.undici`);
 * the process-wide default (`tls.setDefaultCACertificates`, Node 22.19+ and 24.5+) works on every Node the
 * project runs on.
 */
export function trustCertificate(pem: string): void {
  const current = tls.getCACertificates('default');
  if (!current.some((known) => known.trim() === pem.trim())) tls.setDefaultCACertificates([...current, pem]);
}
