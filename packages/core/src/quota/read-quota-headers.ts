import { isAsciiDigits } from '../signals/ascii-digits';
import { readIetfRateLimit } from '../signals/ietf-rate-limit';
import { parseHttpDate } from '../signals/parse-http-date';
import { parseResetDuration } from '../signals/parse-reset-duration';
import { parseStructuredList } from '../signals/parse-structured-list';
import { headerLookup, type HeaderLookup, type HeaderSource } from '../signals/read-header';

/** The quota dimensions Detour models: requests, all tokens, and Anthropic's input and output tokens apart. */
export type QuotaDimension = 'requests' | 'tokens' | 'input-tokens' | 'output-tokens';

/** The quota dimensions, in a fixed order. */
export const quotaDimensions: readonly QuotaDimension[] = ['requests', 'tokens', 'input-tokens', 'output-tokens'];

/** What one response said about one dimension. */
export interface QuotaReading {
  /** Units left when the provider answered. */
  readonly remaining: number;
  /** The dimension's size, when the provider says. */
  readonly limit: number | undefined;
  /** Milliseconds until the dimension is full again, when the provider says. */
  readonly resetMs: number | undefined;
}

/** Every dimension a response reported. */
export type QuotaObservation = Partial<Record<QuotaDimension, QuotaReading>>;

const count = (value: string | undefined): number | undefined => {
  if (value === undefined || (!isAsciiDigits(value) && !/^\s*\d+(?:\.\d+)?\s*$/.test(value))) return undefined;
  const number = Number(value);
  // Negative values are Azure's "unknown" sentinel and fail the pattern above.
  return Number.isFinite(number) ? number : undefined;
};

// Resets come as Go durations (OpenAI, Groq), plain seconds (Together, Mistral, Cerebras), epoch seconds or
// milliseconds (OpenRouter), or an RFC 3339 instant (Anthropic). Unknown or unparseable: undefined, never "now".
const resetMsOf = (value: string | undefined, serverNow: () => number): number | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  // A Go duration ends in its unit (s, m or h), which neither a number nor an RFC 3339 instant does: the usual
  // reading (OpenAI's `6ms`) goes straight to its parser.
  const last = trimmed.charCodeAt(trimmed.length - 1);
  if (last === 115 /* s */ || last === 109 /* m */ || last === 104 /* h */) return parseResetDuration(trimmed);
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) {
    const number = Number(trimmed);
    if (number > 1e12) return Math.max(0, number - serverNow());
    if (number > 1e9) return Math.max(0, number * 1000 - serverNow());
    return Math.ceil(number * 1000);
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const at = Date.parse(trimmed);
    return Number.isFinite(at) ? Math.max(0, at - serverNow()) : undefined;
  }
  return parseResetDuration(trimmed);
};

interface HeaderSet {
  readonly dimension: QuotaDimension;
  readonly remaining: string;
  readonly limit: string | undefined;
  readonly reset: string | undefined;
}

// Built once: a proxy reads them on every response. The first set that reports a dimension wins.
const headerSets: readonly HeaderSet[] = [
  ...(['requests', 'tokens'] as const).map((unit) => ({
    dimension: unit, remaining: `x-ratelimit-remaining-${unit}`, limit: `x-ratelimit-limit-${unit}`, reset: `x-ratelimit-reset-${unit}`,
  })),
  ...(['requests', 'tokens', 'input-tokens', 'output-tokens'] as const).map((unit) => ({
    dimension: unit, remaining: `anthropic-ratelimit-${unit}-remaining`, limit: `anthropic-ratelimit-${unit}-limit`,
    reset: `anthropic-ratelimit-${unit}-reset`,
  })),
  // Together: an unsuffixed request set in seconds, and tokens apart without a reset.
  { dimension: 'requests', remaining: 'x-ratelimit-remaining', limit: 'x-ratelimit-limit', reset: 'x-ratelimit-reset' },
  { dimension: 'tokens', remaining: 'x-tokenlimit-remaining', limit: 'x-tokenlimit-limit', reset: undefined },
  // Cerebras: requests per day, tokens per minute.
  { dimension: 'requests', remaining: 'x-ratelimit-remaining-requests-day', limit: 'x-ratelimit-limit-requests-day', reset: 'x-ratelimit-reset-requests-day' },
  { dimension: 'tokens', remaining: 'x-ratelimit-remaining-tokens-minute', limit: 'x-ratelimit-limit-tokens-minute', reset: 'x-ratelimit-reset-tokens-minute' },
  // Mistral counts tokens only.
  { dimension: 'tokens', remaining: 'ratelimitbysize-remaining', limit: 'ratelimitbysize-limit', reset: 'ratelimitbysize-reset' },
];

