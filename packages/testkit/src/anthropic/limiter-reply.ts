import type { OpenAiLimitState } from '../faults/rate-limit-dialects';
import type { ErrorReply } from '../faults/error-reply';
import { anthropicErrorReply } from './error-body';
import { putAnthropicRateLimitHeaders } from './rate-limit-headers';

/**
 * The honest limiter's 429 on an Anthropic route: `rate_limit_error` with the buckets' real levels in the
 * `anthropic-ratelimit-*` headers and a whole-second `retry-after` that never invites an early retry.
 */
export function anthropicLimiterReply(retryAfterMs: number, state: OpenAiLimitState, now: number, requestId: string): ErrorReply {
  const dimension = state.exhausted === 'requests' ? state.requests : state.tokens;
  const unit = state.exhausted === 'requests' ? 'requests' : 'input tokens';
  const message =
    `This request would exceed the rate limit for your organization (detour-testkit) of ${dimension.limit} ${unit} per minute. ` +
    'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage.';
  const reply = anthropicErrorReply(429, message, requestId);
  putAnthropicRateLimitHeaders(reply.headers, state.requests, state.tokens, now);
  reply.headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  reply.headers.date = new Date(now).toUTCString();
  return reply;
}
