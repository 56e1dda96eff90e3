import type { RateLimitDimension } from '../headers/rate-limit-headers';

/** RFC 3339 without milliseconds, rounded up to the next second like Anthropic's reset instants. */
export const rfc3339 = (epochMs: number): string => new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function putDimension(headers: Record<string, string>, name: string, dimension: RateLimitDimension, now: number): void {
  headers[`anthropic-ratelimit-${name}-limit`] = String(dimension.limit);
  headers[`anthropic-ratelimit-${name}-remaining`] = String(Math.max(0, Math.floor(dimension.remaining)));
  headers[`anthropic-ratelimit-${name}-reset`] = rfc3339(now + dimension.resetMs);
}

/**
 * Writes Anthropic's `anthropic-ratelimit-{requests,input-tokens,output-tokens,tokens}-{limit,remaining,reset}`
 * headers, resets as the RFC 3339 instant of full replenishment. The limiter keeps one token bucket, so all three
 * token families report it; unlike Anthropic, remaining tokens are not rounded to the thousand, so small test
 * limits stay readable.
 */
export function putAnthropicRateLimitHeaders(
  headers: Record<string, string>,
  requests: RateLimitDimension,
  tokens: RateLimitDimension,
  now: number,
): Record<string, string> {
  putDimension(headers, 'requests', requests, now);
  putDimension(headers, 'input-tokens', tokens, now);
  putDimension(headers, 'output-tokens', tokens, now);
  putDimension(headers, 'tokens', tokens, now);
  return headers;
}