const read = (header: HeaderLookup, serverNow: () => number): QuotaObservation => {
  const observation: { -readonly [K in QuotaDimension]?: QuotaReading } = {};
  for (const set of headerSets) {
    if (observation[set.dimension] !== undefined) continue;
    const remaining = count(header(set.remaining));
    if (remaining === undefined) continue;
    const limit = set.limit === undefined ? undefined : count(header(set.limit));
    let resetMs = set.reset === undefined ? undefined : resetMsOf(header(set.reset), serverNow);
    // Azure's "0 left, resets in 0" is a sentinel pair, not "full now".
    if (resetMs === 0 && remaining === 0) resetMs = undefined;
    // A limit of 0 is no limit a provider that has just answered can have: read as unknown (one such reading, then
    // answers without headers, shut the model out of the endpoint for good).
    observation[set.dimension] = { remaining, limit: limit !== undefined && limit > 0 && limit >= remaining ? limit : undefined, resetMs };
  }
  // IETF RateLimit (draft-10); skipped on cached answers (Age > 0). With a matching `RateLimit-Policy` each policy
  // is a bucket of its own (its quota `q` is the limit, so the bucket refills); without, the tightest counts requests.
  if (observation.requests === undefined || observation.tokens === undefined) {
    const field = header('ratelimit');
    const age = count(header('age'));
    if (field !== undefined && !age) {
      const policies = readIetfPolicies(field, header('ratelimit-policy'));
      if (policies) {
        for (const [dimension, reading] of policies) if (observation[dimension] === undefined) observation[dimension] = reading;
      } else if (observation.requests === undefined) {
        const ietf = readIetfRateLimit(field);
        if (ietf) observation.requests = { remaining: ietf.remaining, limit: undefined, resetMs: ietf.resetMs };
      }
    }
  }
  return observation;
};

const nonNegativeInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * Reads `RateLimit` policies that `RateLimit-Policy` describes (same name, a quota `q`, optional window `w`):
 * a policy whose name or quota unit (`qu`) speaks of tokens is the `tokens` dimension, one of requests (or with
 * neither) the `requests` one; other units (bytes, concurrency) are skipped. With `t` missing the reset is the
 * window. Per dimension the policy with the least time to refill its remaining wins. Undefined when no policy
 * matches (then the field is read as before).
 */
const readIetfPolicies = (field: string, policyField: string | undefined): Map<QuotaDimension, QuotaReading> | undefined => {
  if (policyField === undefined) return undefined;
  const items = parseStructuredList(field);
  const policies = parseStructuredList(policyField);
  if (!items || !policies) return undefined;
  const byName = new Map<string, Readonly<Record<string, unknown>>>();
  for (const policy of policies) if (typeof policy.value === 'string') byName.set(policy.value, policy.params);
  const readings = new Map<QuotaDimension, QuotaReading>();
  for (const { value, params } of items) {
    const policy = typeof value === 'string' ? byName.get(value) : undefined;
    if (!policy || !nonNegativeInteger(params.r) || !nonNegativeInteger(policy.q) || policy.q <= 0) continue;
    const unit = typeof policy.qu === 'string' ? policy.qu : undefined;
    const dimension: QuotaDimension | undefined =
      unit === undefined ? (/token/i.test(value as string) ? 'tokens' : 'requests') : /token/i.test(unit) ? 'tokens' : unit === 'requests' ? 'requests' : undefined;
    if (dimension === undefined) continue;
    const windowMs = nonNegativeInteger(policy.w) && policy.w > 0 ? policy.w * 1000 : undefined;
    const resetMs = nonNegativeInteger(params.t) ? params.t * 1000 : windowMs;
    const reading: QuotaReading = { remaining: params.r, limit: Math.max(policy.q, params.r), resetMs };
    const previous = readings.get(dimension);
    // Several policies on one dimension: keep the tighter (fewer left, then the later reset).
    if (!previous || reading.remaining < previous.remaining || (reading.remaining === previous.remaining && (resetMs ?? 0) > (previous.resetMs ?? 0))) {
      readings.set(dimension, reading);
    }
  }
  return readings.size > 0 ? readings : undefined;
};

/**
 * Reads what a response says about the endpoint's quota — remaining, limit and reset of every dimension it reports,
 * in every dialect Detour knows (OpenAI, Groq, Azure, Anthropic, Together, Cerebras, Mistral, IETF RateLimit).
 * Unlike `readProviderSignals`, resets are read whatever is left: they are what the model refills by. Absolute
 * resets are measured from the response's `Date` when it has one. Never throws. `headersLowerCase`: the names are
 * known to be lower case (a transport's `headersLowerCase`), so they are read without checking.
 */
export const readQuotaHeaders = (headers: HeaderSource, nowMs: number, headersLowerCase = false): QuotaObservation => {
  const header = headerLookup(headers, headersLowerCase);
  let serverNowMs: number | undefined;
  const serverNow = () => {
    if (serverNowMs === undefined) {
      const date = header('date');
      serverNowMs = (date !== undefined ? parseHttpDate(date, nowMs) : undefined) ?? nowMs;
    }
    return serverNowMs;
  };
  try {
    return read(header, serverNow);
  } catch {
    return {};
  }
};
