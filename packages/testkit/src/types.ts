/**
 * Which requests a rule applies to. Every condition given must hold (they are ANDed); an empty or missing `when`
 * matches every request.
 *
 * Request numbers are 1-based and count every request the instance received since it started or since the last
 * `setScript`, whatever its path or outcome.
 *
 * @example
 * { every: 3 }                  // requests 3, 6, 9, …
 * { every: 3, offset: 1 }       // requests 4, 7, 10, …
 * { nth: [1, 2] }               // the first two requests only
 * { afterMs: 5_000, forMs: 10_000, path: '/v1/chat/completions' }
 */
export interface When {
  /** Every Nth request: matches when `(seq - offset)` is a positive multiple of `every`. */
  every?: number;
  /** Shifts which requests `every` picks. @default 0 */
  offset?: number;
  /** Exactly these request numbers. */
  nth?: number[];
  /** First request number of an inclusive range. */
  from?: number;
  /** Last request number of an inclusive range. */
  to?: number;
  /** Start of a time window, in ms after the instance started (or after the last `setScript`). @default 0 */
  afterMs?: number;
  /** Length of the time window in ms. @default unbounded */
  forMs?: number;
  /** Chance in [0, 1] that the rule applies, drawn from the instance's seeded generator. */
  probability?: number;
  /** Exact request path, e.g. `/v1/chat/completions`, `/v1/responses` or `/v1/messages`. */
  path?: string;
  /** Exact `model` field of the request body. */
  model?: string;
  /** Whether the request asked for a stream. */
  stream?: boolean;
}

/** The providers whose 429 responses the upstream can imitate, headers and body alike. */
export type RateLimitDialect = 'openai' | 'anthropic' | 'azure' | 'groq' | 'ietf' | 'openrouter' | 'gemini';

/**
 * Where a stream breaks: after `afterChunks` SSE events of any kind (the role chunk, `response.created`,
 * `message_start` and `ping` included), or after exactly `afterTokens` content tokens (one token is one word of the
 * answer). Give one of the two.
 */
export interface BreakPoint {
  /** SSE events sent before the break. */
  afterChunks?: number;
  /** Content tokens (text deltas) sent before the break; more than the answer holds breaks after its last token. */
  afterTokens?: number;
}

/** A way for one request to fail (or to succeed badly). */
export type Fault =
  | {
      type: 'rate-limit';
      dialect: RateLimitDialect;
      /** How long the provider asks the client to wait. @default 1000 */
      retryAfterMs?: number;
      /** Signal a daily quota (OpenRouter free-models-per-day, Gemini PerDay, Groq RPD) instead of a per-minute one. */
      perDay?: boolean;
    }
  | { type: 'insufficient-quota' }
  | { type: 'context-length' }
  | { type: 'unauthorized' }
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { type: 'slow-first-byte'; delayMs: number }
  | { type: 'slow-body'; chunkDelayMs: number }
  | ({ type: 'cut-stream'; mode?: 'close' | 'reset' } & BreakPoint)
  /** A broken event after the break point (default: after one event), then the API's terminal event. */
  | ({ type: 'malformed-sse' } & BreakPoint)
  /**
   * After `afterChunks` stream events, the API's own mid-stream error event, then a close without the terminal
   * event. Chat: a `data: {"error":…}` chunk; Messages: `event: error` with `overloaded_error`; Responses:
   * `event: error` as documented (`variant: 'error'`), as seen on the wire with a nested `error` object
   * (`'error-nested'`), or `response.failed`. A request that did not stream gets the error as a 500 (529 on
   * Messages) instead.
   */
  | ({ type: 'stream-error-event'; variant?: 'error' | 'error-nested' | 'response.failed' } & BreakPoint)
  /**
   * After `afterTokens` content tokens the stream goes silent for `ms`, then carries on to its normal end; without
   * `ms` it never resumes (until the client hangs up or `close()` runs). With `keepAliveMs` the silence is broken
   * only by the API's keep-alive (an SSE comment; Anthropic's `ping`) at that interval, as providers do. A request
   * that did not stream waits `ms` before its answer (or hangs).
   */
  | { type: 'stall'; afterTokens: number; ms?: number; keepAliveMs?: number }
  /**
   * The answer follows the instance's usual text for `afterTokens` tokens (default 0), then says something else:
   * a replay of this request on this instance diverges from the text another instance delivered.
   */
  | { type: 'vary-answer'; afterTokens?: number }
  | { type: 'reset' }
  | { type: 'hang' };

