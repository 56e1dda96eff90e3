import { rfc3339 } from '../anthropic/rate-limit-headers';
import { formatGoDuration } from '../go-duration';
import type { RateLimitDimension } from '../headers/rate-limit-headers';
import { putIetfRateLimitHeaders } from '../headers/ietf-rate-limit-headers';
import { putRateLimitHeaders } from '../headers/rate-limit-headers';
import type { RateLimitDialect } from '../types';
import type { ErrorReply } from './error-reply';

/** What a dialect needs to word its 429. */
export interface RateLimitContext {
  retryAfterMs: number;
  perDay: boolean;
  /** The instance clock, epoch ms; also written as the `Date` header so absolute resets are consistent with it. */
  now: number;
  model: string;
  requestId: string;
}

/** OpenAI's limiter state at the moment of a 429; the honest limiter passes real figures. */
export interface OpenAiLimitState {
  requests: RateLimitDimension;
  tokens: RateLimitDimension;
  /** Which dimension ran out; it decides the body's `type` and the RPM/TPM wording. */
  exhausted: 'requests' | 'tokens';
}

/** Whole seconds for `retry-after`: RFC 9110 allows no fraction, so round up and never invite an early retry. */
const retryAfterSeconds = (ms: number): string => String(Math.ceil(ms / 1000));


/** Seconds as a protobuf Duration (`"1s"`, `"1.5s"`), the format of Gemini's `RetryInfo.retryDelay`. */
const protoDuration = (ms: number): string => `${Math.round(ms) / 1000}s`;

function reply(status: number, contentType: string, headers: Record<string, string>, body: unknown): ErrorReply {
  return { status, headers: { 'content-type': contentType, ...headers }, body: JSON.stringify(body), rateHeaders: false };
}

/**
 * OpenAI's 429 for an exhausted RPM or TPM limit: the rate-limit headers with the exhausted dimension at 0, a
 * `retry-after` in seconds, and the "Please try again in 1.5s." text that some clients parse as a Go duration.
 */
export function openaiRateLimitReply(context: RateLimitContext, state: OpenAiLimitState): ErrorReply {
  const headers = putRateLimitHeaders({ date: new Date(context.now).toUTCString() }, state.requests, state.tokens);
  headers['retry-after'] = retryAfterSeconds(context.retryAfterMs);
  const dimension = state.exhausted === 'requests' ? state.requests : state.tokens;
  const unit = state.exhausted === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
  const message =
    `Rate limit reached for ${context.model} in organization org-detourtestkit on ${unit}: Limit ${dimension.limit}, ` +
    `Used ${dimension.limit}, Requested 1. Please try again in ${formatGoDuration(context.retryAfterMs)}. ` +
    'Visit https://platform.openai.com/account/rate-limits to learn more.';
  const body = { error: { message, type: state.exhausted, param: null, code: 'rate_limit_exceeded' } };
  return reply(429, 'application/json', headers, body);
}

/**
 * The honest limiter's 429 in the IETF dialect: `RateLimit` with the exhausted policy at `r=0` and `t` = the wait
 * for this request in whole seconds (rounded up), `RateLimit-Policy`, no `Retry-After`, and an RFC 9457 problem.
 */
export function ietfLimiterReply(context: RateLimitContext, state: OpenAiLimitState): ErrorReply {
  const wait = { remaining: 0, resetMs: context.retryAfterMs };
  const requests = state.exhausted === 'requests' ? { ...state.requests, ...wait } : state.requests;
  const tokens = state.exhausted === 'tokens' ? { ...state.tokens, ...wait } : state.tokens;
  const headers = putIetfRateLimitHeaders({ date: new Date(context.now).toUTCString() }, requests, tokens);
  const body = {
    type: 'https://iana.org/assignments/http-problem-types#quota-exceeded',
    title: 'Request cannot be satisfied as assigned quota has been exceeded',
    status: 429,
    'violated-policies': [state.exhausted],
  };
  return reply(429, 'application/problem+json', headers, body);
}

type DialectWriter = (context: RateLimitContext) => ErrorReply;

