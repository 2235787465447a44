/** A connect request that cannot be served as asked (e.g. a resource the provider does not offer). */
export class ConnectRequestError extends Error {
  override name = 'ConnectRequestError';
}
