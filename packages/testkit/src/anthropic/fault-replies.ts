import type { ErrorReply } from '../faults/error-reply';
import { anthropicErrorReply, anthropicErrorType } from './error-body';

/** Anthropic's own wording for the statuses a `status` fault most often sends. */
const MESSAGES_BY_STATUS: ReadonlyMap<number, string> = new Map([
  [400, 'Invalid request.'],
  [401, 'invalid x-api-key'],
  [403, 'Your API key does not have permission to use the specified resource.'],
  [404, 'Not found'],
  [413, 'Request exceeds the maximum allowed number of bytes.'],
  [429, 'Number of request tokens has exceeded your per-minute rate limit.'],
  [500, 'Internal server error'],
  [504, 'Request timed out.'],
  [529, 'Overloaded'],
]);

/**
 * A terminal billing state that Anthropic reports as a 400, not a 429: only the message tells it apart from a bad
 * request, and waiting will not clear it.
 */
export function creditBalanceReply(requestId: string): ErrorReply {
  const message =
    'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.';
  return anthropicErrorReply(400, message, requestId);
}

/** Anthropic's 400 for a prompt longer than the model's window (200,000 unless `window` says otherwise), stating both figures like the real message. */
export function promptTooLongReply(promptTokens: number, requestId: string, window?: number): ErrorReply {
  const limit = window ?? 200_000;
  const requested = window === undefined ? Math.max(promptTokens, limit + 1) : promptTokens;
  return anthropicErrorReply(400, `prompt is too long: ${requested} tokens > ${limit} maximum`, requestId);
}

/** Anthropic's 401; it never echoes any part of the key. */
export function invalidKeyReply(requestId: string): ErrorReply {
  return anthropicErrorReply(401, 'invalid x-api-key', requestId);
}

/** The reply of a `status` fault on an Anthropic route: the given body as is, or Anthropic's usual one. */
export function anthropicStatusReply(
  status: number,
  requestId: string,
  body?: unknown,
  headers?: Record<string, string>,
): ErrorReply {
  const reply = anthropicErrorReply(status, MESSAGES_BY_STATUS.get(status) ?? `Upstream answered ${status}.`, requestId);
  if (body !== undefined) reply.body = typeof body === 'string' ? body : JSON.stringify(body);
  Object.assign(reply.headers, headers);
  return reply;
}

/** What a `stream-error-event` fault answers to a request that did not stream: the error as a status. */
export function anthropicOverloadedReply(requestId: string): ErrorReply {
  return anthropicErrorReply(529, 'Overloaded', requestId, anthropicErrorType(529));
}
