import type { providerNames } from '../options/endpoint-values';
import type { ApiName } from './api-name';

type ProviderName = (typeof providerNames)[number];

const openAiApis: readonly ApiName[] = Object.freeze(['chat', 'completions', 'embeddings', 'responses']);

// What each provider's OpenAI-compatible (or native) base URL serves today, from its own API reference; an endpoint
// whose gateway or deployment differs says so with `apis`. Sources are listed in docs/apis.md.
const providerApis: Readonly<Record<ProviderName, readonly ApiName[]>> = Object.freeze({
  openai: openAiApis,
  // Azure OpenAI's v1 API serves the same routes as OpenAI (deployments permitting).
  azure: openAiApis,
  // Anthropic's native API: `/v1/messages`. Its OpenAI-compatible layer is a different base URL: declare `apis` for it.
  anthropic: Object.freeze<ApiName[]>(['messages']),
  groq: Object.freeze<ApiName[]>(['chat', 'responses']),
  deepseek: Object.freeze<ApiName[]>(['chat', 'completions']),
  together: Object.freeze<ApiName[]>(['chat', 'completions', 'embeddings']),
  openrouter: Object.freeze<ApiName[]>(['chat', 'completions', 'responses']),
  gemini: Object.freeze<ApiName[]>(['chat', 'embeddings']),
  mistral: Object.freeze<ApiName[]>(['chat', 'embeddings']),
  other: openAiApis,
});

/**
 * The APIs an endpoint of this provider speaks when its `apis` option is not set: OpenAI's four for `openai`,
 * `azure`, `other` and no provider; `messages` only for `anthropic`; what each compatible provider documents for
 * the rest. The answer is frozen and shared.
 */
export const defaultApis = (provider: string | undefined): readonly ApiName[] =>
  (provider !== undefined && Object.hasOwn(providerApis, provider) ? providerApis[provider as ProviderName] : undefined) ?? openAiApis;

/** The APIs an endpoint speaks: its own `apis` when set, else its provider's ({@link defaultApis}). */
export const endpointApis = (endpoint: { readonly apis?: readonly ApiName[] | undefined; readonly provider?: string | undefined }): readonly ApiName[] =>
  endpoint.apis ?? defaultApis(endpoint.provider);

/**
 * The header an endpoint's key goes in when `apiKeyHeader` is not set: Anthropic's native API reads `x-api-key`,
 * Azure OpenAI's `api-key` (as the openai SDK's `AzureOpenAI` sends a key; `Authorization: Bearer` is for its Entra
 * ID tokens: set `apiKeyHeader: 'authorization'` for one), every other provider `Authorization: Bearer`.
 */
export const defaultApiKeyHeader = (provider: string | undefined): string =>
  provider === 'anthropic' ? 'x-api-key' : provider === 'azure' ? 'api-key' : 'authorization';