/** One line of a fault script: the first rule whose `when` matches a request decides its fault. */
export interface FaultRule {
  /** Which requests the rule applies to. @default every request */
  when?: When;
  /** What happens to those requests. */
  fault: Fault;
}

/** A delay added before the first byte of every answered request, sampled from the instance's seeded generator. */
export type LatencyModel =
  | { type: 'fixed'; ms: number }
  | { type: 'normal'; meanMs: number; stdDevMs: number }
  | { type: 'long-tail'; p50Ms: number; p99Ms: number };

/** An honest token-bucket rate limit: each dimension refills continuously up to its per-minute capacity. */
export interface LimiterOptions {
  /** Bucket capacity and refill per minute for requests. @default unlimited */
  requestsPerMinute?: number;
  /**
   * Bucket capacity and refill per minute for tokens (prompt plus completion, on every API). Anthropic routes report
   * this one bucket in their `tokens`, `input-tokens` and `output-tokens` headers alike. @default unlimited
   */
  tokensPerMinute?: number;
  /**
   * Share of each bucket's capacity it starts with, in [0, 1]: 0 starts a key that was just used up, as a benchmark
   * of steady-state quota wants (a full bucket holds a whole minute of burst). @default 1
   */
  initialFill?: number;
  /**
   * Which rate-limit fields answers on OpenAI routes carry: OpenAI's `x-ratelimit-*` six, or the IETF `RateLimit`
   * and `RateLimit-Policy` fields (draft-ietf-httpapi-ratelimit-headers, policies `requests` and `tokens`), with
   * an RFC 9457 problem as the 429. Anthropic routes always use Anthropic's headers. @default 'openai'
   */
  headers?: LimiterHeaders;
}

/**
 * How an instance chooses its answer text. `fixed`: `Hello from <name>.` then filler, the same for every request.
 * `deterministic`: words drawn from `seed` and the conversation (messages, system, input, prompt; not the model,
 * sampling fields or prefill flags), so the same request gets the same text from every instance with the same seed,
 * whatever its name: what a replayed request needs. `varying`: drawn from `seed`, the conversation and the request's
 * number, so no two requests get the same text.
 */
export type AnswerMode = 'fixed' | 'deterministic' | 'varying';

/**
 * Whose rules an instance follows when the last chat or Messages message is the assistant's (a prefill), and so
 * whether it continues that text:
 * - `ignore` (OpenAI's behaviour, the default): the assistant message is context only; the answer starts afresh.
 * - `deepseek`: continues when that message carries `prefix: true` (DeepSeek's chat prefix completion).
 * - `mistral`: continues when it carries `prefix: true`; a trailing assistant message without it is a 400.
 * - `vllm`: continues when the body carries `continue_final_message: true`.
 * - `openrouter`, `anthropic`: a trailing assistant message is always continued; `anthropic` answers 400 when it
 *   ends in whitespace, as the Messages API does.
 * - `reject`: any trailing assistant message is a 400 ("does not support assistant message prefill"), as newer
 *   models answer.
 * A continuation carries only the rest of the answer: when the prefix is a true prefix of the text the instance
 * would have sent, prefix + continuation is exactly that text.
 */
export type PrefillDialect = 'ignore' | 'deepseek' | 'mistral' | 'vllm' | 'openrouter' | 'anthropic' | 'reject';

/** The header dialects of the honest limiter on OpenAI routes. */
export type LimiterHeaders = 'openai' | 'ietf';

