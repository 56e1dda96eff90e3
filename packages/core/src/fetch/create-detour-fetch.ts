import { apiOfPath } from '../apis/api-name';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { routePathFromUrl } from '../engine/prepare-request';
import type { Router } from '../engine/router';
import { createSecretScrubber, endpointSecrets } from '../secrets/secret-scrubber';
import { errorResponse } from './error-response';
import { readRequestBody } from './read-request-body';
import { toResponse } from './to-response';

/** A `fetch` with the standard signature, as the openai SDK and the Vercel AI SDK accept in their `fetch` option. */
export type DetourFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Turns a router into a drop-in `fetch`. The URL's path after `/v1` picks the route (so SDKs keep their default base
 * URL, or any base ending in `/v1`); its origin is ignored and every attempt goes to a configured endpoint with
 * that endpoint's key. Bodies are read once and replayed. Served answers carry `x-detour-endpoint`, `x-detour-model`,
 * `x-detour-attempts` and, when priced, `x-detour-cost-usd`. A caller's abort rejects like fetch does; every other
 * failure is an HTTP answer the SDK turns into its usual error. The returned fetch carries its `router`. Relayed
 * headers and error bodies are scrubbed of the endpoints' keys, as the router scrubs answers: an SDK puts an error
 * body in its error's message, which ends up in logs.
 */
export const createDetourFetch = <R extends Router>(router: R): DetourFetch & { readonly router: R; readonly Response: typeof Response } => {
  // The router's own scrubber: one per set of keys, built once.
  const scrub = createSecretScrubber(endpointSecrets(router.options.endpoints));
  const detourFetch: DetourFetch = async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = request ? request.url : String(input);
    const signal = init?.signal ?? request?.signal ?? undefined;
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? request?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    // Rejects as fetch does (a TypeError) for what it cannot send: an invalid URL, or one that is not http(s).
    const path = routePathFromUrl(url);
    try {
      const rawBody = init?.body !== undefined ? init.body : request?.body;
      const { body, contentType } = await readRequestBody(rawBody, router.options.maxRequestBytes);
      if (contentType && headers['content-type'] === undefined) headers['content-type'] = contentType;
      const result = await router.send({ method: init?.method ?? request?.method ?? 'GET', path, headers, body, signal });
      return toResponse(result, scrub);
    } catch (error) {
      // fetch rejects on abort; SDKs rely on it to tell a user's cancel from a failure.
      if (signal?.aborted && (!(error instanceof AttemptsExhaustedError) || error.reason === 'aborted')) throw signal.reason;
      // Errors in the dialect of the caller's SDK: Anthropic's shape on `/messages`, OpenAI's elsewhere.
      return errorResponse(error, scrub, apiOfPath(path));
    }
  };
  // The router rides along, so callers can subscribe to events and read health from the fetch they were given.
  // `Response` is the class its answers are, as the openai and Anthropic SDKs look for before a file upload: without
  // it they learn it by calling `fetch('data:,')`.
  return Object.assign(detourFetch, { router, Response });
};
