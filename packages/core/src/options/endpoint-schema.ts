import * as z from 'zod/mini';
import { apiNames } from '../apis/api-name';
import { continuationDialects, providerNames } from './endpoint-values';
import { eachApiOnce, eachHeaderOnce, noTransportHeaders, noUrlCredentials, noUrlQuery, printableKey, resolveEndpoint, unquotedKey, validHeaders } from './option-hooks';

export { continuationDialects, providerNames } from './endpoint-values';

const name = z.string().check(z.minLength(1), z.regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only'));
const nonEmpty = z.string().check(z.minLength(1));
// Sent as a header value on every request.
const apiKey = z.string().check(
  z.minLength(1),
  z.refine(printableKey, 'expected printable ASCII without spaces: a key is sent in a header on every request'),
  z.refine(unquotedKey, 'remove the quotes around the key: they would be sent as part of it'),
);

// zod/mini keeps this schema out of a Worker's bundle weight: full zod would be most of @detour/edge's size.
/** One upstream endpoint: a provider, key or region that can serve requests independently of the others. */
export const endpointSchema = z.strictObject({
  /** A unique name, used in headers, metrics and events. */
  name,
  /** The API base, including `/v1` where the provider has it: `https://api.openai.com/v1`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).check(
    z.refine(noUrlCredentials, 'put credentials in apiKey or headers, not in the URL (they would not be sent)'),
    z.refine(noUrlQuery, 'put query parameters in query, not in the URL (each request\'s path is appended to it)'),
  ),
  /** Sent as `Authorization: Bearer <key>` (or in `apiKeyHeader`). Omit for keyless upstreams. */
  apiKey: z.optional(apiKey),
  /**
   * The header that carries the key: `authorization` (Bearer), or another such as `x-api-key`. Unset: `x-api-key`
   * for `provider: 'anthropic'`, `api-key` for `provider: 'azure'` (an Entra ID token goes in `authorization`),
   * else `authorization`.
   */
  apiKeyHeader: z.optional(nonEmpty),
  /** Lower tiers are tried first; a higher tier only when every endpoint below it is unavailable. */
  priority: z._default(z.int().check(z.nonnegative()), 0),
  /** Share of traffic within its tier, at most 1,000,000 (shares far larger overflowed their sum to Infinity). */
  weight: z._default(z.number().check(z.positive(), z.lte(1_000_000, 'at most 1000000: a weight is a share of its tier')), 1),
  /** Models served: a list of public names, or public name to this endpoint's own name. Omit to serve every model. */
  models: z.optional(
    z.union([z.array(nonEmpty).check(z.minLength(1, 'list at least one model, or leave models out to serve every model')), z.record(nonEmpty, nonEmpty)]),
  ),
  /** Whose signals to expect; changes a few readings (Groq's request headers count per day). */
  provider: z.optional(z.enum(providerNames)),
  /**
   * Extra headers sent on every request to this endpoint; each replaces a caller's header of the same name (names
   * ignore case, and are lowercased when parsed).
   */
  headers: z.optional(
    z.record(z.string(), z.string()).check(
      z.refine(eachHeaderOnce, 'name each header once (header names ignore case)'),
      z.refine(validHeaders, 'expected header names of letters, digits and !#$%&\'*+-.^_`|~, and values of tab, space, visible ASCII and Latin-1 (no line breaks or control characters)'),
      z.refine(noTransportHeaders, 'leave host, content-length, transfer-encoding, connection, upgrade, te, keep-alive and expect to the transport'),
    ),
  ),
  /** Query parameters added to every URL (Azure's `api-version`). */
  query: z.optional(z.record(z.string(), z.string())),
  /**
   * The APIs this endpoint speaks; a request goes only to endpoints that speak its API (see `apiOfPath`). Unset:
   * its provider's (`defaultApis`): OpenAI's chat, completions, embeddings and responses, or Anthropic's messages.
   */
  apis: z.optional(
    z.array(z.enum(apiNames)).check(
      z.minLength(1, 'list at least one API'),
      z.refine(eachApiOnce, 'list each API once'),
    ),
  ),
  /**
   * Endpoints with the same `storage` share stored Responses (keys of one OpenAI project): a request that continues
   * a stored response goes only to endpoints of the storage that holds it. Unset: the endpoint's own `name`.
   */
  storage: z.optional(name),
  /**
   * How this endpoint continues a partial assistant answer, for mid-stream rescue (docs/rescue.md): declare it
   * (`anthropic` for Anthropic's Messages API, `deepseek` on DeepSeek's `.../beta` base URL, `mistral`, `openrouter`,
   * `vllm`). Unset: `none`, and a rescue there only replays, checking every character. Never inferred from
   * `provider`: a continuation is spliced onto what the caller has, so it is trusted only when declared.
   */
  continuation: z.optional(z.enum(continuationDialects)),
  /**
   * Limits to hold the endpoint to when its provider sends no rate-limit headers (or to stay below its own):
   * requests and tokens per minute, counted from this router's requests.
   */
  limits: z.optional(z.strictObject({ rpm: z.optional(z.int().check(z.positive())), tpm: z.optional(z.int().check(z.positive())) })),
});

/**
 * An endpoint as the router uses it: parsed, then given the defaults that depend on its provider (`apis`,
 * `apiKeyHeader`). `endpointSchema` alone checks what users write; this is what `routerOptionsSchema` applies.
 */
export const resolvedEndpointSchema = z.pipe(endpointSchema, z.transform(resolveEndpoint));

/** An endpoint as users write it. */
export type EndpointInput = z.input<typeof endpointSchema>;
/** An endpoint after defaults, those of its provider included (`apis`, `apiKeyHeader`). */
export type Endpoint = z.output<typeof resolvedEndpointSchema>;
/** An endpoint as `endpointSchema` outputs it, before the defaults of its provider. */
export type ParsedEndpoint = z.output<typeof endpointSchema>;
