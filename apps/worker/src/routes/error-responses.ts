import type { ApiName, AttemptsExhaustedError } from '@detour/core';
import { anthropicErrorBody, openAiErrorBody } from '@detour/core/binding';
import type { GatewayError } from '../middleware/gateway-error';

// Anthropic's error types for the statuses the gateway refuses with itself; its SDK picks the error class by status,
// Claude Code shows the type and message.
const anthropicTypeOf: Readonly<Record<number, string>> = {
  400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error', 413: 'request_too_large', 415: 'invalid_request_error',
  503: 'overloaded_error',
};

/** An error body in the shape the caller's API uses: Anthropic's on `/v1/messages*`, OpenAI's everywhere else. */
const errorBody = (api: ApiName | undefined, status: number, message: string, openAi: { type: string; code: string }): string =>
  api === 'messages' ? anthropicErrorBody(message, anthropicTypeOf[status] ?? 'api_error') : openAiErrorBody(message, openAi.type, openAi.code);

/**
 * The answer to a request the gateway refused before routing it (auth, size, JSON, a bad id). Like every error the
 * gateway answers, it says `x-should-retry: false`: the same request would be refused again. But for an overload
 * (`gateway_overloaded`), which says `retry-after: 1`: the same request may go through in a moment.
 */
export const refusalResponse = (error: GatewayError, api: ApiName | undefined): Response => {
  const overloaded = error.code === 'gateway_overloaded';
  return new Response(
    errorBody(api, error.status, error.message, {
      type: overloaded ? 'server_error' : 'invalid_request_error', code: error.code === 'unauthorized' ? 'invalid_api_key' : error.code,
    }),
    {
      status: error.status,
      headers: {
        'content-type': 'application/json', 'x-detour-error': error.code, ...(overloaded ? { 'retry-after': '1' } : { 'x-should-retry': 'false' }),
        // RFC 9110: a 415 for a content coding says which codings are read.
        ...(error.code === 'unsupported_encoding' ? { 'accept-encoding': 'identity' } : {}),
      },
    },
  );
};

// A route the gateway serves, written without its `/v1`: a client's base URL that lacks it.
const servedWithoutV1 = /^\/(chat\/completions|completions|embeddings|responses|messages)(\/|$)/;

/** What is likely wrong with a client's base URL, from the path it produced; empty when nothing is. */
const baseUrlHint = (path: string): string =>
  path.startsWith('/v1/v1/')
    ? ' The path has /v1 twice: the base URL ends in /v1 and the client adds its own (Anthropic\'s SDKs and Claude Code do), so leave /v1 out of it.'
    : servedWithoutV1.test(path)
      ? ' The gateway\'s routes begin with /v1: end the base URL of an OpenAI client with /v1.'
      : '';

/** The answer to a route the gateway does not serve, with a hint when the client's base URL looks wrong. */
export const notFoundResponse = (method: string, path: string, api: ApiName | undefined): Response =>
  new Response(errorBody(api, 404, `Unknown route ${method} ${path}.${baseUrlHint(path)}`, { type: 'invalid_request_error', code: 'not_found' }), {
    status: 404, headers: { 'content-type': 'application/json', 'x-detour-error': 'not_found', 'x-should-retry': 'false' },
  });

/**
 * An upstream's 401 is about the gateway's key for it, not the caller's: relayed as is, SDKs raise
 * `AuthenticationError` and callers blame (and rotate) their own gateway key. Answer 502 `upstream_auth_failed`
 * instead, naming the endpoint and keeping the upstream's (scrubbed) message, in the caller's API's error shape.
 */
export const upstreamAuthFailure = async (relayed: Response, error: AttemptsExhaustedError, api: ApiName | undefined): Promise<Response> => {
  const endpoint = error.attempts.at(-1)?.endpoint ?? 'upstream';
  // OpenAI's and Anthropic's shapes both keep the text in `error.message`.
  const relayedBody = (await relayed.json().catch(() => undefined)) as { error?: { message?: unknown } } | undefined;
  const upstreamMessage = typeof relayedBody?.error?.message === 'string' ? ` It said: ${relayedBody.error.message}` : '';
  const message = `The upstream endpoint "${endpoint}" rejected the gateway's credentials for it (HTTP 401); your gateway key was accepted.${upstreamMessage}`;
  const headers = new Headers(relayed.headers);
  headers.set('content-type', 'application/json');
  headers.set('x-detour-error', 'upstream_auth_failed');
  return new Response(errorBody(api, 502, message, { type: 'upstream_error', code: 'upstream_auth_failed' }), { status: 502, headers });
};
