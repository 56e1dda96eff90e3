// The values endpoint options choose from, apart from the zod schema that checks them: core's runtime names them
// too, and a bundle that only routes should not load zod to read a list.

/** The providers whose signals Detour reads differently; anything else is read as OpenAI-compatible. */
export const providerNames = ['openai', 'azure', 'anthropic', 'groq', 'deepseek', 'together', 'openrouter', 'gemini', 'mistral', 'other'] as const;

/**
 * How an endpoint continues a partial assistant answer on `/chat/completions` (used by mid-stream rescue, see
 * docs/rescue.md): `deepseek` and `mistral` mark the last assistant message `prefix: true`; `vllm` sends
 * `continue_final_message: true` with `add_generation_prompt: false`; `openrouter` and `anthropic` take a last
 * assistant message as a prefill (Anthropic's without trailing whitespace); `none` cannot continue one.
 */
export const continuationDialects = ['anthropic', 'deepseek', 'mistral', 'vllm', 'openrouter', 'none'] as const;