/** Options of {@link startChaosUpstream}. */
export interface ChaosOptions {
  /** Appears in every reply ("Hello from primary.") so tests can tell which upstream answered. @default 'chaos' */
  name?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Fault rules, first match wins. @default [] */
  script?: FaultRule[];
  /** Seed of the generator behind `probability` and latency sampling. @default 1 */
  seed?: number;
  /** Delay before the first byte. @default no delay */
  latency?: LatencyModel;
  /** Token-bucket limiter answering 429s when exceeded (OpenAI's on OpenAI routes, Anthropic's on Messages). @default no limit */
  limiter?: LimiterOptions;
  /** Delay between stream chunks of a healthy response. @default 0 */
  chunkDelayMs?: number;
  /** Words (and so completion tokens and content chunks) in each reply; `fixed` answers always send the greeting. @default 8 */
  completionTokens?: number;
  /** How answers are chosen: the same greeting for all, a function of the conversation, or new for each request. @default 'fixed' */
  answers?: AnswerMode;
  /** How a trailing assistant message (a prefill) is treated: ignored, continued under a provider's flag, or rejected. @default 'ignore' */
  prefill?: PrefillDialect;
  /**
   * Context window in tokens per model (the body's `model`). A chat, completions, Responses or Messages request whose
   * prompt is longer gets the API's own 400 (`context_length_exceeded` on OpenAI routes, `prompt is too long` on
   * Messages), before any script rule, recorded as `context-length`. @default no limit
   */
  contextWindows?: Record<string, number>;
  /** Clock for time windows, limiter refills, `created` and request timestamps. @default Date.now */
  now?: () => number;
  /** How many request records `stats().requests` keeps (the oldest are dropped first). Counters are never dropped. @default 10000 */
  recordLimit?: number;
}

/** What the upstream saw of one request. */
export interface RequestRecord {
  /** Arrival time, from the instance clock. */
  at: number;
  /** Request number the script matched against (restarts at 1 on `setScript`). */
  seq: number;
  method: string;
  path: string;
  model?: string;
  stream: boolean;
  /**
   * `ok`, the fault type (`rate-limit`, `hang`, …), `status-503`, `not-found`, `invalid-json`, `invalid-request`
   * (a request the API itself rejects, e.g. no `anthropic-version` or an unknown `previous_response_id`),
   * `context-length` (longer than `contextWindows` allows), `prefill-rejected` or `client-aborted`.
   */
  outcome: string;
  /** The `authorization` header as sent, to check which key a client used. */
  authorization?: string;
  headers: Record<string, string>;
  /** Parsed JSON body, when there was one. */
  body?: unknown;
  /** Latency added before the first byte by the latency model, when one is set. */
  latencyMs?: number;
  /** The assistant prefix this answer continued, when the instance's `prefill` dialect continued one. */
  continued?: string;
  /** When the client closed the connection before the answer was complete (a hung request included). */
  clientClosedAt?: number;
}

/** Counters since start (or `resetStats`), plus the most recent request records. */
export interface ChaosStats {
  total: number;
  byPath: Record<string, number>;
  byModel: Record<string, number>;
  byOutcome: Record<string, number>;
  requests: RequestRecord[];
}

/** A running chaos upstream. */
export interface ChaosUpstream {
  /** Origin it listens on, e.g. `http://127.0.0.1:41234`: what an Anthropic client's `baseURL` is set to. */
  readonly url: string;
  /** `url + '/v1'`: what an OpenAI client's `baseURL` is set to. */
  readonly baseUrl: string;
  readonly name: string;
  /** Replaces the script and restarts its request count and time window. */
  setScript(rules: FaultRule[]): void;
  stats(): ChaosStats;
  resetStats(): void;
  /** Requests that arrived in `[fromMs, toMs]` on the instance clock. */
  requestsBetween(fromMs: number, toMs: number): RequestRecord[];
  /** Stops accepting, ends open streams and hung requests, and resolves once the server is closed. */
  close(): Promise<void>;
}
