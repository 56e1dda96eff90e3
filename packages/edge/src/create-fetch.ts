import { createDetourFetch, type DetourFetch, type Router, type RouterDependencies } from '@detour/core';
import { createRouter, type EdgeRouterOptions } from './create-router';

/**
 * A drop-in `fetch` that routes across Detour endpoints; its router is exposed for events and health.
 * `Response` is the class its answers are: the openai and Anthropic SDKs read it before a file upload.
 */
export type EdgeDetourFetch = DetourFetch & { readonly router: Router; readonly Response: typeof Response };

/**
 * The same drop-in `fetch` as `@detour/node`'s, on the Web platform: give it to the openai or Anthropic SDK
 * (`maxRetries: 0`) or the Vercel AI SDK's `createOpenAI({ fetch })` / `createAnthropic({ fetch })`. Streams fail over before their first byte and error, never end
 * cleanly, when cut after it.
 */
export const createFetch = (config: EdgeRouterOptions, overrides: Partial<RouterDependencies> = {}): EdgeDetourFetch =>
  createDetourFetch(createRouter(config, overrides));