const dialects: Record<RateLimitDialect, DialectWriter> = {
  openai: (context) =>
    openaiRateLimitReply(context, {
      requests: { limit: 500, remaining: 0, resetMs: context.retryAfterMs },
      tokens: { limit: 200_000, remaining: 199_000, resetMs: 300 },
      exhausted: 'requests',
    }),

  anthropic: (context) => {
    const reset = rfc3339(context.now + context.retryAfterMs);
    const headers = {
      date: new Date(context.now).toUTCString(),
      'request-id': context.requestId,
      'retry-after': retryAfterSeconds(context.retryAfterMs),
      'x-should-retry': 'true',
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': reset,
      // Anthropic rounds remaining tokens to the nearest thousand.
      'anthropic-ratelimit-tokens-limit': '80000',
      'anthropic-ratelimit-tokens-remaining': '79000',
      'anthropic-ratelimit-tokens-reset': rfc3339(context.now + 1000),
      'anthropic-ratelimit-input-tokens-limit': '40000',
      'anthropic-ratelimit-input-tokens-remaining': '40000',
      'anthropic-ratelimit-input-tokens-reset': rfc3339(context.now),
      'anthropic-ratelimit-output-tokens-limit': '16000',
      'anthropic-ratelimit-output-tokens-remaining': '16000',
      'anthropic-ratelimit-output-tokens-reset': rfc3339(context.now),
    };
    const message =
      "This request would exceed the rate limit for your organization (detour-testkit) of 50 requests per minute. " +
      'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage.';
    const body = { type: 'error', error: { type: 'rate_limit_error', message }, request_id: context.requestId };
    return reply(429, 'application/json', headers, body);
  },

  azure: (context) => {
    const seconds = retryAfterSeconds(context.retryAfterMs);
    const headers = {
      date: new Date(context.now).toUTCString(),
      'retry-after': seconds,
      'retry-after-ms': String(Math.round(context.retryAfterMs)),
      'x-ms-retry-after-ms': String(Math.round(context.retryAfterMs)),
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-remaining-tokens': '4000',
      'apim-request-id': context.requestId,
    };
    const message =
      'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded call ' +
      `rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds} second(s). ` +
      'Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.';
    return reply(429, 'application/json', headers, { error: { code: '429', message } });
  },

  // Groq's request headers always count per day (RPD) and its token headers per minute (TPM).
  groq: (context) => {
    const wait = formatGoDuration(context.retryAfterMs);
    const headers = {
      date: new Date(context.now).toUTCString(),
      'retry-after': retryAfterSeconds(context.retryAfterMs),
      'x-ratelimit-limit-requests': '14400',
      'x-ratelimit-limit-tokens': '6000',
      'x-ratelimit-remaining-requests': context.perDay ? '0' : '14370',
      'x-ratelimit-remaining-tokens': context.perDay ? '6000' : '0',
      'x-ratelimit-reset-requests': context.perDay ? wait : '2m59.56s',
      'x-ratelimit-reset-tokens': context.perDay ? '0s' : wait,
      'x-groq-region': 'detour-testkit',
    };
    const limit = context.perDay ? 'requests per day (RPD): Limit 14400, Used 14400' : 'tokens per minute (TPM): Limit 6000, Used 5990';
    const message =
      `Rate limit reached for model \`${context.model}\` in organization \`org_detourtestkit\` service tier \`on_demand\` ` +
      `on ${limit}, Requested 120. Please try again in ${wait}.`;
    const type = context.perDay ? 'requests' : 'tokens';
    return reply(429, 'application/json', headers, { error: { message, type, code: 'rate_limit_exceeded' } });
  },

  // The IETF draft's fields carry the wait in `t`; no Retry-After, which would take precedence over them.
  ietf: (context) => {
    const headers = {
      date: new Date(context.now).toUTCString(),
      ratelimit: `"default";r=0;t=${retryAfterSeconds(context.retryAfterMs)}`,
      'ratelimit-policy': '"default";q=100;w=60',
    };
    const body = {
      type: 'https://iana.org/assignments/http-problem-types#quota-exceeded',
      title: 'Request cannot be satisfied as assigned quota has been exceeded',
      status: 429,
      'violated-policies': ['default'],
    };
    return reply(429, 'application/problem+json', headers, body);
  },

  // OpenRouter puts its rate-limit headers inside the body, with the reset in epoch milliseconds.
  openrouter: (context) => {
    const message = context.perDay
      ? 'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day'
      : `Rate limit exceeded: limit_rpm/${context.model}. High demand for ${context.model} on OpenRouter - limited to 20 requests per minute.`;
    const metadata = {
      headers: {
        'X-RateLimit-Limit': context.perDay ? '50' : '20',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Math.round(context.now + context.retryAfterMs)),
      },
      provider_name: null,
    };
    const body = { error: { code: 429, message, metadata }, user_id: 'user_detourtestkit' };
    return reply(429, 'application/json', { date: new Date(context.now).toUTCString() }, body);
  },

  // Gemini's OpenAI-compatible endpoint wraps the Google RPC error in a JSON array.
  gemini: (context) => {
    const period = context.perDay ? 'PerDay' : 'PerMinute';
    const error = {
      code: 429,
      message: 'You exceeded your current quota, please check your plan and billing details.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: `generativelanguage.googleapis.com/generate_requests_per_model${context.perDay ? '_per_day' : ''}`,
              quotaId: `GenerateRequests${period}PerProjectPerModel`,
              quotaDimensions: { model: context.model, location: 'global' },
            },
          ],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: protoDuration(context.retryAfterMs) },
      ],
    };
    return reply(429, 'application/json', { date: new Date(context.now).toUTCString() }, [{ error }]);
  },
};

/**
 * A 429 exactly as the named provider sends it: its headers, its reset format and its body shape (each provider's
 * published rate-limit documentation). Every dialect carries a `Date` from the instance clock so absolute resets can be measured from it.
 *
 * @example
 * rateLimitReply('anthropic', { retryAfterMs: 1000, perDay: false, now: Date.now(), model: 'm', requestId: 'req_1' });
 */
export function rateLimitReply(dialect: RateLimitDialect, context: RateLimitContext): ErrorReply {
  return dialects[dialect](context);
}
