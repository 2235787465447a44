/** What every provider adapter needs to act as one OAuth client. */
export interface OAuthClientOptions {
  clientId: string;
  clientSecret: string;
  /** Must match one registered at the provider exactly (scheme, host, path, trailing slash). */
  redirectUri: string;
  /**
   * Fetch used for the provider's HTTP calls where the client library lets us replace it. Sandbox mode passes one
   * that first makes the process trust the sandbox's self-signed certificate (shared/trustCertificate.ts).
   */
  fetch?: typeof fetch;
}
