/** Token counts of one response, in provider-neutral terms. */
export interface Usage {
  /** All prompt tokens, cached ones included. */
  readonly inputTokens: number;
  /** The part of `inputTokens` served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
}

type Json = Record<string, unknown>;
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);
const record = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null ? (value as Json) : undefined;

/**
 * Reads a `usage` object in any of the shapes OpenAI-compatible providers send: chat completions
 * (`prompt_tokens`, `prompt_tokens_details.cached_tokens`), the Responses API (`input_tokens_details`), Anthropic
 * (`cache_read_input_tokens` and `cache_creation_input_tokens` on top of `input_tokens`), DeepSeek
 * (`prompt_cache_hit_tokens`). Undefined when there is no usage.
 */
export const readUsage = (usage: unknown): Usage | undefined => {
  const fields = record(usage);
  if (!fields) return undefined;
  const outputTokens = count(fields.completion_tokens) || count(fields.output_tokens);
  if ('prompt_tokens' in fields) {
    const cached = count(record(fields.prompt_tokens_details)?.cached_tokens) || count(fields.prompt_cache_hit_tokens);
    const inputTokens = count(fields.prompt_tokens);
    return { inputTokens, cachedInputTokens: Math.min(cached, inputTokens), outputTokens };
  }
  if ('input_tokens' in fields) {
    // Anthropic counts cache reads and writes outside input_tokens; the Responses API counts them inside.
    const cacheRead = count(fields.cache_read_input_tokens);
    const cacheWrite = count(fields.cache_creation_input_tokens);
    const detailsCached = count(record(fields.input_tokens_details)?.cached_tokens);
    const inputTokens = count(fields.input_tokens) + cacheRead + cacheWrite;
    return { inputTokens, cachedInputTokens: Math.min(cacheRead || detailsCached, inputTokens), outputTokens };
  }
  return undefined;
};
