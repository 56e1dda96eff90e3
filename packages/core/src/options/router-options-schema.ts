import * as z from 'zod/mini';
import { resolvedEndpointSchema } from './endpoint-schema';
import { checkRouterOptions } from './option-hooks';

const ms = z.int().check(z.nonnegative());
// No timer waits longer than 2^31 - 1 ms (about 24.8 days): Node and browsers run a longer one after 1 ms.
const timerLimit = z.lte(2_147_483_647, 'expected at most 2147483647 ms (about 24.8 days), the longest a timer waits');
const positiveMs = z.int().check(z.positive(), timerLimit);
const timerMs = z.int().check(z.nonnegative(), timerLimit);
const positiveInt = z.int().check(z.positive());
const withDefault = <T extends z.ZodMiniType>(schema: T, value: z.output<T>) => z._default(schema, value as never);

export const backoffSchema = z.strictObject({
  jitter: withDefault(z.enum(['full', 'equal', 'decorrelated', 'none']), 'full'),
  baseMs: withDefault(positiveMs, 250),
  multiplier: withDefault(z.number().check(z.gte(1)), 2),
  capMs: withDefault(positiveMs, 8000),
});

export const breakerSchema = z.strictObject({
  consecutiveFailures: withDefault(positiveInt, 5),
  failureRate: withDefault(z.number().check(z.gt(0), z.lte(1)), 0.5),
  minimumVolume: withDefault(positiveInt, 10),
  windowMs: withDefault(positiveMs, 30_000),
  windowBuckets: withDefault(positiveInt.check(z.lte(1000)), 10),
  openMs: withDefault(positiveMs, 5000),
  openMultiplier: withDefault(z.number().check(z.gte(1)), 2),
  maxOpenMs: withDefault(positiveMs, 60_000),
  halfOpenProbes: withDefault(positiveInt, 1),
  probeTimeoutMs: withDefault(positiveMs, 30_000),
});

export const cooldownSchema = z.strictObject({
  rateLimitedMs: withDefault(positiveMs, 1000),
  overloadedMs: withDefault(timerMs, 2000),
  disableMs: withDefault(positiveMs, 900_000),
  firstDisableMs: withDefault(positiveMs, 300_000),
});

export const retryBudgetSchema = z.strictObject({
  ratio: withDefault(z.number().check(z.nonnegative()), 0.2),
  minPerSecond: withDefault(z.number().check(z.nonnegative()), 5),
  ttlMs: withDefault(positiveMs, 10_000),
});

export const latencySchema = z.strictObject({
  decayMs: withDefault(positiveMs, 10_000),
  defaultRttMs: withDefault(ms, 30),
  failurePenaltyMs: withDefault(ms, 5000),
});

/** Where a public model's request goes when its model refuses it for a reason another model may not have. */
export const modelFallbackSchema = z.strictObject({
  /** The model tried when this one answers `context_length_exceeded`: one with a larger window. */
  contextLength: z.optional(z.string().check(z.minLength(1))),
  /** The model tried when this one's provider refuses the request on content policy (a safety system, moderation). */
  contentPolicy: z.optional(z.string().check(z.minLength(1))),
});

export { fallbackReasons } from './option-hooks';

export const admissionSchema = z.strictObject({
  /**
   * Admission control: requests go only to endpoints whose quota (read from providers' rate-limit headers, or
   * configured `limits`) can take their estimated cost, and wait in a bounded queue rather than draw a 429. On by
   * default: with no headers and no limits it admits everything, exactly as without it.
   */
  enabled: withDefault(z.boolean(), true),
  /** The longest a request waits in the admission queue for quota (also bounded by `deadlineMs`). */
  maxQueueMs: withDefault(ms, 10_000),
  /** Requests waiting at once; past it, a request is refused fast (503 with `retry-after`). */
  maxQueueLength: withDefault(positiveInt.check(z.lte(100_000)), 1000),
  /** Output tokens reserved for a request that sets no `max_tokens` (or `max_completion_tokens`, `max_output_tokens`). */
  defaultOutputTokens: withDefault(z.int().check(z.nonnegative()), 256),
  /** The queue class of requests that name none (`priority`, or an `x-detour-priority` header). */
  defaultPriority: withDefault(z.enum(['high', 'normal', 'low']), 'normal'),
  /**
   * With a store that shares quota (`exchangeQuota`: memory, Redis), the longest between two exchanges of this
   * instance's spend and readings with the fleet: the staleness bound of a fleet's shared quota picture.
   */
  fleetSyncMs: withDefault(positiveMs, 250),
  /**
   * (endpoint, model) pairs the quota model keeps; the one read longest ago is forgotten past it. Never fewer than 8
   * per endpoint, whatever is set: a pool of hundreds of keys needs a pair for each key and model it serves.
   */
  maxModels: withDefault(positiveInt.check(z.lte(100_000)), 1024),
});

