import { isAsciiDigits } from './ascii-digits';
import { readIetfPolicyQuota, readIetfRateLimit } from './ietf-rate-limit';
import { parseHttpDate } from './parse-http-date';
import { parseResetDuration } from './parse-reset-duration';
import { parseRetryAfter, parseRetryAfterMs } from './parse-retry-after';
import { readErrorBody, type ProviderError } from './read-error-body';
import { headerLookup, type HeaderLookup, type HeaderSource } from './read-header';

/** Where a server-directed delay came from, in the order they are trusted: millisecond and
 * second `Retry-After` headers (RFC 9110 §10.2.3) first, then delays in the error body, then rate-limit resets. */
export type DelaySource =
  | 'retry-after-ms'
  | 'retry-after'
  | 'body-retry-delay'
  | 'body-reset'
  | 'body-try-again'
  | 'rate-limit-reset';

/** One rate-limit dimension (requests, tokens, …) as a provider reported it; the reset is read when nothing is left. */
export interface RateLimitDimension {
  /**
   * The dimension's limit, when the response states it in a form admission's quota model reads (which then refills
   * the dimension steadily); undefined otherwise.
   */
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** Milliseconds until the dimension is replenished. */
  readonly resetMs: number | undefined;
}

/** Everything a response says about waiting and limits, in core's terms. */
export interface ProviderSignals {
  /** The server-directed delay, first valid source wins; undefined when the server gave none. */
  readonly delayMs: number | undefined;
  readonly delaySource: DelaySource | undefined;
  /** Dimensions with nothing left, e.g. `requests` or `anthropic:tokens`, keyed by a provider-neutral name. */
  readonly dimensions: Readonly<Record<string, RateLimitDimension>>;
  /** Names of dimensions whose `remaining` is 0. */
  readonly exhausted: readonly string[];
  /** `x-should-retry`: true or false when the server said so. */
  readonly shouldRetry: boolean | undefined;
  /** The error body, read in whichever dialect it came. */
  readonly error: ProviderError | undefined;
}

/** What {@link readProviderSignals} reads. */
export interface SignalInput {
  readonly headers: HeaderSource;
  /** The error body, parsed or as text; omit for successful responses. */
  readonly body?: unknown;
  /** The local clock, used when the response carries no `Date`. */
  readonly nowMs: number;
  /** The header names are known to be lower case (a transport's `headersLowerCase`): read without checking. */
  readonly headersLowerCase?: boolean | undefined;
}

const integer = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (isAsciiDigits(value)) return Number.isFinite(number) ? number : undefined;
  // Number('') is 0 and Number(' 12 ') is 12: insist on digits.
  if (!Number.isFinite(number) || !/^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) return undefined;
  // Azure answers -1 (and sometimes 0 with it) as a sentinel for "unknown": never read it as exhausted.
  return number < 0 ? undefined : number;
};

// The longest wait any signal is believed for: a daily quota resets within a day. Anything longer is a misreading
// (an epoch where a delta was expected) and would cool an endpoint until the process restarts.
const maxSignalDelayMs = 86_400_000;

// OpenAI and Groq send Go durations; Together, Mistral and Cerebras plain seconds. A large plain number is an
// instant, not a delay: above 1e12 epoch milliseconds (OpenRouter's habit), above 1e9 epoch seconds.
const resetFromDuration = (value: string | undefined, serverNow: () => number): number | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed) && trimmed !== '0') {
    const number = Number(trimmed);
    if (number > 1e12) return Math.max(0, number - serverNow());
    if (number > 1e9) return Math.max(0, number * 1000 - serverNow());
    return Math.ceil(number * 1000);
  }
  return parseResetDuration(trimmed);
};

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

// Header names built once: a proxy reads them on every response.
const openAiDimensions = ['requests', 'tokens'].map((unit) => ({
  name: unit, remaining: `x-ratelimit-remaining-${unit}`, limit: `x-ratelimit-limit-${unit}`, reset: `x-ratelimit-reset-${unit}`,
}));
const anthropicDimensions = ['requests', 'tokens', 'input-tokens', 'output-tokens'].map((unit) => ({
  name: `anthropic:${unit}`, remaining: `anthropic-ratelimit-${unit}-remaining`, limit: `anthropic-ratelimit-${unit}-limit`,
  reset: `anthropic-ratelimit-${unit}-reset`,
}));

// "Nothing left, resets in 0" is Azure's sentinel pair, not "retry now": leave the reset unknown so the default
// cooldown applies.
const knownReset = (resetMs: number | undefined) => (resetMs === 0 ? undefined : resetMs);

// A limit of 0 is none a provider that has just answered can have: unknown, as the quota model reads it.
const knownLimit = (value: string | undefined): number | undefined => integer(value) || undefined;

