import { z } from 'zod';

/** The providers whose signals Detour reads differently; anything else is read as OpenAI-compatible. */
export const providerNames = ['openai', 'azure', 'anthropic', 'groq', 'deepseek', 'together', 'openrouter', 'gemini', 'mistral', 'other'] as const;

/** One upstream endpoint: a provider, key or region that can serve requests independently of the others. */
export const endpointSchema = z
  .object({
    /** A unique name, used in headers, metrics and events. */
    name: z.string().min(1).regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only'),
    /** The API base, including `/v1` where the provider has it: `https://api.openai.com/v1`. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    /** Sent as `Authorization: Bearer <key>` (or in `apiKeyHeader`). Omit for keyless upstreams. */
    apiKey: z.string().min(1).optional(),
    /** The header that carries the key: `authorization` (Bearer), or e.g. Azure's `api-key`. */
    apiKeyHeader: z.string().min(1).default('authorization'),
    /** Lower tiers are tried first; a higher tier only when every endpoint below it is unavailable. */
    priority: z.number().int().nonnegative().default(0),
    /** Share of traffic within its tier. */
    weight: z.number().positive().finite().default(1),
    /** Models served: a list of public names, or public name → this endpoint's own name. Omit to serve every model. */
    models: z.union([z.array(z.string().min(1)), z.record(z.string().min(1), z.string().min(1))]).optional(),
    /** Whose signals to expect; changes a few readings (Groq's request headers count per day). */
    provider: z.enum(providerNames).optional(),
    /** Extra headers sent on every request to this endpoint. */
    headers: z.record(z.string(), z.string()).optional(),
    /** Query parameters added to every URL (Azure's `api-version`). */
    query: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/** An endpoint as users write it. */
export type EndpointInput = z.input<typeof endpointSchema>;
/** An endpoint after defaults. */
export type Endpoint = z.output<typeof endpointSchema>;
