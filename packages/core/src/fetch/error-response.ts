import type { ApiName } from '../apis/api-name';
import { anthropicErrorType } from '../apis/anthropic-error-types';
import { AttemptsExhaustedError } from '../errors/attempts-exhausted-error';
import { DetourError } from '../errors/detour-error';
import { NoEndpointAvailableError } from '../errors/no-endpoint-available-error';
import type { Scrub } from '../secrets/secret-scrubber';
import { scrubbedQuote } from '../secrets/scrubbed-quote';
import { setDetourHeaders, toWebHeaders } from './to-response';

/** The HTTP status each Detour error code answers with. */
export const statusOfCode: Readonly<Record<string, number>> = Object.freeze({
  no_endpoint_available: 503,
  attempts_exhausted: 502,
  deadline_exceeded: 504,
  attempt_timeout: 504,
  request_too_large: 413,
  invalid_model: 400,
  model_not_found: 404,
  api_not_served: 404,
  response_not_found: 404,
  invalid_options: 500,
  stream_interrupted: 502,
  router_closed: 503,
  aborted: 499,
});

// Core believes no provider signal past a day; a cooldown's jitter can add a little, which no caller needs to hear.
const maxRetryAfterSeconds = 86_400;

/** Seconds for a `Retry-After` header, rounded up so a client never comes back early, and at most one day. */
export const retryAfterSeconds = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : String(Math.min(maxRetryAfterSeconds, Math.max(1, Math.ceil(ms / 1000))));

/** An OpenAI-shaped error body: clients such as the openai SDK read `error.message`, `type` and `code`. */
export const openAiErrorBody = (message: string, type: string, code: string): string =>
  JSON.stringify({ error: { message, type, param: null, code } });

/**
 * An Anthropic-shaped error body, as `@anthropic-ai/sdk` and Claude Code read it:
 * `{"type":"error","error":{"type":"overloaded_error","message":"…"}}`.
 */
export const anthropicErrorBody = (message: string, type: string): string => JSON.stringify({ type: 'error', error: { type, message } });

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * True for a body OpenAI-compatible SDKs read as they are: `{ "error": { "message": string, … } }` with a string
 * (or no) `type` and a string, null or absent `code` (OpenAI, Azure, Anthropic, Groq, DeepSeek, Mistral).
 */
const isOpenAiShaped = (body: unknown): boolean => {
  if (!isRecord(body) || !isRecord(body.error)) return false;
  const { message, type, code } = body.error;
  return typeof message === 'string' && (type === undefined || typeof type === 'string') && (code === undefined || code === null || typeof code === 'string');
};

/**
 * The upstream's own words, scrubbed, wherever its dialect puts them: `error.message` (OpenRouter, whose `code` is a
 * number), the first element's `error.message` (Gemini answers with an array), an RFC 9457 problem's `title` and
 * `detail` (the IETF dialect), a bare `message` or `error` string; else the text itself, scrubbed and then shortened.
 */
const upstreamMessage = (body: unknown, text: string, status: number, scrub: Scrub): string => {
  const root = Array.isArray(body) ? body[0] : body;
  if (isRecord(root)) {
    if (isRecord(root.error) && typeof root.error.message === 'string') return scrub(root.error.message);
    if (typeof root.error === 'string') return scrub(root.error);
    const problem = [root.title, root.detail].filter((part): part is string => typeof part === 'string');
    if (problem.length > 0) return scrub(problem.join(': '));
    if (typeof root.message === 'string') return scrub(root.message);
  }
  return scrubbedQuote(text.trim(), scrub) || `The upstream answered HTTP ${status}.`;
};

/** The upstream's string error code, when it has one. */
const upstreamCode = (body: unknown): string | undefined => {
  const root = Array.isArray(body) ? body[0] : body;
  return isRecord(root) && isRecord(root.error) && typeof root.error.code === 'string' ? root.error.code : undefined;
};

/** True for a body in Anthropic's shape: `{ "type": "error", "error": { "type": string, "message": string } }`. */
const isAnthropicShaped = (body: unknown): boolean =>
  isRecord(body) && body.type === 'error' && isRecord(body.error) && typeof body.error.type === 'string' && typeof body.error.message === 'string';

/**
 * Rewrites a relayed upstream error body in OpenAI's format when it is in another dialect, keeping the upstream's
 * message; an OpenAI-shaped body is kept as it was. Both are scrubbed. A rewritten body's message is scrubbed before
 * it is encoded as JSON too: encoding doubles a backslash, and a key the upstream spelled with `\u` escapes in a
 * plain-text body would no longer read as one to the scrubber, yet would to the client decoding the JSON.
 */