const readDimensions = (header: HeaderLookup, serverNow: () => number): Record<string, RateLimitDimension> => {
  const dimensions: Record<string, RateLimitDimension> = {};
  // `remaining` first: most responses have plenty left, and then the reset is not worth parsing.
  for (const names of openAiDimensions) {
    const remaining = integer(header(names.remaining));
    if (remaining === undefined) continue;
    const resetMs = remaining === 0 ? knownReset(resetFromDuration(header(names.reset), serverNow)) : undefined;
    dimensions[names.name] = { limit: knownLimit(header(names.limit)), remaining, resetMs };
  }
  // Together and others: one unsuffixed set, in seconds.
  const generic = integer(header('x-ratelimit-remaining'));
  if (generic !== undefined) {
    const resetMs = generic === 0 ? knownReset(resetFromDuration(header('x-ratelimit-reset'), serverNow)) : undefined;
    dimensions.generic = { limit: knownLimit(header('x-ratelimit-limit')), remaining: generic, resetMs };
  }
  for (const names of anthropicDimensions) {
    const remaining = integer(header(names.remaining));
    if (remaining === undefined) continue;
    let resetMs: number | undefined;
    if (remaining === 0) {
      const reset = header(names.reset)?.trim();
      const resetAt = reset !== undefined && rfc3339.test(reset) ? Date.parse(reset) : Number.NaN;
      resetMs = Number.isFinite(resetAt) ? Math.max(0, resetAt - serverNow()) : undefined;
    }
    dimensions[names.name] = { limit: knownLimit(header(names.limit)), remaining, resetMs };
  }
  // IETF fields on a cached response describe someone else's quota (draft-10): skip them when Age > 0.
  const field = header('ratelimit');
  if (field !== undefined) {
    const ietf = integer(header('age')) ? undefined : readIetfRateLimit(field);
    // Its limit is the policy's quota, when a `RateLimit-Policy` declares one (as the quota model reads it).
    if (ietf) dimensions.ietf = { limit: ietf.remaining === 0 ? readIetfPolicyQuota(header('ratelimit-policy')) : undefined, remaining: ietf.remaining, resetMs: ietf.resetMs };
  } else {
    // The separate fields of the drafts up to -06 (`RateLimit-Remaining`, `RateLimit-Reset` in seconds), which API
    // gateways still send. The quota model does not read them: an exhausted one cools the endpoint until its reset.
    const remaining = integer(header('ratelimit-remaining'));
    if (remaining !== undefined && !integer(header('age'))) {
      dimensions.ietf = { limit: undefined, remaining, resetMs: remaining === 0 ? knownReset(resetFromDuration(header('ratelimit-reset'), serverNow)) : undefined };
    }
  }
  return dimensions;
};

/**
 * Reads every delay and limit hint a provider sends, in headers and in the error body, and resolves the single
 * server-directed delay in the trusted order: `retry-after-ms` (and Azure's `x-ms-retry-after-ms`), then
 * `Retry-After`, then a hint in the body (Gemini `retryDelay`, OpenRouter's epoch-ms reset, OpenAI's "try again
 * in"), then the reset of whichever dimension is exhausted. Absolute times are measured from the response's
 * `Date` when it has one. Never throws; never yields a negative, NaN or infinite delay.
 */
export const readProviderSignals = ({ headers, body, nowMs, headersLowerCase }: SignalInput): ProviderSignals => {
  const header = headerLookup(headers, headersLowerCase);
  // The server's clock, read only when an absolute time needs it: most responses carry none.
  let serverNowMs: number | undefined;
  const serverNow = () => {
    if (serverNowMs === undefined) {
      const dateHeader = header('date');
      serverNowMs = (dateHeader !== undefined ? parseHttpDate(dateHeader, nowMs) : undefined) ?? nowMs;
    }
    return serverNowMs;
  };
  const dimensions = readDimensions(header, serverNow);
  const exhausted = Object.keys(dimensions).filter((name) => dimensions[name]!.remaining === 0);
  const error = body === undefined ? undefined : readErrorBody(body);

  let delayMs: number | undefined;
  let delaySource: DelaySource | undefined;
  const consider = (value: number | undefined, source: DelaySource) => {
    if (delayMs === undefined && value !== undefined && Number.isFinite(value) && value >= 0) {
      delayMs = Math.min(value, maxSignalDelayMs);
      delaySource = source;
    }
  };
  // Each header on its own: an invalid `retry-after-ms: -1` must not hide a valid `x-ms-retry-after-ms`.
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = header(name);
    if (value !== undefined) consider(parseRetryAfterMs(value), 'retry-after-ms');
  }
  const retryAfter = header('retry-after');
  if (retryAfter !== undefined) consider(parseRetryAfter(retryAfter, serverNow()), 'retry-after');
  if (error) {
    consider(error.retryDelayMs, 'body-retry-delay');
    if (error.resetAtMs !== undefined) consider(Math.max(0, error.resetAtMs - serverNow()), 'body-reset');
    consider(error.tryAgainMs, 'body-try-again');
  }
  if (delayMs === undefined && exhausted.length > 0) {
    // The wait is until the slowest exhausted dimension refills.
    const resets = exhausted.map((name) => dimensions[name]!.resetMs).filter((value) => value !== undefined);
    if (resets.length > 0) consider(Math.max(...resets), 'rate-limit-reset');
  }

  const shouldRetryText = header('x-should-retry')?.trim().toLowerCase();
  return {
    delayMs,
    delaySource,
    dimensions,
    exhausted,
    shouldRetry: shouldRetryText === 'true' ? true : shouldRetryText === 'false' ? false : undefined,
    error,
  };
};
