/**
 * The closed set of ways a provider call can fail, as seen by the sync engine. Each adapter's `classifyError`
 * maps its client's errors onto exactly one of these; one place in the engine decides what a job does with each.
 */
export type ProviderErrorClass =
  /** The grant is gone (invalid_grant, BAD_REFRESH_TOKEN): delete credentials, connection needs re-auth. */
  | { kind: 'auth_revoked'; reason: string }
  /** The access token was refused (401): refresh once, then retry. */
  | { kind: 'auth_expired' }
  /**
   * Throttled: wait, without counting a failed attempt. `guessed`: the provider named no delay (no Retry-After), so
   * `retryAfterMs` is the adapter's first wait and the engine doubles it while the throttling goes on, as the
   * providers ask of clients they throttle without saying for how long.
   */
  | { kind: 'rate_limited'; retryAfterMs: number; guessed?: boolean }
  /** 5xx, network: back off exponentially with jitter. */
  | { kind: 'transient'; reason: string }
  /** The stored cursor is no longer accepted: drop it and run a full sync. */
  | { kind: 'cursor_expired' }
  /** Retrying cannot help (e.g. insufficient scope): disable the resource with the reason. */
  | { kind: 'permanent'; reason: string };

export type ProviderErrorKind = ProviderErrorClass['kind'];

/**
 * Thrown by adapters so the classification travels with the failure. The message must never contain a token:
 * adapters build it from status codes and provider error codes only.
 */
export class ClassifiedProviderError extends Error {
  override name = 'ClassifiedProviderError';
  constructor(
    readonly classification: ProviderErrorClass,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown when a job payload or event fails validation at the edge. Carries field paths, not values. */
export class InvalidPayloadError extends Error {
  override name = 'InvalidPayloadError';
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`invalid ${source}: ${issues.join('; ')}`);
  }
}