/** Everything `createRouter` accepts. Parsed once at construction; every default is filled in. */
export const routerOptionsSchema = z
  .strictObject({
    endpoints: z.array(resolvedEndpointSchema).check(z.minLength(1, 'configure at least one endpoint')),
    /**
     * `weighted`: smooth weighted round robin within a tier (exact shares by `weight`). `latency`: Peak EWMA with
     * power of two choices, where `weight` divides an endpoint's load rather than fixing its share.
     */
    selection: withDefault(z.enum(['weighted', 'latency']), 'weighted'),
    /** Upstream attempts per request, the first included. */
    maxAttempts: withDefault(z.int().check(z.gte(1), z.lte(20)), 4),
    /** One deadline across all attempts and waits. */
    deadlineMs: withDefault(positiveMs, 600_000),
    /** Limit per attempt until the whole answer (JSON) or the first byte (streams) arrives. Unset: only the deadline. */
    attemptTimeoutMs: z.optional(positiveMs),
    /**
     * For streams: the wait for the first event, in total (keep-alive comments and a drip of bytes that never forms
     * an event do not extend it). An endpoint that misses it is not asked again for the same request. Five minutes:
     * a reasoning model's chat stream sends nothing until it has finished thinking, which takes minutes.
     */
    firstByteTimeoutMs: withDefault(positiveMs, 300_000),
    /**
     * JSON answers: the longest silence between body bytes once the headers came. Past it the attempt fails over
     * (the same endpoint is not asked again). Whitespace keep-alives count as bytes.
     */
    bodyIdleTimeoutMs: withDefault(positiveMs, 30_000),
    /**
     * Streams after their first event: the longest the upstream may stay silent while the caller waits (then the
     * stream is cut with a `StreamInterruptedError` saying it stalled, a breaker failure), and the longest a caller
     * may leave the stream unread without cancelling it (then it is treated as abandoned: upstream cancelled,
     * everything released, request-end code `client_idle`). Keep-alives (comments, Anthropic's `ping` events) count
     * as bytes, since providers send them while the model works, but for no longer than `deadlineMs` without an
     * event: past it the stream is cut as stalled too, so an upstream that only keeps the connection alive cannot
     * hold the caller forever. Five minutes: a reasoning model's Responses stream is silent while it thinks, and
     * Anthropic's sends a long tool input at once after minutes of nothing.
     */
    streamIdleTimeoutMs: withDefault(positiveMs, 300_000),
    /**
     * What `deadlineMs` bounds for a stream. `first-byte`: every attempt and wait up to the first event; after it
     * the stream lives as long as it keeps moving (`streamIdleTimeoutMs`), with no stretch longer than `deadlineMs`
     * between two events. `total`: the whole stream too; a stream
     * still running at the deadline is cut (`StreamInterruptedError`, request-end code `deadline_exceeded`), which
     * is never counted against the endpoint.
     */
    streamDeadline: withDefault(z.enum(['first-byte', 'total']), 'first-byte'),
    /**
     * Per public model, opt-in: the model to route to when this one answers `context_length_exceeded`
     * (`contextLength`, a larger window) or refuses on content policy (`contentPolicy`). The request goes to the
     * endpoints serving that model, each under its own name; the answer carries the served model in
     * `x-detour-model`. Without one, such a 400 reaches the caller after one attempt.
     */
    fallbacks: z.optional(z.record(z.string().check(z.minLength(1)), modelFallbackSchema)),
    /**
     * How long a request may wait, in total, for a preferred (lower `priority`) endpoint to free up (a 429's
     * `Retry-After`, a cooldown, a backoff) before it drops to a lower tier, within the deadline and
     * `maxServerDelayMs`; and, when above 0, a single transient 5xx is retried once on the same endpoint (within
     * that wait) before failing over. 0: fail over at once.
     */
    preferWaitMs: withDefault(ms, 0),
    /**
     * Mid-stream rescue of a committed chat completion stream that is cut or stalls (docs/rescue.md). `continue`:
     * only on endpoints that declare a `continuation` dialect, which finish the partial answer. `continue-or-replay`:
     * also on the others, by re-sending the request and relaying only what follows the delivered text, when the new
     * answer starts with exactly that text (else the stream ends with an error event). `off`: a cut reaches the
     * caller as before.
     */
    rescue: withDefault(z.enum(['off', 'continue', 'continue-or-replay']), 'continue-or-replay'),
    /**
     * While a rescue runs the caller receives nothing of the answer (a new first event, then for a replay the text
     * already delivered, again): every this many ms it gets an SSE comment instead, so that a proxy or load balancer
     * in between does not close the connection as idle (nginx and AWS ALB: 60 s by default). Every SSE reader skips
     * comments. 0: none.
     */
    rescueHeartbeatMs: withDefault(timerMs, 15_000),
    /** The longest server-directed delay slept in-request; longer ones cool the endpoint and fail over. */
    maxServerDelayMs: withDefault(ms, 20_000),
    /** Request bodies are buffered once to replay them; larger ones are refused. */
    maxRequestBytes: withDefault(positiveInt, 32 * 1024 * 1024),
    /**
     * JSON and text answers are buffered whole (JSON to price it and catch truncation, text to scrub it); larger
     * ones are refused. A binary answer (speech audio, a file's bytes) is relayed as it arrives and never held, so
     * it is not bounded. Also the longest line a stream may send: one held past it fails over before the first
     * event, or cuts the stream after it.
     */
    maxResponseBytes: withDefault(positiveInt, 64 * 1024 * 1024),
    backoff: z.prefault(backoffSchema, {}),
    breaker: z.prefault(breakerSchema, {}),
    cooldown: z.prefault(cooldownSchema, {}),
    retryBudget: z.prefault(retryBudgetSchema, {}),
    latency: z.prefault(latencySchema, {}),
    admission: z.prefault(admissionSchema, {}),
    /**
     * `inject`: ask providers for usage on streamed completions (`stream_options.include_usage`) so streams can be
     * priced, and remove that extra event from what a caller who did not ask for it receives. `passthrough`: send
     * requests as they came. Some older OpenAI-compatible servers reject `stream_options`.
     */
    streamUsage: withDefault(z.enum(['inject', 'passthrough']), 'passthrough'),
    /** Extra or corrected price rows (USD per million tokens). */
    prices: withDefault(z.array(z.unknown()), []),
  })
  .check(z.superRefine(checkRouterOptions));

/** Router options as users write them. */
export type RouterOptionsInput = z.input<typeof routerOptionsSchema>;
/** Router options after parsing: frozen and fully defaulted. */
export type RouterOptions = Readonly<z.output<typeof routerOptionsSchema>>;
