import type { ErrorReply } from '../faults/error-reply';

/** Anthropic's error `type` for each status it documents; other statuses fall back by class (see signals.md §2.2). */
const TYPES_BY_STATUS: ReadonlyMap<number, string> = new Map([
  [400, 'invalid_request_error'],
  [401, 'authentication_error'],
  [402, 'billing_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
  [413, 'request_too_large'],
  [429, 'rate_limit_error'],
  [500, 'api_error'],
  [504, 'timeout_error'],
  [529, 'overloaded_error'],
]);

/** The Anthropic error type a status is sent with: `api_error` for unlisted 5xx, `invalid_request_error` otherwise. */
export function anthropicErrorType(status: number): string {
  return TYPES_BY_STATUS.get(status) ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/**
 * Serialises an error in Anthropic's shape, `{"type":"error","error":{"type","message"},"request_id"}`.
 *
 * @example
 * anthropicErrorBody('overloaded_error', 'Overloaded', 'req_1');
 */
export function anthropicErrorBody(type: string, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}

/** A complete Anthropic error answer; `request-id` is added with the common headers. */
export function anthropicErrorReply(status: number, message: string, requestId: string, type: string = anthropicErrorType(status)): ErrorReply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: anthropicErrorBody(type, message, requestId),
    rateHeaders: status !== 429,
  };
}
