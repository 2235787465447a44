/** What every provider adapter needs to act as one OAuth client. */
export interface OAuthClientOptions {
  clientId: string;
  clientSecret: string;
  /** Must match one registered at the provider exactly (scheme, host, path, trailing slash). */
  redirectUri: string;
  /**
   * Fetch used for the provider's HTTP calls where the client library lets us replace it. Tests pass one whose
   * dispatcher trusts the sandbox's self-signed certificate (undici `Agent({ connect: { ca } })`).
   */
  fetch?: typeof fetch;
}
