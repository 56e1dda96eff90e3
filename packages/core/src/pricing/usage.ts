/**
 * Token counts of one response, in provider-neutral terms. Every field is a number, 0 when the provider did not
 * report it. A usage with a count no response can have is not read at all (see {@link readUsage}).
 *
 * `inputTokens` is the whole prompt, whatever the provider calls it: fresh tokens, cache reads and cache writes.
 * `cachedInputTokens`, `cacheWriteTokens` and `cacheWrite1hTokens` are disjoint parts of it, so the fresh part is
 * `inputTokens - cachedInputTokens - cacheWriteTokens - cacheWrite1hTokens`. Likewise `reasoningTokens` is a part
 * of `outputTokens`, never an addition to it.
 */
export interface Usage {
  /** All prompt tokens: fresh ones, cache reads and cache writes. */
  readonly inputTokens: number;
  /** The part of `inputTokens` served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  /** The part of `inputTokens` written to the prompt cache with the default (Anthropic: 5-minute) lifetime. */
  readonly cacheWriteTokens: number;
  /** The part of `inputTokens` written to the prompt cache with Anthropic's 1-hour lifetime. */
  readonly cacheWrite1hTokens: number;
  /** All generated tokens, reasoning included. */
  readonly outputTokens: number;
  /**
   * The part of `outputTokens` spent on hidden reasoning, when the provider says (OpenAI's `reasoning_tokens`).
   * Informational unless the model's price row bills reasoning apart (`reasoningPerMTok`).
   */
  readonly reasoningTokens: number;
}

type Json = Record<string, unknown>;
// No response uses a billion tokens (the largest context windows hold ten million): a count above it is a lie or a
// bug upstream, and believed it would put billions of dollars on one request, in every cost total after it.
const maxTokenCount = 1_000_000_000;
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= maxTokenCount ? value : 0;
// The counts a usage is made of. Absent or null, a count was not reported; anything but a number from 0 to a
// billion (negative, not finite, a string) is a count no response can have.
const countFields = ['prompt_tokens', 'completion_tokens', 'input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'prompt_cache_hit_tokens'] as const;
const impossible = (value: unknown): boolean => value !== undefined && value !== null && (typeof value !== 'number' || !(value >= 0 && value <= maxTokenCount));
const record = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null ? (value as Json) : undefined;

/**
 * Anthropic's cache writes, split by lifetime. `cache_creation` carries the split; without it (older API versions,
 * some relays) every write is a 5-minute one, the default lifetime. Writes the split leaves unexplained are counted
 * as 5-minute ones rather than dropped.
 */
const cacheWrites = (fields: Json): { write5m: number; write1h: number } => {
  const split = record(fields.cache_creation);
  const write1h = count(split?.ephemeral_1h_input_tokens);
  const total = Math.max(count(fields.cache_creation_input_tokens), count(split?.ephemeral_5m_input_tokens) + write1h);
  return { write5m: total - write1h, write1h };
};

/**
 * Reads a `usage` object in any of the shapes providers send: chat completions (`prompt_tokens`,
 * `prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`), the Responses API
 * (`input_tokens_details.cached_tokens`, `output_tokens_details.reasoning_tokens`), Anthropic
 * (`cache_read_input_tokens` and `cache_creation_input_tokens`, with the `cache_creation` lifetime split, on top of
 * `input_tokens`), DeepSeek (`prompt_cache_hit_tokens`). Undefined when there is no usage, and when the usage is
 * not to be believed: a count that is negative, not a finite number (a string, `1e308`) or above a billion, or a
 * prompt whose parts add up to more than a billion. The answer was generated and billed all the same, so its
 * attempt is priced by the estimate used for a usage never sent, never as an exact $0 or as billions.
 *
 * @example
 * readUsage({ input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 });
 * // { inputTokens: 100, cachedInputTokens: 90, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 5, reasoningTokens: 0 }
 */
export const readUsage = (usage: unknown): Usage | undefined => {
  const fields = record(usage);
  if (!fields) return undefined;
  for (const field of countFields) if (impossible(fields[field])) return undefined;
  const outputTokens = count(fields.completion_tokens) || count(fields.output_tokens);
  const details = record(fields.completion_tokens_details) ?? record(fields.output_tokens_details);
  const reasoningTokens = Math.min(count(details?.reasoning_tokens), outputTokens);
  if ('prompt_tokens' in fields) {
    const cached = count(record(fields.prompt_tokens_details)?.cached_tokens) || count(fields.prompt_cache_hit_tokens);
    const inputTokens = count(fields.prompt_tokens);
    return { inputTokens, cachedInputTokens: Math.min(cached, inputTokens), cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens, reasoningTokens };
  }
  if ('input_tokens' in fields) {
    // Anthropic counts cache reads and writes outside input_tokens; the Responses API counts its reads inside (it
    // reports no writes: OpenAI does not bill them).
    const cacheRead = count(fields.cache_read_input_tokens);
    const { write5m, write1h } = cacheWrites(fields);
    const detailsCached = count(record(fields.input_tokens_details)?.cached_tokens);
    const inputTokens = count(fields.input_tokens) + cacheRead + write5m + write1h;
    if (inputTokens > maxTokenCount) return undefined;
    return {
      inputTokens,
      cachedInputTokens: Math.min(cacheRead || detailsCached, inputTokens),
      cacheWriteTokens: write5m,
      cacheWrite1hTokens: write1h,
      outputTokens,
      reasoningTokens,
    };
  }
  return undefined;
};

// The fields of Anthropic's usage that a `message_delta` may restate; only these are copied, so an upstream's
// keys (`__proto__` among them) never reach an object's prototype.
const anthropicUsageKeys = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'cache_creation'] as const;

/**
 * Folds an Anthropic `message_delta`'s usage into what `message_start` reported. `message_start` carries the input
 * side and an early `output_tokens`; each `message_delta` carries the cumulative `output_tokens` and, on newer API
 * versions, the input and cache counts again (which then win, since they are final). Fields the delta leaves out or
 * sends as null keep their earlier value. Returns a new object.
 */
export const mergeAnthropicUsage = (earlier: Readonly<Json> | undefined, later: unknown): Json => {
  const merged: Json = {};
  const fields = record(later);
  for (const key of anthropicUsageKeys) {
    const value = fields?.[key];
    if (typeof value === 'number' || (typeof value === 'object' && value !== null)) merged[key] = value;
    else if (earlier?.[key] !== undefined) merged[key] = earlier[key];
  }
  return merged;
};