const relayedBody = (status: number, text: string, scrub: (text: string) => string, api: ApiName | undefined): { body: string; rewritten: boolean } => {
  const parsed = parseJson(text);
  if (api === 'messages') {
    // Anthropic's SDK reads only its own shape: keep an Anthropic body, put any other dialect into it.
    if (isAnthropicShaped(parsed)) return { body: scrub(text), rewritten: false };
    return { body: scrub(anthropicErrorBody(upstreamMessage(parsed, text, status, scrub), anthropicErrorType(status))), rewritten: true };
  }
  if (isOpenAiShaped(parsed)) return { body: scrub(text), rewritten: false };
  const message = upstreamMessage(parsed, text, status, scrub);
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'upstream_error' : 'invalid_request_error';
  const code = upstreamCode(parsed) ?? (status === 429 ? 'rate_limit_exceeded' : 'upstream_error');
  return { body: scrub(openAiErrorBody(message, type, code)), rewritten: true };
};

// Delay headers are Detour's to set: an upstream's own may be absurd (`Retry-After: 999999999`) or in a dialect
// clients do not read, while Detour's view is parsed from every dialect and capped.
const upstreamDelayHeaders = ['retry-after', 'retry-after-ms', 'x-ms-retry-after-ms'];

/**
 * Turns a router error into the `Response` a fetch caller sees. When an upstream had the last word (a 400, a 429
 * after every endpoint failed), its status is relayed and its body too when it is OpenAI-shaped; a body in another
 * dialect (an IETF problem, OpenRouter's numeric codes, Gemini's array) is rewritten in OpenAI's format with the
 * upstream's message, so SDKs raise their usual error types with a readable message. `Retry-After` is Detour's own
 * view of the delay (when the earliest endpoint frees up, else the last attempt's capped server delay), never the
 * upstream's value. Otherwise Detour answers in OpenAI's error format with an honest status and `Retry-After`.
 * Every such answer says `x-should-retry: false` (an upstream's own value is replaced): Detour has done the retrying
 * its budget allows, and the openai and Anthropic SDKs, which obey the header, would otherwise multiply it.
 * `scrub` rewrites relayed upstream text (a gateway removes its upstream keys with it).
 *
 * With `api` `'messages'` (Anthropic's Messages API, see `apiOfPath`) every body is in Anthropic's shape instead
 * (`{"type":"error","error":{"type":…,"message":…}}`, see {@link anthropicErrorBody}): Detour's own 503 is an
 * `overloaded_error` with `retry-after`, a relayed Anthropic body is kept, and other dialects are rewritten into it.
 *
 * @param scrub @default the identity
 * @param api the request's API; only `'messages'` changes the shape. @default undefined (OpenAI's shape)
 * @example
 * return errorResponse(error, scrub, apiOfPath(path));
 */
export const errorResponse = (error: unknown, scrub: (text: string) => string = (text) => text, api?: ApiName): Response => {
  if (error instanceof AttemptsExhaustedError && error.lastResponse) {
    const { status, headers: upstream, bodyText } = error.lastResponse;
    const headers = toWebHeaders(upstream, scrub);
    const last = error.attempts.at(-1);
    if (last) setDetourHeaders(headers, { endpoint: last.endpoint, attempts: error.attempts, costUsd: undefined });
    for (const name of upstreamDelayHeaders) headers.delete(name);
    const retryAfter = retryAfterSeconds(error.retryAfterMs ?? last?.serverDelayMs);
    if (retryAfter) headers.set('retry-after', retryAfter);
    const { body, rewritten } = relayedBody(status, bodyText, scrub, api);
    if (rewritten) headers.set('content-type', 'application/json');
    headers.set('x-detour-error', error.code);
    headers.set('x-should-retry', 'false');
    // A status past 599 is no HTTP a caller's client can take (`new Response` refuses it): it was a server's failure.
    return new Response(body, { status: status > 599 ? 502 : status, headers });
  }
  const code = DetourError.isInstance(error) ? error.code : 'internal_error';
  const status = statusOfCode[code] ?? 500;
  const headers = new Headers({ 'content-type': 'application/json', 'x-detour-error': code, 'x-should-retry': 'false' });
  const retryAfterMs =
    error instanceof NoEndpointAvailableError || error instanceof AttemptsExhaustedError ? error.retryAfterMs : undefined;
  const retryAfter = retryAfterSeconds(retryAfterMs);
  if (retryAfter) headers.set('retry-after', retryAfter);
  if (error instanceof AttemptsExhaustedError) headers.set('x-detour-attempts', String(error.attempts.length));
  const message = scrub(error instanceof Error ? error.message : 'Internal error');
  if (api === 'messages') return new Response(anthropicErrorBody(message, anthropicErrorType(status)), { status, headers });
  // A 500 is Detour's own failure (a bad config, a bug), not an upstream's: OpenAI's type for its own is `server_error`.
  const type = status === 503 ? 'service_unavailable' : status === 500 ? 'server_error' : status >= 500 ? 'upstream_error' : 'invalid_request_error';
  return new Response(openAiErrorBody(message, type, code), { status, headers });
};
