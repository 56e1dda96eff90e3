import { formatGoDuration } from '../go-duration';

/** One dimension (requests or tokens) of OpenAI's `x-ratelimit-*` headers. */
export interface RateLimitDimension {
  limit: number;
  remaining: number;
  /** Time until the dimension is fully replenished, which is what OpenAI's reset headers mean. */
  resetMs: number;
}

/**
 * Writes OpenAI's six `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` headers into `headers`, resets as
 * Go durations.
 */
export function putRateLimitHeaders(
  headers: Record<string, string>,
  requests: RateLimitDimension,
  tokens: RateLimitDimension,
): Record<string, string> {
  headers['x-ratelimit-limit-requests'] = String(requests.limit);
  headers['x-ratelimit-limit-tokens'] = String(tokens.limit);
  headers['x-ratelimit-remaining-requests'] = String(Math.max(0, Math.floor(requests.remaining)));
  headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, Math.floor(tokens.remaining)));
  headers['x-ratelimit-reset-requests'] = formatGoDuration(requests.resetMs);
  headers['x-ratelimit-reset-tokens'] = formatGoDuration(tokens.resetMs);
  return headers;
}

/** Figures sent when no limiter is configured: a roomy tier-5-like quota that never runs out. */
export const UNLIMITED_REQUESTS: RateLimitDimension = { limit: 10_000, remaining: 9_999, resetMs: 6 };
/** Token figures sent when no token limit is configured. */
export const UNLIMITED_TOKENS: RateLimitDimension = { limit: 30_000_000, remaining: 29_999_990, resetMs: 0 };
