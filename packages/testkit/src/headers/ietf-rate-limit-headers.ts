import type { RateLimitDimension } from './rate-limit-headers';

/** Whole seconds, rounded up: the IETF fields carry integers, and rounding down would invite an early retry. */
const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/**
 * Writes the IETF `RateLimit` and `RateLimit-Policy` fields (draft-ietf-httpapi-ratelimit-headers-10) for two
 * policies, `requests` and `tokens`, each a per-minute quota: `RateLimit: "requests";r=12;t=3, "tokens";r=900;t=1`
 * and `RateLimit-Policy: "requests";q=60;w=60, "tokens";q=20000;w=60`. `t` is the dimension's `resetMs` in seconds.
 */
export function putIetfRateLimitHeaders(
  headers: Record<string, string>,
  requests: RateLimitDimension,
  tokens: RateLimitDimension,
): Record<string, string> {
  const remaining = (dimension: RateLimitDimension): number => Math.max(0, Math.floor(dimension.remaining));
  headers.ratelimit = `"requests";r=${remaining(requests)};t=${seconds(requests.resetMs)}, "tokens";r=${remaining(tokens)};t=${seconds(tokens.resetMs)}`;
  headers['ratelimit-policy'] = `"requests";q=${Math.floor(requests.limit)};w=60, "tokens";q=${Math.floor(tokens.limit)};w=60`;
  return headers;
}
