import type { RateLimitDimension } from '../headers/rate-limit-headers';
import { UNLIMITED_REQUESTS, UNLIMITED_TOKENS } from '../headers/rate-limit-headers';
import type { OpenAiLimitState } from '../faults/rate-limit-dialects';
import type { LimiterHeaders, LimiterOptions } from '../types';
import { TokenBucket } from './token-bucket';

/** The verdict on one request. */
export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number; state: OpenAiLimitState };

function dimensionOf(bucket: TokenBucket | undefined, fallback: RateLimitDimension): RateLimitDimension {
  if (bucket === undefined) return fallback;
  return { limit: bucket.capacity, remaining: bucket.available(), resetMs: bucket.msUntilFull() };
}

/**
 * An honest RPM/TPM limiter: a request is admitted only if both buckets hold enough, and the figures it reports in
 * `x-ratelimit-*` headers are the buckets' real levels and refill times, on success and on 429 alike.
 */
export class RateLimiter {
  private readonly requests: TokenBucket | undefined;
  private readonly tokens: TokenBucket | undefined;
  /** Which rate-limit fields answers on OpenAI routes carry. */
  readonly headers: LimiterHeaders;

  /** @param now the instance clock */
  constructor(options: LimiterOptions, now: () => number) {
    const fill = options.initialFill ?? 1;
    this.requests = options.requestsPerMinute === undefined ? undefined : new TokenBucket(options.requestsPerMinute, now, fill);
    this.tokens = options.tokensPerMinute === undefined ? undefined : new TokenBucket(options.tokensPerMinute, now, fill);
    this.headers = options.headers ?? 'openai';
  }

  /** Takes one request and `tokens` tokens, or explains how long until they would be available. */
  admit(tokens: number): Admission {
    const requestWait = this.requests?.msUntilAvailable(1) ?? 0;
    const tokenWait = this.tokens?.msUntilAvailable(tokens) ?? 0;
    if (requestWait === 0 && tokenWait === 0) {
      this.requests?.tryTake(1);
      this.tokens?.tryTake(Math.min(tokens, this.tokens.capacity));
      return { admitted: true };
    }
    const exhausted = requestWait >= tokenWait ? 'requests' : 'tokens';
    return { admitted: false, retryAfterMs: Math.max(requestWait, tokenWait), state: { ...this.state(), exhausted } };
  }

  /** The current figures for both dimensions; a dimension without a limit reports the roomy defaults. */
  state(): { requests: RateLimitDimension; tokens: RateLimitDimension } {
    return { requests: dimensionOf(this.requests, UNLIMITED_REQUESTS), tokens: dimensionOf(this.tokens, UNLIMITED_TOKENS) };
  }
}
