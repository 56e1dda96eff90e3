import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { DetourError } from '../errors/detour-error';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import { setDetourHeaders, toWebHeaders } from './to-response';

/** The HTTP status each Detour error code answers with. */
export const statusOfCode: Readonly<Record<string, number>> = Object.freeze({
  no_endpoint_available: 503,
  attempts_exhausted: 502,
  deadline_exceeded: 504,
  attempt_timeout: 504,
  request_too_large: 413,
  model_not_found: 404,
  invalid_options: 500,
  stream_interrupted: 502,
  aborted: 499,
});

/** Seconds for a `Retry-After` header, rounded up so a client never comes back early. */
export const retryAfterSeconds = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : String(Math.max(1, Math.ceil(ms / 1000)));

/** An OpenAI-shaped error body: clients such as the openai SDK read `error.message`, `type` and `code`. */
export const openAiErrorBody = (message: string, type: string, code: string): string =>
  JSON.stringify({ error: { message, type, param: null, code } });

/**
 * Turns a router error into the `Response` a fetch caller sees. When an upstream had the last word (a 400, a 429
 * after every endpoint failed), its own status and body are relayed so SDKs raise their usual error types;
 * otherwise Detour answers in OpenAI's error format with an honest status and `Retry-After`. `scrub` rewrites
 * relayed upstream text (a gateway removes its upstream keys with it).
 */
export const errorResponse = (error: unknown, scrub: (text: string) => string = (text) => text): Response => {
  if (error instanceof AttemptsExhaustedError && error.lastResponse) {
    const { status, headers: upstream } = error.lastResponse;
    // Some providers echo part of the key they were sent in their error text: the relay can scrub it.
    const bodyText = scrub(error.lastResponse.bodyText);
    const headers = toWebHeaders(upstream, scrub);
    const last = error.attempts.at(-1);
    if (last) setDetourHeaders(headers, { endpoint: last.endpoint, attempts: error.attempts, costUsd: undefined });
    if (error.retryAfterMs !== undefined && !headers.has('retry-after')) headers.set('retry-after', retryAfterSeconds(error.retryAfterMs)!);
    headers.set('x-detour-error', error.code);
    return new Response(bodyText, { status, headers });
  }
  const code = DetourError.isInstance(error) ? error.code : 'internal_error';
  const status = statusOfCode[code] ?? 500;
  const headers = new Headers({ 'content-type': 'application/json', 'x-detour-error': code });
  const retryAfterMs =
    error instanceof NoEndpointAvailableError || error instanceof AttemptsExhaustedError ? error.retryAfterMs : undefined;
  const retryAfter = retryAfterSeconds(retryAfterMs);
  if (retryAfter) headers.set('retry-after', retryAfter);
  if (error instanceof AttemptsExhaustedError) headers.set('x-detour-attempts', String(error.attempts.length));
  const message = scrub(error instanceof Error ? error.message : 'Internal error');
  const type = status === 503 ? 'service_unavailable' : status >= 500 ? 'upstream_error' : 'invalid_request_error';
  return new Response(openAiErrorBody(message, type, code), { status, headers });
};
