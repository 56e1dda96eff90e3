/**
 * The closed set of outcomes an attempt can have. Every status, header, body and transport error a provider can
 * produce maps onto exactly one of these, and each kind has one fixed policy (`kindPolicies`, in `@detour/core/signals`).
 */
export type OutcomeKind =
  | 'success'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'overloaded'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'auth'
  | 'context_length_exceeded'
  | 'content_policy'
  | 'request_too_large'
  | 'invalid_request'
  | 'not_found'
  | 'conflict'
  | 'invalid_response'
  | 'response_too_large'
  | 'aborted';

/** How long an outcome keeps an endpoint out of rotation. */
export type CooldownRule = 'none' | 'until_reset' | 'short' | 'long';

/** What an outcome means for the request and for the endpoint's health. */
export interface KindPolicy {
  /** Worth trying again on the same endpoint (after the server's delay or a backoff). */
  readonly retrySame: boolean;
  /** Worth trying on another endpoint, at once. */
  readonly failover: boolean;
  /** Whether the breaker counts it: a failure, a success, or not at all. */
  readonly breaker: 'failure' | 'success' | 'neutral';
  readonly cooldown: CooldownRule;
}

const policy = (
  retrySame: boolean, failover: boolean, breaker: KindPolicy['breaker'], cooldown: CooldownRule,
): KindPolicy => Object.freeze({ retrySame, failover, breaker, cooldown });

/**
 * The one table of retry decisions. 429s and quota errors are admission control with a known
 * reset, so they cool an endpoint down instead of tripping its breaker; request-caused 4xx say nothing about the
 * endpoint's health and are neutral rather than successes, which would dilute the failure rate.
 */
export const kindPolicies: Readonly<Record<OutcomeKind, KindPolicy>> = Object.freeze({
  success: policy(false, false, 'success', 'none'),
  rate_limited: policy(true, true, 'neutral', 'until_reset'),
  quota_exhausted: policy(false, true, 'neutral', 'long'),
  overloaded: policy(true, true, 'failure', 'short'),
  server_error: policy(true, true, 'failure', 'none'),
  timeout: policy(true, true, 'failure', 'none'),
  network: policy(true, true, 'failure', 'none'),
  auth: policy(false, true, 'neutral', 'long'),
  // Another endpoint may have a larger limit or window; the same one never will.
  request_too_large: policy(false, true, 'neutral', 'none'),
  context_length_exceeded: policy(false, false, 'neutral', 'none'),
  // The provider's safety system refused the request: the same request to the same model will be refused again.
  // Only a configured fallback model (`fallbacks`) changes the answer.
  content_policy: policy(false, false, 'neutral', 'none'),
  invalid_request: policy(false, false, 'neutral', 'none'),
  // A deployment or model missing on one endpoint (Azure, OpenRouter) may exist on another.
  not_found: policy(false, true, 'neutral', 'none'),
  conflict: policy(true, true, 'neutral', 'none'),
  // A 2xx on a JSON route whose body does not parse (or is empty): the endpoint answered garbage. Asking it again
  // for the same request would download the same garbage; another endpoint may answer properly.
  invalid_response: policy(false, true, 'failure', 'none'),
  // An answer over `maxResponseBytes`: the same endpoint would send the same size again, so it is not retried
  // there; another endpoint (another model or provider) may answer shorter. Not the endpoint's ill health.
  response_too_large: policy(false, true, 'neutral', 'none'),
  aborted: policy(false, false, 'neutral', 'none'),
});
