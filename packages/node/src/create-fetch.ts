import { createDetourFetch, type DetourFetch, type RouterDependencies } from '@detour/core';
import { createRouter, type NodeRouter, type NodeRouterOptions } from './create-router';

/**
 * A drop-in `fetch` that routes across Detour endpoints; its router is exposed for events, health and `close()`.
 * `Response` is the class its answers are: the openai and Anthropic SDKs read it before a file upload.
 */
export type NodeDetourFetch = DetourFetch & { readonly router: NodeRouter; readonly Response: typeof Response };

/**
 * A drop-in `fetch` for the official openai SDK (`new OpenAI({ fetch: createFetch(config), maxRetries: 0 })`), the
 * official Anthropic SDK (`new Anthropic({ fetch, maxRetries: 0 })`) and the Vercel AI SDK (`createOpenAI({ fetch })`,
 * `createAnthropic({ fetch })`). Leave the SDK's base URL at its default (or any URL whose path holds `/v1`): the
 * path after `/v1` picks the route and its API, and each attempt goes to a configured endpoint that speaks that API,
 * with its own key and model name. Build SDKs with `maxRetries: 0`, or their retries multiply Detour's attempts.
 */
export const createFetch = (config: NodeRouterOptions, overrides: Partial<RouterDependencies> = {}): NodeDetourFetch =>
  createDetourFetch(createRouter(config, overrides));
