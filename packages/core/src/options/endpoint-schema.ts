import * as z from 'zod/mini';

/** The providers whose signals Detour reads differently; anything else is read as OpenAI-compatible. */
export const providerNames = ['openai', 'azure', 'anthropic', 'groq', 'deepseek', 'together', 'openrouter', 'gemini', 'mistral', 'other'] as const;

/**
 * How an endpoint continues a partial assistant answer on `/chat/completions` (used by mid-stream rescue, see
 * docs/rescue.md): `deepseek` and `mistral` mark the last assistant message `prefix: true`; `vllm` sends
 * `continue_final_message: true` with `add_generation_prompt: false`; `openrouter` and `anthropic` take a last
 * assistant message as a prefill (Anthropic's without trailing whitespace); `none` cannot continue one.
 */
export const continuationDialects = ['anthropic', 'deepseek', 'mistral', 'vllm', 'openrouter', 'none'] as const;

const name = z.string().check(z.minLength(1), z.regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only'));
const nonEmpty = z.string().check(z.minLength(1));

// zod/mini keeps this schema out of a Worker's bundle weight: full zod would be most of @detour/edge's size.
/** One upstream endpoint: a provider, key or region that can serve requests independently of the others. */
export const endpointSchema = z.strictObject({
  /** A unique name, used in headers, metrics and events. */
  name,
  /** The API base, including `/v1` where the provider has it: `https://api.openai.com/v1`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  /** Sent as `Authorization: Bearer <key>` (or in `apiKeyHeader`). Omit for keyless upstreams. */
  apiKey: z.optional(nonEmpty),
  /** The header that carries the key: `authorization` (Bearer), or e.g. Azure's `api-key`. */
  apiKeyHeader: z._default(nonEmpty, 'authorization'),
  /** Lower tiers are tried first; a higher tier only when every endpoint below it is unavailable. */
  priority: z._default(z.int().check(z.nonnegative()), 0),
  /** Share of traffic within its tier. */
  weight: z._default(z.number().check(z.positive()), 1),
  /** Models served: a list of public names, or public name → this endpoint's own name. Omit to serve every model. */
  models: z.optional(z.union([z.array(nonEmpty), z.record(nonEmpty, nonEmpty)])),
  /** Whose signals to expect; changes a few readings (Groq's request headers count per day). */
  provider: z.optional(z.enum(providerNames)),
  /** Extra headers sent on every request to this endpoint. */
  headers: z.optional(z.record(z.string(), z.string())),
  /** Query parameters added to every URL (Azure's `api-version`). */
  query: z.optional(z.record(z.string(), z.string())),
  /**
   * How this endpoint continues a partial assistant answer, for mid-stream rescue. Default from `provider`:
   * `anthropic`, `mistral`, `openrouter` as named; `deepseek` only on its beta base URL (`…/beta`), where prefix
   * completion lives; every other provider `none` (replay only). Declare `vllm` for a vLLM server.
   */
  continuation: z.optional(z.enum(continuationDialects)),
});

/** An endpoint as users write it. */
export type EndpointInput = z.input<typeof endpointSchema>;
/** An endpoint after defaults. */
export type Endpoint = z.output<typeof endpointSchema>;
